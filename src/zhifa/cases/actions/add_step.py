"""Every state change of a case is one function here (style.md; docs/adr/0005-case-model.md).

``add_step`` is the single guarded path: in one transaction it locks the case, checks
the caller's expected step count, checks who may act, validates the case document with
the new step against the format's schema, asks the rules engine (``check_step``, the
same rule units as ``zhifa audit``) and refuses a step that breaks a block rule —
writing nothing — or saves the step with its warnings, issues the document number the
step produces and appends the record entry ``case.<step>``. The named functions below
are thin wrappers that translate officers and dates into the format's fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.documents.models import DocumentType
from zhifa.documents.services import issue_number
from zhifa.records.services import append_entry
from zhifa.registry.facts import CertificateFacts, certificate_facts
from zhifa.registry.models import Officer
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import CaseFile, InvalidCaseFile, Step, limits, step_audit
from zhifa.rules.engine.validation import validate_new_steps

from ..casefile import (
    agency_powers,
    build_document,
    officer_ref,
    officer_rows_flat,
)
from ..content import compact, content_problems
from ..models import Case, CaseOfficer, CaseStep
from ..policy import can_take, enforce, load_state
from ..queries import keep_audit
from ..steps import spec
from ..validation import completeness_problems, step_problems
from .common import (
    _FIELD_ROLES,
    STEP_DOCUMENTS,
    STEP_STATUS,
    CaseConflict,
    RuleViolation,
    _invalid,
    _json,
)
from .guard import _check_not_future, _check_people, _officers_named

if TYPE_CHECKING:
    from zhifa.accounts.models import User


#: Called after a step is saved, inside its transaction: ``listener(case, step, actor)``.
StepListener = Callable[[Case, CaseStep, "User"], None]
_STEP_LISTENERS: list[StepListener] = []


def register_step_listener(listener: StepListener) -> None:
    """Let an app above cases act on a saved step in the step's transaction, from its
    ``AppConfig.ready`` (docs/adr/0010-app-layers.md: cases imports no app above it):
    the disclosure app schedules a decision's publication and asks for its withdrawal
    when the decision is changed. A listener that raises refuses the step."""
    if listener not in _STEP_LISTENERS:
        _STEP_LISTENERS.append(listener)


def _link_officers(
    case: Case,
    step: str,
    named: list[tuple[str, Officer]],
    rows: list[CaseOfficer],
    certificates: dict[int, list[CertificateFacts]],
) -> list[CaseOfficer]:
    """Link the step's officers to the case in their roles; ``rows`` and
    ``certificates`` are the case's officer rows and their certificates
    (``officer_rows_flat``). Creates the missing rows in one query (the case is locked,
    so nobody else adds them meanwhile) and returns ``rows`` with the new ones, loaded
    as ``officer_rows_flat`` loads them; the new officers' certificates are added to
    ``certificates``."""
    if step == "decision" and case.procedure == "summary":
        return rows  # the deciding officer is an investigator already
    have = {(r.ref, r.role) for r in rows}
    new: list[CaseOfficer] = []
    for field, officer in named:
        role = _FIELD_ROLES.get(field)
        if role is None or (officer_ref(officer), role) in have:
            continue
        have.add((officer_ref(officer), role))
        new.append(CaseOfficer(case=case, ref=officer_ref(officer), role=role, officer=officer))
    if not new:
        return rows
    created = CaseOfficer.objects.bulk_create(new)
    pks = [r.pk for r in created]
    if None in pks:  # a backend that does not return the new keys
        rows, fresh = officer_rows_flat(case)
        certificates.clear()
        certificates.update(fresh)
        return rows
    # The new rows with their officers as stored (not the caller's Officer objects),
    # and the certificates of the officers new to the case.
    added = list(
        CaseOfficer.objects.filter(pk__in=pks).select_related("officer__user").order_by("pk")
    )
    certificates.update(
        certificate_facts(
            r.officer_id
            for r in added
            if r.officer_id is not None and r.officer_id not in certificates
        )
    )
    return [*rows, *added]


def _by_field(problems: list[tuple[tuple[str, ...], str]]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for path, message in problems:
        by_field.setdefault(".".join(path), []).append(message)
    return by_field


def step_content(step: str) -> tuple[str, ...]:
    """The content sections the step declares (``steps.StepSpec.content``)."""
    declared = spec(step)
    return declared.content if declared is not None else ()


def document_type(step: str, data: Mapping[str, Any]) -> str | None:
    """The document a step of ``step`` with ``data`` numbers when it is saved: the
    step's declared document (``steps.StepSpec.document``), the decision's by its
    outcome (the 行政处罚决定书, the 不予行政处罚决定书 or the transfer letter)."""
    if step == "decision":
        if data.get("outcome") == "penalty":
            return DocumentType.PENALTY_DECISION
        if data.get("outcome") in ("no_penalty", "not_established"):
            return DocumentType.NO_PENALTY_DECISION
        return DocumentType.TRANSFER_LETTER
    return STEP_DOCUMENTS.get(step)


def _check_step_cap(count: int) -> None:
    """Refuse a step beyond the engine's cap on a case file (``limits.MAX_STEPS``, read
    here at each call): a case past it could no longer be exported, audited or imported."""
    if count >= limits.MAX_STEPS:
        raise ValidationError(
            {
                "step": ValidationError(
                    _(
                        "A case file has at most %(limit)s steps and this case has "
                        "%(count)s: no step can be added to it."
                    )
                    % {"limit": limits.MAX_STEPS, "count": count},
                    code="too_many_steps",
                )
            }
        )


def add_step(
    case: Case,
    step: str,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    case_benchmark: Mapping[str, Any] | None = None,
    content: Mapping[str, Any] | None = None,
    **fields: Any,
) -> CaseStep:
    """Add one step of the format to ``case`` — the single guarded path.

    ``expected_steps`` is the number of steps the caller saw: when another user added a
    step meanwhile, ``CaseConflict`` is raised. A case at the engine's cap
    (``limits.MAX_STEPS``) takes no further step (``ValidationError`` on ``step``).
    Officers may be passed as registry ``Officer`` objects; dates as ``date``. Raises
    ``PermissionDenied`` (who may act), ``ValidationError`` (format, separation of
    duties) or ``RuleViolation`` (block rules);
    in every case nothing is written. ``case_benchmark`` sets the case's ``benchmark``
    section (the discretion band a decision applies) in the same transaction, checked
    with the step. ``content`` is the step's narrative (``cases.content``): only the
    sections the step declares, bounded; it is kept in the step's data (so in its record
    entry) without its empty sections.
    """
    with transaction.atomic():
        # Everything the checks and the document read, once, under the lock.
        state = load_state(case, lock=True)
        locked = state.case
        stored = list(state.steps)
        count = len(stored)
        if count != expected_steps:
            raise CaseConflict(
                _(
                    "The case was changed by someone else meanwhile (it has %(count)s steps, "
                    "you saw %(expected)s). Reload the case and try again."
                )
                % {"count": count, "expected": expected_steps},
                code="conflict",
            )
        # Who may take the step and whether it may follow the stored steps: the policy
        # the pages offer the step by. The law's own refusals (e.g. a decision without
        # a prior notice, APL 44) stay with the rules engine, which names the rule.
        enforce(can_take(state, actor, step))
        _check_step_cap(count)
        _check_not_future(on)
        suspensions = list(state.suspensions)
        named = _officers_named(fields)
        # The certificates of the officers the step names come with the case's (one
        # query): ``_link_officers`` needs no second one for the officers it links.
        rows, certificates = officer_rows_flat(
            locked, also=[o.pk for _, o in named if o.pk is not None]
        )
        _check_people(locked, step, actor, named, fields, rows)
        rows = _link_officers(locked, step, named, rows, certificates)
        if case_benchmark is not None:
            locked.benchmark = _json(case_benchmark)
        data: dict[str, Any] = _json(fields)
        narrative = compact(content)
        if narrative:
            problems = content_problems(step_content(step), narrative)
            if problems:
                raise ValidationError(_by_field(problems))
            data["content"] = _json(narrative)
        checked = data if case_benchmark is None else {**data, "benchmark": _json(case_benchmark)}
        problems = step_problems(checked, timezone.localdate())
        problems += completeness_problems(step, data)
        if problems:
            raise ValidationError(_by_field(problems))
        proposed_step = {"step": step, "on": on.isoformat(), **data}
        document = build_document(
            locked,
            day=on,
            proposed=proposed_step,
            steps=stored,
            suspensions=suspensions,
            rows=rows,
            powers=agency_powers(locked),
            certificates=certificates,
        )
        try:
            # The stored steps were validated when they were added: the case-level
            # sections and the new step are checked (the same errors and paths).
            validate_new_steps(document, count)
        except InvalidCaseFile as exc:
            raise _invalid(exc) from exc
        calendar = database_calendar()
        base = CaseFile.from_dict({**document, "steps": document["steps"][:-1]})
        proposed = Step.from_dict(proposed_step)
        # One audit answers all three: the errors refuse the step, the step's warnings
        # are kept with it, and the case's deadlines with the step give the nearest one
        # kept on the case (the audit of the case with the step as of its day: what a
        # fresh audit of the stored case as of that day says).
        findings, with_step = step_audit(base, proposed, on=on, calendar=calendar)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise RuleViolation(errors)
        warnings = [
            {"rule": f.rule, "message": f.message.zh} for f in findings if f.severity == "warning"
        ]
        number = ""
        doc_type = document_type(step, data)
        if doc_type is not None:
            number = issue_number(locked.organ, doc_type, on.year).text
        saved = CaseStep.objects.create(
            case=locked,
            index=count,
            step=step,
            on=on,
            data=data,
            document_number=number,
            warnings=warnings,
            actor=actor,
        )
        locked.status = STEP_STATUS.get(step, locked.status)
        updated = ["status", "benchmark"]
        if step == "registered":
            locked.registration_number = number
            updated.append("registration_number")
        # The read model: the audit of the case with the step, its findings and pending
        # deadlines, and the nearest deadline derived from them (cases.queries).
        suspended = any(s.end is None and s.start <= on for s in suspensions)
        updated += keep_audit(locked, with_step, on, suspended=suspended)
        locked.save(update_fields=updated)
        append_entry(
            actor=actor,
            organ=locked.organ,
            action=f"case.{step}",
            obj=locked,
            payload={
                "index": count,
                "on": on.isoformat(),
                "data": data,
                "document_number": number,
                "warnings": [w["rule"] for w in warnings],
                **({"benchmark": locked.benchmark} if case_benchmark is not None else {}),
            },
        )
        for listener in _STEP_LISTENERS:
            listener(locked, saved, actor)
        case.status = locked.status
        case.benchmark = locked.benchmark
        case.registration_number = locked.registration_number
        case.next_deadline = locked.next_deadline
        case.next_deadline_rule = locked.next_deadline_rule
        case.deadline_checked_on = locked.deadline_checked_on
        case.audited_at = locked.audited_at
        return saved

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
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.catalogue.models import PowerItem
from zhifa.catalogue.services import band_for, bands_in_force, power_item_in_scope
from zhifa.documents.models import DocumentType
from zhifa.documents.services import issue_number
from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.services import append_entry
from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject, Officer
from zhifa.registry.services import reviewer_qualified
from zhifa.registry.validators import normalise_id_number, validate_id_number, validate_uscc
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import (
    AuditResult,
    CaseFile,
    Finding,
    InvalidCaseFile,
    Step,
    audit,
    step_findings,
    validate_document,
)
from zhifa.rules.engine.casefile import without_nulls
from zhifa.rules.engine.catalogue import DeadlineItem
from zhifa.rules.engine.validation import validate_new_steps
from zhifa.rules.engine.workdays import WorkCalendar

from .casefile import (
    OFFICER_FIELDS,
    CertificateFacts,
    agency_powers,
    build_document,
    case_file,
    certificate_facts,
    export_document,
    import_bound_errors,
    officer_ref,
    officer_rows_flat,
)
from .models import (
    Case,
    CaseOfficer,
    CaseStatus,
    CaseStep,
    DecisionChange,
    OfficerRole,
    Procedure,
    Suspension,
    Transfer,
    TransferKind,
    TransferResult,
)
from .policy import (
    can_archive,
    can_reply_transfer,
    can_resume,
    can_suspend,
    can_take,
    can_transfer,
    enforce,
    load_state,
)
from .queries import keep_nearest, refresh_nearest
from .steps import (
    ALL_ELEMENTS,
    BY_NAME,
    FORMAT_CIRCUMSTANCE,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    STEPS,
    StepSpec,
    values,
)
from .workflow import GIVEN_BACK

if TYPE_CHECKING:
    from zhifa.accounts.models import User


class RuleViolation(ValidationError):
    """A step refused by block rules of the catalogue; ``findings`` lists each broken
    rule as ``{"rule", "citation", "message"}`` (plain Chinese)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        from zhifa.rules.engine import RULES

        self.findings = [
            {
                "rule": f.rule,
                "citation": f.citation or RULES[f.rule].citation,
                "message": f.message.zh,
            }
            for f in findings
        ]
        text = "；".join(f"{f['rule']}（{f['citation']}）：{f['message']}" for f in self.findings)
        super().__init__(
            _("The step is refused by the rules: %(findings)s") % {"findings": text},
            code="rule_violation",
        )


class CaseConflict(ValidationError):
    """Someone else changed the case since the caller read it."""


#: The document a step produces, numbered when the step is saved (``steps.STEPS``).
STEP_DOCUMENTS: dict[str, str] = {s.name: s.document for s in STEPS if s.document}

#: The status a case is in after a step (state is derived from the steps).
STEP_STATUS: dict[str, str] = {s.name: s.status for s in STEPS if s.status}

#: Which role a field's officers take on the case.
_FIELD_ROLES = {
    "by": OfficerRole.INVESTIGATOR,
    "officers": OfficerRole.INVESTIGATOR,
    "host": OfficerRole.HOST,
    "reviewer": OfficerRole.REVIEWER,
    "approved_by": OfficerRole.APPROVER,
}


def _json(value: Any) -> Any:
    if isinstance(value, Officer):
        return officer_ref(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _record_actor(actor: User, organ: EnforcementSubject) -> None:
    if actor.role not in ORGAN_ROLES or actor.organ_id != organ.pk:
        raise PermissionDenied(_("Only users of the case's organ may act on the case."))


def _officers_named(fields: Mapping[str, Any]) -> list[tuple[str, Officer]]:
    """The registry officers a step names. The officer fields of the format take
    ``Officer`` objects only, so every person is checked and linked to the case."""
    named: list[tuple[str, Officer]] = []
    for field, value in fields.items():
        values = value if isinstance(value, list | tuple) else [value]
        if field in OFFICER_FIELDS and not all(isinstance(v, Officer) for v in values):
            raise ValidationError(
                _("%(field)s: name registry officers.") % {"field": field}, code="officer"
            )
        named.extend((field, v) for v in values if isinstance(v, Officer))
    return named


def _check_people(
    case: Case,
    step: str,
    actor: User,
    named: list[tuple[str, Officer]],
    fields: Mapping[str, Any],
    rows: Sequence[CaseOfficer],
) -> None:
    """Who may do what (issue #6): separation of duties and qualifications. ``rows``
    are the case's officer rows (``officer_rows``) before this step."""
    for _field, officer in named:
        if officer.organ_id != case.organ_id:
            raise ValidationError(
                _("%(officer)s is not an officer of the case's organ.") % {"officer": officer}
            )
    investigators = {r.ref for r in rows if r.role == OfficerRole.INVESTIGATOR}
    if step == "registered" and actor.role != Role.ORGAN_HEAD:
        raise PermissionDenied(_("Only an organ head approves the registration of a case."))
    if step in ("registered", "investigation"):
        # APL 64(4): the hearing host is not an investigator of the case; the approver
        # of the decision does not investigate the case he decides — checked both ways
        # (here when the investigator is named after the others acted). The legal
        # reviewer is the rules engine's (REVIEW-independent), refused with its ID.
        separated = {r.ref for r in rows if r.role in (OfficerRole.HOST, OfficerRole.APPROVER)}
        for field, officer in named:
            if field in ("by", "officers") and officer_ref(officer) in separated:
                raise ValidationError(
                    {
                        field: [
                            _(
                                "%(officer)s is the case's hearing host or approver and "
                                "may not investigate it."
                            )
                            % {"officer": officer}
                        ]
                    }
                )
    if step == "hearing":
        host = fields.get("host")
        if isinstance(host, Officer) and officer_ref(host) in investigators:
            raise ValidationError(_("The hearing host may not be an investigator of the case."))
    if step == "legal_review":
        reviewer = fields.get("reviewer")
        if not isinstance(reviewer, Officer) or not reviewer_qualified(reviewer):
            raise ValidationError(_("Only a qualified legal reviewer may review the case."))
        if actor.role != Role.LEGAL_REVIEWER or reviewer.user_id != actor.pk:
            raise PermissionDenied(_("The legal review is recorded by the reviewer."))
    if step in ("seizure", "seizure_extended"):
        approver = fields.get("approved_by")
        user = approver.user if isinstance(approver, Officer) else None
        if user is None or user.role != Role.ORGAN_HEAD:
            raise ValidationError(
                _("A seizure and its extension are approved by an organ head (ACL 18, 25).")
            )
    declared = BY_NAME.get(step)
    if declared is not None and declared.approver_records and "approved_by" in fields:
        # 结案审批 / 不予立案审批: the head approves and records it; whether the
        # approval is there at all is the engine's (CLOSE-conditions, REG-decision).
        approver = fields.get("approved_by")
        user = approver.user if isinstance(approver, Officer) else None
        if user is None or user.role != Role.ORGAN_HEAD or user.pk != actor.pk:
            raise PermissionDenied(_("The organ head who approves it records it."))
    if step == "decision":
        approver = fields.get("approved_by")
        if not isinstance(approver, Officer):
            raise ValidationError(_("A decision names the officer who approves it."))
        ref = officer_ref(approver)
        if case.procedure == "summary":
            if ref not in investigators:
                raise ValidationError(
                    _("In the summary procedure an officer of the case decides on the spot.")
                )
            if approver.user_id != actor.pk:
                raise PermissionDenied(_("The deciding officer records the decision."))
        else:
            if ref in investigators:
                raise ValidationError(
                    _("An investigator of the case may not approve the decision.")
                )
            user = approver.user
            if user is None or user.role != Role.ORGAN_HEAD or user.pk != actor.pk:
                raise PermissionDenied(_("Only an organ head approves the decision."))


def _check_not_future(on: dt.date, field: str = "on") -> None:
    """A day later than today is refused (a step dated 9999-12-31 would block every
    later step: DATA-step-order)."""
    today = timezone.localdate()
    if on > today:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("The day %(day)s is later than today (%(today)s).")
                        % {"day": on.isoformat(), "today": today.isoformat()},
                        code="future",
                    )
                ]
            }
        )


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
    added = list(CaseOfficer.objects.filter(pk__in=pks).select_related("officer").order_by("pk"))
    certificates.update(
        certificate_facts(
            r.officer_id
            for r in added
            if r.officer_id is not None and r.officer_id not in certificates
        )
    )
    return [*rows, *added]


def _document_type(step: str, data: Mapping[str, Any]) -> str | None:
    if step == "decision":
        if data.get("outcome") == "penalty":
            return DocumentType.PENALTY_DECISION
        if data.get("outcome") in ("no_penalty", "not_established"):
            return DocumentType.NO_PENALTY_DECISION
        return DocumentType.TRANSFER_LETTER
    return STEP_DOCUMENTS.get(step)


def _invalid(exc: InvalidCaseFile) -> ValidationError:
    return ValidationError(
        _("The step is not valid in the case-file format: %(errors)s")
        % {"errors": "; ".join(str(e) for e in exc.errors)},
        code="invalid_step",
    )


def add_step(
    case: Case,
    step: str,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    case_benchmark: Mapping[str, Any] | None = None,
    **fields: Any,
) -> CaseStep:
    """Add one step of the format to ``case`` — the single guarded path.

    ``expected_steps`` is the number of steps the caller saw: when another user added a
    step meanwhile, ``CaseConflict`` is raised. Officers may be passed as registry
    ``Officer`` objects; dates as ``date``. Raises ``PermissionDenied`` (who may act),
    ``ValidationError`` (format, separation of duties) or ``RuleViolation`` (block rules);
    in every case nothing is written. ``case_benchmark`` sets the case's ``benchmark``
    section (the discretion band a decision applies) in the same transaction, checked
    with the step.
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
        _check_not_future(on)
        suspensions = list(state.suspensions)
        named = _officers_named(fields)
        rows, certificates = officer_rows_flat(locked)
        _check_people(locked, step, actor, named, fields, rows)
        rows = _link_officers(locked, step, named, rows, certificates)
        if case_benchmark is not None:
            locked.benchmark = _json(case_benchmark)
        data: dict[str, Any] = _json(fields)
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
        # One audit answers both: the errors refuse the step, the step's warnings are
        # kept with it.
        findings = step_findings(base, proposed, on=on, calendar=calendar)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise RuleViolation(errors)
        warnings = [
            {"rule": f.rule, "message": f.message.zh} for f in findings if f.severity == "warning"
        ]
        number = ""
        doc_type = _document_type(step, data)
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
        # The read model: the nearest deadline of the case with the step (cases.queries).
        with_step = audit(base.with_step(proposed), on, calendar)
        updated += keep_nearest(locked, with_step.deadlines, on)
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
        case.status = locked.status
        case.benchmark = locked.benchmark
        case.registration_number = locked.registration_number
        case.next_deadline = locked.next_deadline
        case.next_deadline_rule = locked.next_deadline_rule
        case.deadline_checked_on = locked.deadline_checked_on
        return saved


# --- opening a case -------------------------------------------------------------------


def _checked_party(party: Mapping[str, Any]) -> dict[str, Any]:
    """The party with its identity number and credit code checked (check digits, the
    same validators as the forms), so that every entry point refuses a wrong one; errors
    at ``party.id_number`` / ``party.uscc``."""
    checked = dict(party)
    errors: dict[str, list[str]] = {}
    id_number = normalise_id_number(str(party.get("id_number") or "").strip())
    uscc = str(party.get("uscc") or "").strip().upper()
    for field, value, validate in (
        ("id_number", id_number, validate_id_number),
        ("uscc", uscc, validate_uscc),
    ):
        if value:
            try:
                validate(value)
            except ValidationError as exc:
                errors[f"party.{field}"] = exc.messages
        checked[field] = value
    if errors:
        raise ValidationError(errors)
    return checked


def open_case(
    organ: EnforcementSubject,
    *,
    actor: User,
    on: dt.date,
    procedure: str,
    power_item: PowerItem,
    party: Mapping[str, Any],
    violation: Mapping[str, Any],
    basis: Mapping[str, Any],
    benchmark: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    source: str = "",
) -> Case:
    """Enter a case from its source (inspection, complaint …): the source number
    (案源登记号, the organ's ``CASE_SOURCE`` sequence) is issued as the ``case_id`` and the
    case-level sections are stored. A general case then awaits ``register_case``, which
    issues the case number (立案号), or ``refuse_registration`` (不予立案, no 立案号); a
    summary case goes straight to its steps and is never registered
    (docs/adr/0009-source-and-case-numbers.md)."""
    party = _checked_party(party)
    with transaction.atomic():
        _record_actor(actor, organ)
        if not power_item_in_scope(organ, power_item, on):
            raise ValidationError(
                _("The power item %(code)s is not in the organ's power list on %(day)s.")
                % {"code": power_item.code, "day": on.isoformat()},
                code="power_scope",
            )
        number = issue_number(organ, DocumentType.CASE_SOURCE, on.year).text
        case = Case(
            organ=organ,
            case_id=number,
            status=(
                CaseStatus.AWAITING_REGISTRATION
                if procedure == Procedure.GENERAL
                else CaseStatus.INVESTIGATING
            ),
            procedure=procedure,
            source=source,
            power_item=power_item,
            power=power_item.code,
            party_type=party["type"],
            party_name=party["name"],
            party_birth_date=_date_or_none(_json(party.get("birth_date"))),
            party_id_number=party.get("id_number", ""),
            party_uscc=party.get("uscc", ""),
            party_vulnerable=party.get("vulnerable", False),
            violation=_json(violation),
            basis=_json(basis),
            benchmark=None if benchmark is None else _json(benchmark),
            settings=_json(settings or {}),
            opened_by=actor,
        )
        case.full_clean()
        case.save()
        document = export_document(case, as_of=on)
        try:
            validate_document(document)
        except InvalidCaseFile as exc:
            raise _invalid(exc) from exc
        # Case-level block rules (e.g. POWER-kind: a penalty case under a licensing
        # item) refuse the case when it is opened; the transaction writes nothing.
        opened = audit(CaseFile.from_dict(document), on, database_calendar())
        errors = [f for f in opened.findings if f.severity == "error" and f.step is None]
        if errors:
            raise RuleViolation(errors)
        case.save(update_fields=keep_nearest(case, opened.deadlines, on))
        append_entry(
            actor=actor,
            organ=organ,
            action="case.open",
            obj=case,
            payload={
                "case_id": case.case_id,
                "procedure": procedure,
                "power": case.power,
                **({"source": source} if source else {}),
            },
        )
        return case


# --- the named steps ----------------------------------------------------------------------


def register_case(
    case: Case, *, actor: User, on: dt.date, by: Sequence[Officer], expected_steps: int
) -> CaseStep:
    """立案: the organ head approves; ``by`` are the investigators."""
    return add_step(
        case, "registered", actor=actor, on=on, expected_steps=expected_steps, by=list(by)
    )


def record_investigation(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    officers: Sequence[Officer],
    evidence: Iterable[str],
    certificates_shown: bool = True,
    expected_steps: int,
) -> CaseStep:
    return add_step(
        case,
        "investigation",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        officers=list(officers),
        certificates_shown=certificates_shown,
        evidence=list(evidence),
    )


def record_preservation(
    case: Case, *, actor: User, on: dt.date, items: int, expected_steps: int
) -> CaseStep:
    """先行登记保存 started (APL 56: decided within 7 days)."""
    return add_step(
        case, "preservation", actor=actor, on=on, expected_steps=expected_steps, items=items
    )


def decide_preservation(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "preservation_decided", actor=actor, on=on, expected_steps=expected_steps)


def record_seizure(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    days: int,
    approved_by: Officer,
    extended: bool = False,
    expected_steps: int,
) -> CaseStep:
    """查封、扣押 (or its extension), approved by an organ head (ACL 18, 25)."""
    return add_step(
        case,
        "seizure_extended" if extended else "seizure",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        days=days,
        approved_by=approved_by,
    )


def end_seizure(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "seizure_ended", actor=actor, on=on, expected_steps=expected_steps)


def serve_prior_notice(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    intended: Sequence[Mapping[str, Any]],
    served_on: dt.date | None = None,
    written: bool = True,
    hearing_right_notified: bool = True,
    expected_steps: int,
) -> CaseStep:
    return add_step(
        case,
        "prior_notice",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        written=written,
        served_on=served_on or on,
        intended=list(intended),
        hearing_right_notified=hearing_right_notified,
    )


def record_statement(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "statement", actor=actor, on=on, expected_steps=expected_steps)


def record_waiver(
    case: Case, *, actor: User, on: dt.date, signed: bool = True, expected_steps: int
) -> CaseStep:
    return add_step(
        case, "waiver", actor=actor, on=on, expected_steps=expected_steps, signed=signed
    )


def request_hearing(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "hearing_requested", actor=actor, on=on, expected_steps=expected_steps)


def notify_hearing(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    hearing_on: dt.date,
    served_on: dt.date | None = None,
    expected_steps: int,
) -> CaseStep:
    return add_step(
        case,
        "hearing_notice",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        served_on=served_on or on,
        hearing_on=hearing_on,
    )


def hold_hearing(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    host: Officer,
    public: bool = True,
    expected_steps: int,
) -> CaseStep:
    return add_step(
        case, "hearing", actor=actor, on=on, expected_steps=expected_steps, host=host, public=public
    )


def record_legal_review(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    reviewer: Officer,
    result: str,
    expected_steps: int,
    checklist: Mapping[str, str] | None = None,
    opinion: str | None = None,
) -> CaseStep:
    """The review's ``checklist`` ({item: "ok" | "problem"}) and ``opinion`` go into the
    step, so the engine judges them (REVIEW-findings-hold)."""
    extra: dict[str, Any] = {}
    if checklist is not None:
        extra["checklist"] = dict(checklist)
    if opinion:
        extra["opinion"] = opinion
    return add_step(
        case,
        "legal_review",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        reviewer=reviewer,
        result=result,
        **extra,
    )


def record_collective_discussion(
    case: Case, *, actor: User, on: dt.date, expected_steps: int
) -> CaseStep:
    return add_step(
        case, "collective_discussion", actor=actor, on=on, expected_steps=expected_steps
    )


def fine_total(penalties: Iterable[Mapping[str, Any]]) -> Decimal:
    return sum(
        (Decimal(str(p.get("amount") or 0)) for p in penalties if p.get("type") == "fine"),
        Decimal(0),
    )


def decision_benchmark(
    case: Case,
    *,
    on: dt.date,
    circumstance: str,
    penalties: Sequence[Mapping[str, Any]],
    reason_outside_band: str = "",
) -> dict[str, Any] | None:
    """The ``benchmark`` section for a decision: the band of ``circumstance`` (catalogue
    name: no_penalty / mitigated / lighter / general / heavier) in the power item's
    benchmark in force and published on ``on`` (``catalogue.services.band_for``;
    DISC-benchmark, APL Art. 34). A fine outside the band needs a written reason (issue
    #6: the decision form requires it). ``None`` when the band has no fine range (the
    format's band is a fine range). Raises ``ValidationError`` naming the field."""
    if circumstance not in FORMAT_CIRCUMSTANCE:
        raise ValidationError(
            {"circumstance": [_("Choose one of the five discretion circumstances.")]}
        )
    if case.power_item is None:
        raise ValidationError(
            {"circumstance": [_("The case has no power item, so no benchmark applies.")]}
        )
    choice = band_for(case.power_item, on, circumstance)
    if choice is None:
        raise ValidationError(
            {
                "circumstance": [
                    _(
                        "The power item has no published discretion benchmark band for this "
                        "circumstance on %(day)s."
                    )
                    % {"day": on.isoformat()}
                ]
            }
        )
    band = choice.band
    reason = reason_outside_band.strip()
    if band.fine_min is None or band.fine_max is None:
        return None
    fine = fine_total(penalties)
    has_fine = any(p.get("type") == "fine" for p in penalties)
    if has_fine and not band.fine_min <= fine <= band.fine_max and not reason:
        raise ValidationError(
            {
                "reason_outside_band": [
                    _(
                        "The fine of %(fine)s yuan is outside the benchmark band "
                        "(%(low)s to %(high)s yuan): give the reason."
                    )
                    % {"fine": fine, "low": band.fine_min, "high": band.fine_max}
                ]
            }
        )
    return {
        "circumstance": FORMAT_CIRCUMSTANCE[circumstance],
        "fine_min": float(band.fine_min),
        "fine_max": float(band.fine_max),
        "reason_outside_band": reason or None,
    }


def _has_bands(case: Case, on: dt.date) -> bool:
    """Whether the case's power item has a published benchmark band in force on ``on``."""
    return case.power_item is not None and bool(bands_in_force(case.power_item, on))


def issue_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    approved_by: Officer,
    outcome: str = "penalty",
    penalties: Sequence[Mapping[str, Any]] = (),
    elements: Sequence[str] = ALL_ELEMENTS,
    cites_full_name_and_article: bool = True,
    circumstance: str | None = None,
    reason_outside_band: str = "",
    expected_steps: int,
) -> CaseStep:
    """The decision; its document number (e.g. 嘉市监罚〔2026〕12号) is issued in the same
    transaction, so a refused decision consumes no number. ``circumstance`` (catalogue
    name) applies the power item's discretion band (``decision_benchmark``) and stores it
    as the case's ``benchmark`` with the decision. A transfer is decided through
    ``transfer_case`` (the transfer letter and its reply), not here."""
    if outcome == "transfer":
        raise ValidationError(
            {
                "outcome": [
                    _(
                        "A transfer is decided by transferring the case (移送), which "
                        "records the receiver and the reason."
                    )
                ]
            }
        )
    benchmark = None
    if circumstance in (None, "") and outcome == "penalty" and _has_bands(case, on):
        # Issue #6 item 5: where the organ published a benchmark for the power item, the
        # decision states the circumstance found, so the band is applied and checked.
        raise ValidationError(
            {
                "circumstance": [
                    _(
                        "The power item has a published discretion benchmark: choose the "
                        "circumstance found."
                    )
                ]
            }
        )
    if circumstance:
        benchmark = decision_benchmark(
            case,
            on=on,
            circumstance=circumstance,
            penalties=penalties,
            reason_outside_band=reason_outside_band,
        )
    return add_step(
        case,
        "decision",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        case_benchmark=benchmark,
        outcome=outcome,
        penalties=list(penalties),
        approved_by=approved_by,
        elements=list(elements),
        cites_full_name_and_article=cites_full_name_and_article,
    )


def serve_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    method: str = "direct",
    signed_by: str = "recipient",
    electronic_consent: bool | None = None,
    expected_steps: int,
) -> CaseStep:
    extra: dict[str, Any] = (
        {} if electronic_consent is None else {"electronic_consent": electronic_consent}
    )
    return add_step(
        case,
        "served",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        method=method,
        signed_by=signed_by,
        **extra,
    )


def record_payment(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    amount: float,
    onsite: bool = False,
    onsite_reason: str | None = None,
    expected_steps: int,
) -> CaseStep:
    extra: dict[str, Any] = {} if onsite_reason is None else {"onsite_reason": onsite_reason}
    return add_step(
        case,
        "paid",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        amount=amount,
        onsite=onsite,
        **extra,
    )


def approve_deferral(
    case: Case, *, actor: User, on: dt.date, until: dt.date, expected_steps: int
) -> CaseStep:
    """A deferral or instalments of the fine approved (APL 66): the payment deadline
    moves to ``until``."""
    return add_step(
        case, "deferral_approved", actor=actor, on=on, expected_steps=expected_steps, until=until
    )


def serve_demand(
    case: Case, *, actor: User, on: dt.date, served_on: dt.date | None = None, expected_steps: int
) -> CaseStep:
    return add_step(
        case, "demand", actor=actor, on=on, expected_steps=expected_steps, served_on=served_on or on
    )


def apply_to_court(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "court_application", actor=actor, on=on, expected_steps=expected_steps)


def mark_disclosed(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "disclosed", actor=actor, on=on, expected_steps=expected_steps)


def record_remedy(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    kind: str,
    result: str = "pending",
    decided_on: dt.date | None = None,
    head_appeared: bool | None = None,
    expected_steps: int,
) -> CaseStep:
    """A reconsideration (ARL) or litigation (ALitL) against the decision, filed on ``on``
    (step ``remedy_filed``). While it is pending the late fee does not accrue
    (APL-73-late-fee-paused, APL 73(3)): from the day after filing to ``decided_on``.
    Record it ``pending`` when it is filed; when it is decided, record the same kind again
    on the day of the decision with its result and ``decided_on`` (the engine ends the
    pause of the pending one there). One already decided may be recorded at once with
    ``on`` = the day it was filed.
    ``head_appeared``: whether the organ's head appeared in court (litigation)."""
    if kind not in values(REMEDY_KINDS):
        raise ValidationError({"kind": [_("Choose reconsideration or litigation.")]})
    if result not in values(REMEDY_RESULTS):
        raise ValidationError({"result": [_("Choose one of the results offered.")]})
    if result == "pending" and decided_on is not None:
        raise ValidationError(
            {"decided_on": [_("A pending reconsideration or litigation has no decision date.")]}
        )
    if result != "pending" and decided_on is None:
        raise ValidationError({"decided_on": [_("Give the date of the decision or withdrawal.")]})
    if decided_on is not None and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("The date cannot be in the future.")]})
    if kind != "litigation" and head_appeared is not None:
        raise ValidationError(
            {"head_appeared": [_("The head's appearance in court concerns litigation only.")]}
        )
    fields: dict[str, Any] = {"kind": kind, "result": result, "decided_on": decided_on}
    if head_appeared is not None:
        fields["head_appeared"] = head_appeared
    return add_step(
        case, "remedy_filed", actor=actor, on=on, expected_steps=expected_steps, **fields
    )


def close_case(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    reason: str | None = None,
    approved_by: Officer | None = None,
) -> CaseStep:
    """结案: ``reason`` (the format's ``closed.reason``) and, in the general procedure,
    the organ head who approves the closure (结案审批); the engine refuses a closure
    without a lawful ending or without the approval (CLOSE-conditions)."""
    fields: dict[str, Any] = {}
    if reason:
        fields["reason"] = reason
    if approved_by is not None:
        fields["approved_by"] = approved_by
    return add_step(case, "closed", actor=actor, on=on, expected_steps=expected_steps, **fields)


def refuse_registration(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    reason: str,
    approved_by: Officer | None = None,
) -> CaseStep:
    """不予立案: the organ head refuses to register the case source, with reasons
    (REG-decision); it ends the case source."""
    fields: dict[str, Any] = {"reason": reason}
    if approved_by is not None:
        fields["approved_by"] = approved_by
    return add_step(
        case, "registration_refused", actor=actor, on=on, expected_steps=expected_steps, **fields
    )


# --- archiving (归档) ----------------------------------------------------------------------


def archive_case(case: Case, *, actor: User, on: dt.date) -> Case:
    """File the closed case in the archive (立卷归档), the last act of the procedure.

    The case file as it stands (``export_document``, canonical JSON) is digested with SM3
    and the digest is stored and recorded (``case.archive``), so the archived file can be
    checked against the record later. An officer or the head of the case's organ archives;
    the case must be closed, archived once, on or after its closure and not in the future.
    Nothing changes the case afterwards (``add_step`` refuses a closed case)."""
    with transaction.atomic():
        state = load_state(case, lock=True)
        locked = state.case
        enforce(can_archive(state, actor))
        closed = next(s for s in reversed(state.steps) if s.step == "closed")
        if on > timezone.localdate():
            raise ValidationError({"on": [_("The date cannot be in the future.")]})
        if on < closed.on:
            raise ValidationError(
                {
                    "on": [
                        _("A case is archived on or after its closure (%(day)s).")
                        % {"day": closed.on.isoformat()}
                    ]
                }
            )
        document = export_document(locked, as_of=on)
        digest = sm3_hex(canonical_json(document).encode())
        locked.archived_on = on
        locked.archived_by = actor
        locked.archive_digest = digest
        locked.save(update_fields=["archived_on", "archived_by", "archive_digest"])
        append_entry(
            actor=actor,
            organ=locked.organ,
            action="case.archive",
            obj=locked,
            payload={"on": on.isoformat(), "casefile_sm3": digest},
        )
        case.archived_on, case.archived_by, case.archive_digest = on, actor, digest
        return locked


# --- case-file exchange -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    case: Case
    created: bool


def _date_or_none(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _document_digest(document: Mapping[str, Any]) -> str:
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _roles_in_steps(steps: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for step in steps:
        for field, role in _FIELD_ROLES.items():
            value = step.get(field)
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, str):
                    roles.setdefault(ref, role)
    return roles


def import_document(
    document: Mapping[str, Any], organ: EnforcementSubject, *, actor: User
) -> ImportResult:
    """Import a case-file v1 document as a case of ``organ`` (historical cases), whole
    or nothing. Idempotent by ``case_id``: importing the same document again changes
    nothing; a different document under a stored ``case_id`` is refused. The steps are
    stored as they were (no ``check_step``: an old case may break rules; audit it)."""
    try:
        validate_document(document)
    except InvalidCaseFile as exc:
        raise ValidationError(
            _("Not a valid case file: %(errors)s")
            % {"errors": "; ".join(str(e) for e in exc.errors)},
            code="invalid",
        ) from exc
    if document["kind"] != "penalty":
        raise ValidationError(_("Only penalty cases can be imported."), code="kind")
    if bound_errors := import_bound_errors(document):
        raise ValidationError(bound_errors, code="invalid")
    digest = _document_digest(document)
    document = without_nulls(document)  # an optional field given as null is not given
    with transaction.atomic():
        _record_actor(actor, organ)
        existing = Case.objects.filter(organ=organ, case_id=document["case_id"]).first()
        if existing is not None:
            if existing.import_digest != digest:
                raise ValidationError(
                    _("A different case with the case ID %(case_id)s is already stored.")
                    % {"case_id": document["case_id"]},
                    code="duplicate",
                )
            return ImportResult(existing, created=False)
        party = document["party"]
        power = document["power"]
        case = Case.objects.create(
            organ=organ,
            case_id=document["case_id"],
            kind=document["kind"],
            procedure=document["procedure"],
            power_item=organ.power_items.filter(code=power).first(),
            power=power,
            power_kind=document.get("power_kind") or "",
            party_type=party["type"],
            party_name=party["name"],
            party_birth_date=_date_or_none(party.get("birth_date")),
            party_id_number=party.get("id_number", ""),
            party_uscc=party.get("uscc", ""),
            party_vulnerable=party.get("vulnerable", False),
            violation=document["violation"],
            basis=document["basis"],
            benchmark=document.get("benchmark"),
            settings=document.get("settings", {}),
            agency=document["agency"],
            imported=True,
            import_digest=digest,
        )
        steps = document["steps"]
        roles = _roles_in_steps(steps)
        CaseOfficer.objects.bulk_create(
            CaseOfficer(
                case=case,
                ref=o["id"],
                role=roles.get(o["id"], OfficerRole.INVESTIGATOR),
                conflict_of_interest=o.get("conflict_of_interest", False),
                snapshot=o,
            )
            for o in document.get("officers", ())
        )
        CaseStep.objects.bulk_create(
            CaseStep(
                case=case,
                index=i,
                step=s["step"],
                on=dt.date.fromisoformat(s["on"]),
                data={k: v for k, v in s.items() if k not in ("step", "on")},
                actor=actor,
            )
            for i, s in enumerate(steps)
        )
        if steps:
            case.status = STEP_STATUS.get(steps[-1]["step"], case.status)
        elif case.procedure == Procedure.GENERAL:
            case.status = CaseStatus.AWAITING_REGISTRATION
        registered = [s for s in steps if s["step"] == "registered"]
        if registered:
            case.registration_number = str(registered[-1].get("document_number") or "")[:64]
        case.save(update_fields=["status", "registration_number"])
        refresh_nearest(case, timezone.localdate())
        append_entry(
            actor=actor,
            organ=organ,
            action="case.import",
            obj=case,
            payload={"case_id": case.case_id, "steps": len(steps), "sha256": digest},
        )
        return ImportResult(case, created=True)


# --- the case clock ----------------------------------------------------------------------


@transaction.atomic
def suspend_case(case: Case, *, actor: User, on: dt.date, reason: str) -> Suspension:
    """Stop the case clock from ``on`` (中止调查): the days until ``resume_case`` do not
    count towards the decision period (APL 60 excluded periods; ``casefile.clock_window``
    counts only the days between the registration and the first decision).

    The organ head suspends and resumes: an internal control of the platform (the
    procedure rules of market regulation have the head approve a 中止调查; no article is
    cited here). Refused: a closed or decided case, a case already suspended, a start
    later than today, before the registration (a summary case: before the violation was
    discovered), before the case's last step or before the end of an earlier
    suspension (suspensions do not overlap). Errors name the field (``on``,
    ``reason``); nothing is written."""
    state = load_state(case, lock=True)
    locked = state.case
    enforce(can_suspend(state, actor))
    steps = [(s.step, s.on) for s in state.steps]
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("A suspension needs its reason.")]
    try:
        _check_not_future(on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    start, _end = state.clock
    last_resumed = max((s.end for s in state.suspensions if s.end is not None), default=None)
    if "on" not in errors and start is not None:
        if on < start:
            errors["on"] = [
                _("A suspension cannot start before the case's registration (%(day)s).")
                % {"day": start.isoformat()}
            ]
        elif steps and on < steps[-1][1]:
            errors["on"] = [
                _("A suspension cannot start before the case's last step (%(day)s).")
                % {"day": steps[-1][1].isoformat()}
            ]
        elif last_resumed is not None and on < last_resumed:
            errors["on"] = [
                _("A suspension cannot start before the earlier one ended (%(day)s).")
                % {"day": last_resumed.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    suspension = Suspension.objects.create(
        case=locked, start=on, reason=reason.strip(), actor=actor
    )
    refresh_nearest(locked, timezone.localdate())
    append_entry(
        actor=actor,
        organ=locked.organ,
        action="case.suspend",
        obj=locked,
        payload={"from": on.isoformat(), "reason": suspension.reason},
    )
    return suspension


@transaction.atomic
def resume_case(case: Case, *, actor: User, on: dt.date) -> Suspension:
    """Restart the case clock on ``on`` (恢复调查), by the organ head (internal control,
    as ``suspend_case``). Refused on a closed case, a case not suspended, or ``on``
    before the suspension started or later than today."""
    state = load_state(case, lock=True)
    locked = state.case
    enforce(can_resume(state, actor))
    suspension = state.open_suspension
    assert suspension is not None  # can_resume
    _check_not_future(on)
    if on < suspension.start:
        raise ValidationError(
            {"on": [_("A case cannot resume before it was suspended.")]}, code="before"
        )
    suspension.end = on
    suspension.save(update_fields=["end"])
    refresh_nearest(locked, timezone.localdate())
    append_entry(
        actor=actor,
        organ=locked.organ,
        action="case.resume",
        obj=locked,
        payload={"from": suspension.start.isoformat(), "to": on.isoformat()},
    )
    return suspension


# --- deadlines ----------------------------------------------------------------------------


def case_audit(case: Case, as_of: dt.date, calendar: WorkCalendar | None = None) -> AuditResult:
    """The engine's audit of the stored case as of ``as_of``: its findings, deadlines
    (suspended days excluded) and the late-payment surcharge (加处罚款, APL-72). A page
    that shows several of them audits once; a list page passes one ``calendar`` for all
    its rows (one calendar query)."""
    return audit(case_file(case, as_of), as_of, calendar or database_calendar())


def deadlines(
    case: Case, as_of: dt.date, calendar: WorkCalendar | None = None
) -> tuple[DeadlineItem, ...]:
    """The engine's deadlines of the case as of ``as_of`` (suspended days excluded)."""
    return case_audit(case, as_of, calendar).deadlines


# --- transfer (移送) -----------------------------------------------------------------------
#
# APL Art. 27 (legal-rules.md APL-27-transfer): a suspected crime is transferred to the
# judicial organs (also APL Art. 57(1)(四)); a case outside the organ's jurisdiction
# (APL Arts. 22–25) is transferred to the competent organ by a written transfer letter,
# and the receiving organ reports the result back in writing. The State Council's
# regulation on the transfer of suspected criminal cases (Decree 310, 2020 revision)
# likewise requires a written transfer letter and the receiving organ's reply. No
# period for the reply is in the rules catalogue, so none is computed here.
# docs/adr/0007-transfer-and-decision-change.md explains the choices below.

#: The replies a receiver gives to a transfer letter.
TRANSFER_REPLIES = (TransferResult.ACCEPTED, TransferResult.REJECTED, TransferResult.RETURNED)


def _transfer_errors(
    case: Case,
    *,
    kind: str,
    to_organ: EnforcementSubject | None,
    receiver_name: str,
    reason: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in TransferKind.values:
        errors["kind"] = [
            _("Choose whether the case goes to another organ or to the judicial organs.")
        ]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the transfer.")]
    if to_organ is not None and receiver_name.strip():
        errors["receiver_name"] = [
            _("Choose the receiving organ from the registry or name it, not both.")
        ]
    elif to_organ is None and not receiver_name.strip():
        errors["receiver_name"] = [
            _("Name the receiving organ, or choose it when it is in the registry.")
        ]
    if to_organ is not None:
        if to_organ.pk == case.organ_id:
            errors["to_organ"] = [_("A case cannot be transferred to its own organ.")]
        elif kind == TransferKind.ORGAN and to_organ.subject_type not in ENFORCING_TYPES:
            # APL 38, 18–21: internal units and temporary bodies cannot handle a case in
            # their own name, so they cannot be the competent organ.
            errors["to_organ"] = [
                _("%(organ)s is not an enforcement subject and cannot take over a case.")
                % {"organ": to_organ.name}
            ]
    elif kind == TransferKind.ORGAN and receiver_name.strip():
        listed = EnforcementSubject.objects.filter(
            name=receiver_name.strip(), subject_type__in=ENFORCING_TYPES
        ).exists()
        if listed:
            errors["to_organ"] = [
                _(
                    "%(organ)s is in the registry: choose it as the receiving organ, so that "
                    "it sees the transfer."
                )
                % {"organ": receiver_name.strip()}
            ]
    return errors


def transfer_case(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    kind: str,
    to_organ: EnforcementSubject | None = None,
    receiver_name: str = "",
    reason: str,
    approved_by: Officer,
    expected_steps: int,
) -> Transfer:
    """Transfer the case (移送): to another organ (``kind="organ"``: the case is outside
    this organ's jurisdiction, APL Arts. 22–25) or to the judicial organs
    (``kind="judicial"``: suspected crime, APL Arts. 27, 57(1)(四)).

    The organ head decides the transfer as the case's decision: the format's
    ``decision`` step with outcome ``transfer`` goes through ``add_step`` (the rules
    engine guards it, the separation of duties applies, the entry ``case.decision`` is
    written), and that step issues the transfer letter's number
    (``DocumentType.TRANSFER_LETTER``). The ``Transfer`` row reuses that number — the
    decision to transfer and the letter are one act with one number — and adds the
    receiver and the reason; the entry ``case.transfer`` records them. One transaction:
    a refusal writes nothing and consumes no number.

    The receiver is ``to_organ`` when it is in the registry (it then sees the transfer,
    ``incoming_transfers``) or ``receiver_name`` otherwise (e.g. a public security
    organ or a procuratorate). A case is transferred while no decision is in force
    (``policy.CaseState.decided``) and only in the general procedure (the summary procedure is
    decided on the spot by the officers, APL 51–52). Raises ``PermissionDenied`` (not
    the organ head), ``ValidationError`` naming the field, ``RuleViolation`` or
    ``CaseConflict``.
    """
    with transaction.atomic():
        state = load_state(case, lock=True)
        locked = state.case
        enforce(can_transfer(state, actor))
        errors = _transfer_errors(
            locked, kind=kind, to_organ=to_organ, receiver_name=receiver_name, reason=reason
        )
        if errors:
            raise ValidationError(errors)
        step = add_step(
            locked,
            "decision",
            actor=actor,
            on=on,
            expected_steps=expected_steps,
            outcome="transfer",
            approved_by=approved_by,
        )
        transfer = Transfer.objects.create(
            case=locked,
            step=step,
            kind=kind,
            to_organ=to_organ,
            receiver_name=receiver_name.strip(),
            reason=reason.strip(),
            letter_number=step.document_number,
            sent_on=on,
            actor=actor,
        )
        locked.status = CaseStatus.TRANSFERRED
        locked.save(update_fields=["status"])
        append_entry(
            actor=actor,
            organ=locked.organ,
            action="case.transfer",
            obj=locked,
            payload={
                "transfer": transfer.pk,
                "index": step.index,
                "on": on.isoformat(),
                "kind": kind,
                "to_organ": None if to_organ is None else to_organ.pk,
                "receiver": transfer.receiver,
                "reason": transfer.reason,
                "letter_number": transfer.letter_number,
            },
        )
        case.status = locked.status
        return transfer


def record_transfer_result(
    transfer: Transfer, *, actor: User, on: dt.date, result: str, note: str = ""
) -> Transfer:
    """Record the receiver's written reply to a transfer letter (APL Art. 27: the
    receiving organ reports the result back): ``accepted``, ``rejected`` or
    ``returned``.

    Who records it: an officer or head of the transferring organ, from the reply letter
    it received — the only way for a receiver outside the registry (public security,
    procuratorate) — or, when the receiver is an organ in the registry, an officer or
    head of that organ, who is the one giving the reply. Each reply is recorded once.
    A rejected or returned transfer needs the receiver's reason (``note``) and gives
    the case back: the case is undecided again (``policy.CaseState.decided``) and its status
    returns to investigation, so the organ continues it with the ordinary steps (the
    format has no step for a reply; the transfer decision stays in the steps as it was
    made). Entry ``case.transfer_result`` in the case's record; when the receiving
    organ's user replies, also ``transfer.result`` in that organ's record.
    """
    with transaction.atomic():
        locked = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("case__organ", "to_organ")
            .get(pk=transfer.pk)
        )
        case = Case.objects.select_for_update().get(pk=locked.case_id)
        enforce(can_reply_transfer(locked, actor))
        sender = actor.organ_id == case.organ_id
        receiver = locked.to_organ_id is not None and actor.organ_id == locked.to_organ_id
        errors: dict[str, list[str]] = {}
        if result not in TRANSFER_REPLIES:
            errors["result"] = [_("Choose accepted, rejected or returned.")]
        if on < locked.sent_on:
            errors["on"] = [
                _("The reply cannot be dated before the transfer letter (%(day)s).")
                % {"day": locked.sent_on.isoformat()}
            ]
        if result in GIVEN_BACK and not note.strip():
            errors["note"] = [_("Give the reason the receiver stated.")]
        if errors:
            raise ValidationError(errors)
        locked.result = result
        locked.result_on = on
        locked.result_note = note.strip()
        locked.result_actor = actor
        locked.save(
            update_fields=["result", "result_on", "result_note", "result_actor", "updated_at"]
        )
        if result in GIVEN_BACK and case.status == CaseStatus.TRANSFERRED:
            case.status = CaseStatus.INVESTIGATING
            case.save(update_fields=["status"])
        payload = {
            "transfer": locked.pk,
            "on": on.isoformat(),
            "result": result,
            "note": locked.result_note,
            "letter_number": locked.letter_number,
            "by_receiver": receiver and not sender,
        }
        append_entry(
            actor=actor, organ=case.organ, action="case.transfer_result", obj=case, payload=payload
        )
        if receiver and not sender and locked.to_organ is not None:
            append_entry(
                actor=actor,
                organ=locked.to_organ,
                action="transfer.result",
                obj=locked,
                payload={**payload, "case_id": case.case_id},
            )
        transfer.result, transfer.result_on = locked.result, locked.result_on
        transfer.result_note, transfer.result_actor = locked.result_note, actor
        return locked


def incoming_transfers(organ: EnforcementSubject) -> QuerySet[Transfer]:
    """The transfers sent to ``organ`` (a receiving organ in the registry), newest
    first. The receiving organ sees the transfer — the letter's content: case number,
    party, sending organ, reason — not the case itself: cases stay scoped to their own
    organ (core.scope). After it accepted, ``transferred_case_document`` gives it the
    case file."""
    return (
        Transfer.objects.filter(to_organ=organ)
        .select_related("case", "case__organ", "to_organ", "step")
        .order_by("-sent_on", "-pk")
    )


def transferred_case_document(
    transfer: Transfer, *, user: User, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The case file (format v1) of a transferred case for the receiving organ's
    users, once they accepted the transfer: the organ that takes the case over gets the
    file it continues from (it may import it as its own case). Before acceptance, and
    for anyone else, ``PermissionDenied`` (a view answers 404, core.scope)."""
    if (
        user.role not in ORGAN_ROLES
        or transfer.to_organ_id is None
        or user.organ_id != transfer.to_organ_id
        or transfer.result != TransferResult.ACCEPTED
    ):
        raise PermissionDenied(
            _("The case file of a transfer is given to the receiving organ once it accepted.")
        )
    return export_document(transfer.case, as_of=as_of)


# --- decision changed and disclosure withdrawn -----------------------------------------------


def change_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    how: str,
    reason: str,
    expected_steps: int,
) -> CaseStep:
    """Record that the decision was changed or revoked by the organ, or declared
    unlawful or void (e.g. on reconsideration or by a court): the format's step
    ``decision_changed`` with ``how``. The organ head records it, as the head approved
    the decision (APL 57). ``reason`` is kept in the step's data (an extra field the
    format ignores) and so in the record entry. A published decision must then be
    withdrawn within 3 working days (APL 48, legal-rules.md APL-48-withdraw), which
    the engine's deadline tracks: see ``withdraw_disclosure``."""
    enforce(can_take(load_state(case), actor, "decision_changed"))
    errors: dict[str, list[str]] = {}
    if how not in DecisionChange.values:
        errors["how"] = [_("Choose changed, revoked, declared unlawful or declared void.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason the decision was changed.")]
    if errors:
        raise ValidationError(errors)
    return add_step(
        case,
        "decision_changed",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        how=how,
        reason=reason.strip(),
    )


def withdraw_disclosure(
    case: Case, *, actor: User, on: dt.date, reason_published: bool, expected_steps: int
) -> CaseStep:
    """Withdraw the published decision (撤回公示): the format's step
    ``disclosure_withdrawn``. APL 48 (legal-rules.md APL-48-withdraw): a published
    decision that is changed, revoked, declared unlawful or void is withdrawn within 3
    working days, with the reason published; the engine keeps a warning with the step
    when ``reason_published`` is false. Only a decision that was published and not
    withdrawn since can be withdrawn."""
    return add_step(
        case,
        "disclosure_withdrawn",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        reason_published=bool(reason_published),
    )


def step_service(spec: StepSpec) -> Callable[..., CaseStep]:
    """The service function of a declared step (``spec.service``, with its
    ``service_args`` bound)."""
    function: Callable[..., CaseStep] = globals()[spec.service]
    return partial(function, **spec.service_args) if spec.service_args else function


#: The service function of each step the pages and the API take by name (the legal
#: review is recorded by the review app, a transfer by ``transfer_case``).
STEP_SERVICES: dict[str, Callable[..., CaseStep]] = {
    s.name: step_service(s) for s in STEPS if s.api is not None
}

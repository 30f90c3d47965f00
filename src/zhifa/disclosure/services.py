"""Every state change of a publication is one function here, writing its record entry
in the same transaction (style.md). The law is the engine's
(``zhifa.rules.engine.publication``): the scope, the periods, the redaction.

- ``schedule`` — a penalty decision was issued (``cases`` calls the listener
  ``on_step`` inside the decision's transaction): a publication per DISC-scope, due by
  GB118-disclose-decision, awaiting approval where the organ wants it;
- ``approve`` / ``reject`` — the organ head releases it or refuses with a reason;
- ``publish`` — the worker's task: the redacted summary made and checked
  (DISC-redaction), the redacted 决定书 when the scope says so, the case's
  ``disclosed`` step taken through ``cases.services.mark_disclosed`` (so the engine's
  GB118 clock is met by the publication itself). A leak fails it, naming the fields;
- ``correct`` — the organ writes the public text of the facts of a failed publication
  and it is tried again;
- ``request_withdrawal`` / ``withdraw`` — the decision changed, revoked or void
  (APL-48-withdraw): withdrawn by the worker with its published reason, the case's
  ``disclosure_withdrawn`` step taken through ``cases.services.withdraw_disclosure``;
- ``take_down`` — the publication period ended (DISC-period, the worker) or credit
  repair (the organ head, with a reason);
- ``save_settings`` — the organ's sector, approval and chosen periods.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases import services as case_services
from zhifa.cases.actions.common import CaseConflict
from zhifa.cases.models import Case, CaseStep, DecisionChange
from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.services import append_entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.parameters import Parameters
from zhifa.rules.engine.publication import (
    Leak,
    Scope,
    default_data,
    period_problem,
    public_summary,
    publication_due,
    redaction_leaks,
    region_chain,
    scope_for,
    takedown_on,
    withdrawal_due,
)

from . import policy, redaction
from .models import (
    DisclosureScope,
    DisclosureSettings,
    EndKind,
    PeriodClass,
    Publication,
    PublicationStatus,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User

logger = logging.getLogger("zhifa.disclosure")

#: The name the worker's entries are recorded under (``system:<task>``).
TASK = "disclosure-publish"

SCHEDULE = "disclosure.schedule"
APPROVE = "disclosure.approve"
REJECT = "disclosure.reject"
PUBLISH = "disclosure.publish"
FAIL = "disclosure.fail"
CORRECT = "disclosure.correct"
REQUEST_WITHDRAWAL = "disclosure.request_withdrawal"
WITHDRAW = "disclosure.withdraw"
TAKE_DOWN = "disclosure.take_down"
SETTINGS = "disclosure.settings"

#: The reason published with a withdrawal, by how the decision ceased to stand.
WITHDRAWAL_REASONS: dict[str, str] = {
    DecisionChange.CHANGED: "该行政处罚决定已被依法变更",
    DecisionChange.REVOKED: "该行政处罚决定已被依法撤销",
    DecisionChange.UNLAWFUL: "该行政处罚决定已被依法确认违法",
    DecisionChange.VOID: "该行政处罚决定已被依法确认无效",
}


def _entry(
    publication: Publication,
    action: str,
    payload: Mapping[str, Any],
    actor: User | None = None,
) -> None:
    append_entry(
        actor=actor,
        organ=publication.organ_id,
        action=action,
        obj=publication,
        payload={"case": publication.case_id, **payload},
        system_task=None if actor is not None else TASK,
    )


#: The source under which publications are logged (``zhifa.transparency``).
LOG_SOURCE = "disclosure.publication"


def _logged(publication: Publication) -> dict[str, Any]:
    """Append the publication's public state to the publication log (issue #15 item 8)
    in the caller's transaction; its record entry carries the log index and leaf hash,
    so the organ's chain and the public log vouch for each other."""
    from zhifa.transparency.log import append

    entry = append(LOG_SOURCE, str(publication.pk), publication.leaf_bytes())
    return {"log_index": entry.index, "leaf_hash": entry.leaf_hash}


def _changes(
    publication: Publication, before: Mapping[str, Any], fields: list[str]
) -> dict[str, Any]:
    """``{"changes": {field: {"old", "new"}}}`` of the recorded fields (records.domain)."""
    from zhifa.records.changes import json_value

    return {
        "changes": {
            f: {"old": json_value(before[f]), "new": json_value(getattr(publication, f))}
            for f in fields
            if before[f] != getattr(publication, f)
        }
    }


#: The fields ``records verify`` compares with the entries (apps.py).
RECORDED_FIELDS = [
    "status",
    "due_on",
    "published_on",
    "summary_sm3",
    "document_sm3",
    "ended_on",
    "end_kind",
    "end_reason",
    "takedown_on",
]


def _snapshot(publication: Publication) -> dict[str, Any]:
    return {f: getattr(publication, f) for f in RECORDED_FIELDS}


def _enqueue(name: str, pk: int) -> None:
    """Queue the task once the transaction commits (a rolled-back change queues
    nothing)."""
    from . import tasks

    task = getattr(tasks, name)
    transaction.on_commit(lambda: task.enqueue(pk))


# --- settings and scope -----------------------------------------------------------------------


def organ_settings(organ: Any) -> DisclosureSettings:
    found = DisclosureSettings.objects.filter(organ=organ).first()
    return found if found is not None else DisclosureSettings(organ=organ)


def scopes() -> list[Scope]:
    """The DISC-scope entries: the catalogue's defaults, then the database's."""
    entries = list(default_data().scopes)
    for row in DisclosureScope.objects.select_related("region").order_by("pk"):
        entries.append(
            Scope(
                sector=row.sector,
                region=row.region.code if row.region else "",
                procedures=tuple(row.procedures or ()),
                penalty_types=tuple(row.penalty_types or ()),
                exclude_warning_only=row.exclude_warning_only,
                full_text=row.full_text,
                working_days=row.working_days,
                reference=row.reference,
            )
        )
    return entries


def organ_scope(organ: Any) -> Scope:
    sector = organ_settings(organ).sector
    return scope_for(scopes(), sector, region_chain(organ.region.code))


def save_settings(organ: Any, *, actor: User, **values: Any) -> DisclosureSettings:
    """The organ's sector, approval and chosen publication periods (DISC-period: within
    the catalogue's ranges). Raises ``ValidationError`` naming the field."""
    policy.enforce(policy.can_edit_settings(actor, organ.pk))
    periods = default_data().periods
    errors: dict[str, list[str]] = {}
    for name, period_class in (
        ("ordinary_months", PeriodClass.ORDINARY),
        ("serious_months", PeriodClass.SERIOUS),
    ):
        months = values.get(name)
        period = periods.get(period_class)
        if months is not None and period is not None:
            problem = period_problem(period, int(months))
            if problem is not None:
                errors[name] = [_text(problem)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, _created = DisclosureSettings.objects.select_for_update().get_or_create(
            organ=organ
        )
        for key in ("sector", "require_approval", "ordinary_months", "serious_months"):
            if key in values:
                setattr(settings, key, values[key])
        settings.save()
        append_entry(
            actor=actor,
            organ=organ.pk,
            action=SETTINGS,
            obj=settings,
            payload={
                "sector": settings.sector,
                "require_approval": settings.require_approval,
                "ordinary_months": settings.ordinary_months,
                "serious_months": settings.serious_months,
            },
        )
    return settings


# --- scheduling -------------------------------------------------------------------------------


def schedule(
    case: Case, decision: CaseStep, actor: User, *, beyond_scope: bool = False
) -> Publication | None:
    """A penalty decision was issued: its publication, when DISC-scope covers it, due
    by GB118-disclose-decision (working days of the engine's calendar). Runs inside the
    decision's transaction (``on_step``). ``beyond_scope``: the organ publishes a
    decision the scope does not require (it may publish more, never less)."""
    data = decision.data or {}
    if data.get("outcome") != "penalty" or not decision.document_number:
        return None
    scope = organ_scope(case.organ)
    types = [str(p.get("type")) for p in data.get("penalties") or []]
    if not beyond_scope and not scope.covers(case.procedure, types):
        return None
    calendar = database_calendar()
    due = publication_due(calendar, decision.on, scope, Parameters(case.settings or {}))
    settings = organ_settings(case.organ)
    publication = Publication.objects.create(
        organ_id=case.organ_id,
        case=case,
        decision=decision,
        status=PublicationStatus.AWAITING_APPROVAL
        if settings.require_approval
        else PublicationStatus.SCHEDULED,
        decided_on=decision.on,
        due_on=due.due,
        due_unscheduled_years=list(due.unscheduled_years),
        full_text=scope.full_text,
        scope_reference=scope.reference,
    )
    _entry(
        publication,
        SCHEDULE,
        {
            "decision": decision.pk,
            "document_number": decision.document_number,
            "full_text": scope.full_text,
            **_snapshot(publication),
        },
        actor=actor,
    )
    if publication.status == PublicationStatus.SCHEDULED:
        _enqueue("publish_publication", publication.pk)
    return publication


def on_step(case: Case, step: CaseStep, actor: User) -> None:
    """The listener ``cases`` calls after every step, inside its transaction: a penalty
    decision schedules its publication; a decision changed, revoked or declared
    unlawful or void asks for the withdrawal of what was published."""
    if step.step == "decision":
        schedule(case, step, actor)
    elif step.step == "decision_changed":
        for publication in Publication.objects.filter(case=case).exclude(
            status__in=[
                PublicationStatus.WITHDRAWN,
                PublicationStatus.TAKEN_DOWN,
                PublicationStatus.REJECTED,
            ]
        ):
            request_withdrawal(publication, step, actor)


# --- approval ---------------------------------------------------------------------------------


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update()
        .select_related("case", "decision")
        .get(pk=publication.pk)
    )


def approve(publication: Publication, *, actor: User, on: dt.date) -> Publication:
    """The organ head releases the publication: the worker publishes it."""
    with transaction.atomic():
        locked = _locked(publication)
        policy.enforce(policy.can_approve(actor, locked))
        before = _snapshot(locked)
        locked.status = PublicationStatus.SCHEDULED
        locked.approved_by = actor
        locked.approved_on = on
        locked.save()
        _entry(
            locked,
            APPROVE,
            {"on": on, **_changes(locked, before, RECORDED_FIELDS)},
            actor=actor,
        )
        _enqueue("publish_publication", locked.pk)
    return locked


def reject(publication: Publication, *, actor: User, on: dt.date, reason: str) -> Publication:
    """The organ head refuses to release it (e.g. it would disclose a state or trade
    secret), with a reason; the GB118 deadline then shows as missed — honestly."""
    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(publication)
        policy.enforce(policy.can_approve(actor, locked))
        if not reason:
            raise ValidationError({"reason": [_("Give the reason the release is refused.")]})
        before = _snapshot(locked)
        locked.status = PublicationStatus.REJECTED
        locked.rejection_reason = reason
        locked.approved_by = actor
        locked.approved_on = on
        locked.save()
        _entry(
            locked,
            REJECT,
            {"on": on, "reason": reason, **_changes(locked, before, RECORDED_FIELDS)},
            actor=actor,
        )
    return locked


def correct(publication: Publication, *, actor: User, facts_brief: str) -> Publication:
    """The organ's public text of the facts for a failed publication (DISC-redaction):
    checked now (a text that still leaks is refused, naming the kind), then tried
    again by the worker."""
    text = facts_brief.strip()
    with transaction.atomic():
        locked = _locked(publication)
        policy.enforce(policy.can_correct(actor, locked))
        if not text:
            raise ValidationError({"facts_brief": [_("Write the facts in brief for the public.")]})
        facts = redaction.decision_facts(locked.case, locked.decision, text)
        leaks = redaction_leaks({"facts": text}, facts)
        if leaks:
            raise ValidationError(
                {"facts_brief": [_leak_message(leak) for leak in leaks]}, code="leak"
            )
        before = _snapshot(locked)
        locked.facts_brief = text
        approved = locked.approved_by_id is not None
        settings = organ_settings(locked.case.organ)
        locked.status = (
            PublicationStatus.AWAITING_APPROVAL
            if settings.require_approval and not approved
            else PublicationStatus.SCHEDULED
        )
        locked.failures = []
        locked.save()
        _entry(
            locked,
            CORRECT,
            {
                "facts_brief_sm3": sm3_hex(text.encode()),
                **_changes(locked, before, RECORDED_FIELDS),
            },
            actor=actor,
        )
        if locked.status == PublicationStatus.SCHEDULED:
            _enqueue("publish_publication", locked.pk)
    return locked


def _text(message: Any) -> str:
    """An engine ``Text`` in the language of the request."""
    from django.utils.translation import get_language

    return str(message.en if (get_language() or "").startswith("en") else message.zh)


def _leak_message(leak: Leak) -> str:
    return _text(leak.message)


# --- publication ------------------------------------------------------------------------------


def _releaser(publication: Publication) -> User:
    """In whose name the case's ``disclosed`` step is taken: the head who approved the
    release, or, without approval, the user who issued the decision (whose decision
    scheduled the publication)."""
    user = publication.approved_by or publication.decision.actor
    return user


def _fail(publication: Publication, on: dt.date, failures: list[dict[str, str]]) -> Publication:
    before = _snapshot(publication)
    publication.status = PublicationStatus.FAILED
    publication.failures = failures
    publication.failed_on = on
    publication.save()
    _entry(
        publication,
        FAIL,
        {"on": on, "failures": failures, **_changes(publication, before, RECORDED_FIELDS)},
    )
    return publication


def search_text(summary: Mapping[str, str]) -> str:
    """What the search reads of a publication: its public fields only."""
    return "\n".join(
        str(summary.get(k, ""))
        for k in (
            "number",
            "party",
            "party_uscc",
            "violation",
            "facts",
            "basis",
            "penalty",
            "organ",
        )
    )


def publish(publication: Publication, *, on: dt.date, actor: User | None = None) -> Publication:
    """Publish a scheduled publication on ``on`` (the worker: ``actor=None``; the demo
    names its user). Idempotent: anything but a scheduled publication is returned as it
    is. The summary and the redacted document are checked field by field
    (DISC-redaction): a leak fails the publication, naming the fields and kinds (never
    the values), and nothing is published. Published: the case's ``disclosed`` step is
    taken through ``cases.services.mark_disclosed`` in the same transaction.
    ``CaseConflict`` (the case changed meanwhile) is raised for the task to try again."""
    from .search import index_publication

    with transaction.atomic():
        locked = _locked(publication)
        if locked.status != PublicationStatus.SCHEDULED:
            return locked
        locked.attempts += 1
        case = locked.case
        facts = redaction.decision_facts(case, locked.decision, locked.facts_brief)
        summary = public_summary(facts)
        leaks = redaction_leaks(summary, facts)
        pdf = b""
        if not leaks and locked.full_text:
            leaks = redaction.document_leaks(redaction.document_blocks(summary), facts)
            if not leaks:
                pdf = redaction.render_document(summary)
        if leaks:
            return _fail(locked, on, [{"field": x.field, "kind": x.kind} for x in leaks])
        actor_user = actor or _releaser(locked)
        try:
            with transaction.atomic():
                case_services.mark_disclosed(
                    case,
                    actor=actor_user,
                    on=on,
                    expected_steps=case.steps.count(),
                )
        except CaseConflict:
            raise
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            return _fail(
                locked, on, [{"field": "case", "kind": "case", "message": m} for m in messages]
            )
        before = _snapshot(locked)
        locked.status = PublicationStatus.PUBLISHED
        locked.summary = summary
        locked.summary_sm3 = sm3_hex(canonical_json(summary).encode())
        locked.document_pdf = pdf or None
        locked.document_sm3 = sm3_hex(pdf) if pdf else ""
        locked.search_text = search_text(summary)
        locked.published_on = on
        locked.published_at = timezone.now()
        locked.failures = []
        months = organ_settings(case.organ).months(locked.period_class)
        locked.takedown_on = takedown_on(on, months) if months else None
        locked.save()
        index_publication(locked)
        _entry(
            locked,
            PUBLISH,
            {
                "on": on,
                "summary": summary,
                **_changes(locked, before, RECORDED_FIELDS),
                **_logged(locked),
            },
            actor=actor,
        )
    return locked


# --- withdrawal and take-down -----------------------------------------------------------------


def request_withdrawal(publication: Publication, changed: CaseStep, actor: User) -> Publication:
    """The decision was changed, revoked, declared unlawful or void (the case's
    ``decision_changed`` step): the publication is to be withdrawn within the APL-48
    period (``withdraw``, by the worker). One not yet published is stopped at once."""
    calendar = database_calendar()
    due = withdrawal_due(calendar, changed.on, Parameters(publication.case.settings or {}))
    locked = _locked(publication)
    before = _snapshot(locked)
    locked.withdrawal_requested_on = changed.on
    locked.withdraw_due_on = due.due
    locked.end_reason = _withdrawal_reason(locked, changed)
    if locked.status != PublicationStatus.PUBLISHED:
        # Never published: nothing to take off the portal, nothing published later.
        locked.status = PublicationStatus.WITHDRAWN
        locked.end_kind = EndKind.WITHDRAWN
        locked.ended_on = changed.on
    locked.save()
    _entry(
        locked,
        REQUEST_WITHDRAWAL,
        {
            "changed": changed.pk,
            "withdraw_due_on": due.due,
            **_changes(locked, before, RECORDED_FIELDS),
        },
        actor=actor,
    )
    if locked.status == PublicationStatus.PUBLISHED:
        _enqueue("withdraw_publication", locked.pk)
    return locked


def _withdrawal_reason(publication: Publication, changed: CaseStep) -> str:
    """The reason published with the withdrawal (APL-48): how the decision ceased to
    stand, and the organ's reason when it passes DISC-redaction (else the first part
    alone: a withdrawal is never held back by its reason)."""
    data = changed.data or {}
    text = WITHDRAWAL_REASONS.get(str(data.get("how", "")), "该行政处罚决定已被依法变更或撤销")
    reason = str(data.get("reason") or "").strip()
    if reason:
        facts = redaction.decision_facts(publication.case, publication.decision)
        if not redaction_leaks({"reason": reason}, facts):
            return f"{text}：{reason}"
    return str(text) + "。"


def withdraw(publication: Publication, *, on: dt.date, actor: User | None = None) -> Publication:
    """Withdraw a published decision whose withdrawal was requested (APL-48-withdraw):
    the portal shows that it was withdrawn and why; the case's ``disclosure_withdrawn``
    step (reason published) is taken through ``cases.services.withdraw_disclosure``.
    Idempotent. When the case takes no more steps (closed), the publication is still
    withdrawn and the entry says the step was not taken."""
    from .search import unindex_publication

    with transaction.atomic():
        locked = _locked(publication)
        if locked.status != PublicationStatus.PUBLISHED or locked.withdrawal_requested_on is None:
            return locked
        case = locked.case
        changed = case.steps.filter(step="decision_changed").order_by("-index").first()
        step_taken = ""
        try:
            with transaction.atomic():
                case_services.withdraw_disclosure(
                    case,
                    actor=actor or (changed.actor if changed else _releaser(locked)),
                    on=on,
                    reason_published=True,
                    expected_steps=case.steps.count(),
                )
            step_taken = "disclosure_withdrawn"
        except CaseConflict:
            raise
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("withdrawal of publication %s: case step refused: %s", locked.pk, exc)
        before = _snapshot(locked)
        locked.status = PublicationStatus.WITHDRAWN
        locked.end_kind = EndKind.WITHDRAWN
        locked.ended_on = on
        locked.save()
        unindex_publication(locked)
        _entry(
            locked,
            WITHDRAW,
            {
                "on": on,
                "case_step": step_taken,
                **_changes(locked, before, RECORDED_FIELDS),
                **_logged(locked),
            },
            actor=actor,
        )
    return locked


def take_down(
    publication: Publication,
    *,
    on: dt.date,
    kind: str,
    reason: str = "",
    actor: User | None = None,
) -> Publication:
    """Take a published decision off the portal: at the end of its publication period
    (DISC-period: the worker, ``kind="period_ended"``) or after credit repair (the organ
    head, ``kind="credit_repair"``, with a reason). The page then says so and why."""
    from .search import unindex_publication

    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(publication)
        if kind == EndKind.CREDIT_REPAIR:
            if actor is None:
                raise PermissionDenied(_("Credit repair is recorded by the organ head."))
            policy.enforce(policy.can_take_down(actor, locked))
            if not reason:
                raise ValidationError({"reason": [_("Give the reason for the take-down.")]})
            text = f"当事人已完成信用修复，提前停止公示：{reason}"
            facts = redaction.decision_facts(locked.case, locked.decision)
            leaks = redaction_leaks({"reason": reason}, facts)
            if leaks:
                raise ValidationError({"reason": [_leak_message(x) for x in leaks]})
        elif kind == EndKind.PERIOD_ENDED:
            if locked.status != PublicationStatus.PUBLISHED or locked.takedown_on is None:
                return locked
            if locked.takedown_on > on:
                return locked
            end = locked.takedown_on
            text = f"公示期限已于{end.year}年{end.month}月{end.day}日届满，依法停止公示。"
        else:
            raise ValidationError({"kind": [_("Unknown kind of take-down.")]})
        before = _snapshot(locked)
        locked.status = PublicationStatus.TAKEN_DOWN
        locked.end_kind = kind
        locked.end_reason = text
        locked.ended_on = on
        locked.save()
        unindex_publication(locked)
        _entry(
            locked,
            TAKE_DOWN,
            {
                "on": on,
                "kind": kind,
                **_changes(locked, before, RECORDED_FIELDS),
                **_logged(locked),
            },
            actor=actor,
        )
    return locked


# --- the worker's sweep -----------------------------------------------------------------------


#: The status each part of the sweep leads to.
EXPECTED = {
    "published": PublicationStatus.PUBLISHED,
    "withdrawn": PublicationStatus.WITHDRAWN,
    "taken_down": PublicationStatus.TAKEN_DOWN,
}


def sweep(on: dt.date) -> dict[str, int]:
    """What the periodic task does (no cron: ``core.schedule``): publish what is
    scheduled (a task that failed for a passing reason is tried again here), withdraw
    what was asked, take down what reached the end of its period. Each publication in
    its own transaction; one that raises is logged and left for the next sweep."""
    done = {"published": 0, "failed": 0, "withdrawn": 0, "taken_down": 0, "errors": 0}
    work: list[tuple[str, Callable[[Publication], Publication]]] = [
        ("published", lambda p: publish(p, on=on)),
        ("withdrawn", lambda p: withdraw(p, on=on)),
        ("taken_down", lambda p: take_down(p, on=on, kind=EndKind.PERIOD_ENDED)),
    ]
    queries = [
        Publication.objects.filter(status=PublicationStatus.SCHEDULED),
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED, withdrawal_requested_on__isnull=False
        ),
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED,
            withdrawal_requested_on__isnull=True,
            takedown_on__lte=on,
        ),
    ]
    for (name, action), query in zip(work, queries, strict=True):
        for pk in list(query.order_by("pk").values_list("pk", flat=True)[:500]):
            try:
                result = action(Publication(pk=pk))
            except Exception:  # one bad publication must not stop the others
                logger.exception("disclosure sweep: publication %s", pk)
                done["errors"] += 1
                continue
            if result.status == PublicationStatus.FAILED:
                done["failed"] += 1
            elif result.status == EXPECTED[name]:
                done[name] += 1
    return done


def publisher(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    """``cases.services.publish_decision`` with this app installed (the demo's
    "disclosed"): the case's scheduled publication — or, for a penalty decision outside
    DISC-scope, one scheduled now (an organ may publish more than the scope requires) —,
    released by ``actor`` when it awaits approval, published on ``on``. Raises
    ``ValidationError`` when the case has no penalty decision to publish or the
    publication failed (naming the fields)."""
    publication = Publication.objects.filter(case=case).order_by("-decided_on", "-pk").first()
    if publication is None:
        decision = case.steps.filter(step="decision").order_by("-index").first()
        with transaction.atomic():
            if decision is not None:
                publication = schedule(case, decision, actor, beyond_scope=True)
    if publication is None:
        raise ValidationError({"step": [_("The case has no penalty decision to publish.")]})
    if publication.status == PublicationStatus.AWAITING_APPROVAL:
        publication = approve(publication, actor=actor, on=on)
    done = publish(publication, on=on, actor=actor)
    if done.status != PublicationStatus.PUBLISHED:
        raise ValidationError(
            {
                "step": [
                    _("The publication failed: %(fields)s")
                    % {"fields": ", ".join(f"{f['field']} ({f['kind']})" for f in done.failures)}
                ]
            }
        )
    step = case.steps.filter(step="disclosed").order_by("-index").first()
    assert step is not None
    return step

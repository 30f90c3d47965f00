"""The read model of cases (issue #12): what the case pages and the API read, in one
place, so that they give one answer.

- **Deadlines** (``case_deadlines``, ``deadline_status``): the engine's deadlines of a
  case as both show them — a party's window that passed is ``closed``, not
  ``overdue`` (``workflow.PARTY_WINDOWS``).
- **The last audit** (``keep_audit``, ``sweep``): when the case changes (every step,
  suspension, resumption, import: ``cases.services``) and each night (``sweep``), one
  audit of the case is kept: its findings and pending deadlines as rows
  (``AuditItem``: the supervisor's warnings read them) and, derived from the same
  deadlines, the organ's nearest pending deadline on the case (``Case.next_deadline``,
  ``next_deadline_rule``, ``deadline_checked_on``), so a list never audits a case per
  row; a status is judged on the day it is read (``listed_deadline``).
- **The work list** (``work_list``, ``mine``, ``work_rows``): the user's cases with their
  nearest deadline, for the work list page and the API list alike.
- **Approvals** (``approvals``): what waits for the organ head.
- **Penalties and payment** (``case_penalties``): what the last penalty decision
  decided, what was paid, the late fee (加处罚款, APL 72) as of today and what is
  outstanding — the engine's payment facts (``AuditResult.payments``), which are the
  facts its rules read, so the page, the API and the findings give one answer.

The law stays in the engine: nothing here counts a period. Scope stays with the
callers' querysets (``core.scope.scoped``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.core.scope import scoped
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import RULES, AuditResult, PaymentFacts, audit
from zhifa.rules.engine.catalogue import DeadlineItem
from zhifa.rules.engine.workdays import WorkCalendar

from . import casefile, policy, workflow
from .casefile import case_file
from .labels import deadline_label, payment_status_label, penalty_label
from .models import (
    ENDED_STATUSES,
    AuditItem,
    AuditItemKind,
    Case,
    CaseOfficer,
    CaseStatus,
    CaseStep,
    OfficerRole,
    Suspension,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User

#: The deadline the case clock's suspension stops (APL 60, excluded periods).
SUSPENDED_CLOCK = "APL-60-decision-deadline"


# --- deadlines as the pages and the API show them ------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A deadline of the engine, with what the pages and the API say about it."""

    rule: str
    citation: str
    start: dt.date | None  # None: the nearest deadline kept on the case (no start kept)
    due: dt.date
    status: str  # met / missed / open / overdue; closed: a party's window that passed
    working_days_left: int | None  # open deadlines: working days until due
    days_overdue: int | None  # overdue deadlines: calendar days past due
    #: The decision period of a suspended case (中止): it does not run, so its due date
    #: moves every day until the case resumes; the pages say so instead of counting.
    paused: bool = False

    @property
    def pending(self) -> bool:
        return self.status in ("open", "overdue")

    @property
    def party_window(self) -> bool:
        return self.rule in workflow.PARTY_WINDOWS

    @property
    def label(self) -> str:
        return deadline_label(self.rule)


def deadline_status(item: DeadlineItem, as_of: dt.date) -> str:
    """The engine's status of ``item`` as of ``as_of``, except that a party's window
    that passed unused is ``closed`` (the party did not use it; the organ is not late)."""
    status = item.status(as_of)
    if status == "overdue" and item.rule in workflow.PARTY_WINDOWS:
        return "closed"
    return status


def _shown(
    rule: str,
    start: dt.date | None,
    due: dt.date,
    status: str,
    today: dt.date,
    calendar: WorkCalendar,
    suspended: bool,
) -> Deadline:
    known = RULES.get(rule)
    return Deadline(
        rule=rule,
        citation=known.citation if known else "",
        start=start,
        due=due,
        status=status,
        working_days_left=(calendar.working_days_between(today, due) if status == "open" else None),
        days_overdue=(today - due).days if status == "overdue" else None,
        paused=suspended and rule == SUSPENDED_CLOCK and status == "open",
    )


def _suspended_on(case: Case, today: dt.date) -> bool:
    return any(s.end is None and s.start <= today for s in case.suspensions.all())


def case_audit_deadlines(
    case: Case, as_of: dt.date, calendar: WorkCalendar | None = None
) -> tuple[DeadlineItem, ...]:
    """The engine's deadlines of the stored case as of ``as_of`` (one audit)."""
    return audit(case_file(case, as_of), as_of, calendar or database_calendar()).deadlines


def case_deadlines(
    case: Case,
    today: dt.date,
    calendar: WorkCalendar,
    items: Sequence[DeadlineItem] | None = None,
) -> list[Deadline]:
    """The case's deadlines as the case page and the API show them (``items``: from an
    audit already made, so a page audits the case once)."""
    if items is None:
        items = case_audit_deadlines(case, today, calendar)
    suspended = _suspended_on(case, today)
    return [
        _shown(d.rule, d.start, d.due.due, deadline_status(d, today), today, calendar, suspended)
        for d in items
    ]


def nearest(deadlines: list[Deadline]) -> Deadline | None:
    """The open or overdue deadline of the organ that falls due first (the party's
    windows, ``workflow.PARTY_WINDOWS``, are not the organ's deadlines)."""
    pending = [d for d in deadlines if d.pending and not d.party_window]
    return min(pending, key=lambda d: (d.due, d.rule)) if pending else None


def nearest_item(items: Sequence[DeadlineItem]) -> DeadlineItem | None:
    """``nearest`` on the engine's items: the organ's pending deadline due first."""
    pending = [d for d in items if d.done is None and d.rule not in workflow.PARTY_WINDOWS]
    return min(pending, key=lambda d: (d.due.due, d.rule)) if pending else None


# --- penalties and payment ----------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyRow:
    type: str
    label: str
    amount: Decimal | None


@dataclass(frozen=True)
class Penalties:
    """The case's penalties and payment as the case page and the API show them: the
    engine's ``facts`` (amounts as ``Decimal`` yuan), the decision's document number and
    a ``status`` that sums them up:

    - ``no_fine``: the decision decides no fine (nothing to pay);
    - ``not_served``: the decision is not served yet (the payment period has not begun);
    - ``cannot_judge``: the engine lacks a parameter to count the deadline or the fee;
    - ``open``: the payment period (or an approved deferral) runs;
    - ``overdue``: the deadline passed and the fine is not paid in full;
    - ``late_fee_due``: the fine is paid, the late fee accrued is not;
    - ``paid``: nothing is outstanding.
    """

    facts: PaymentFacts
    penalties: tuple[PenaltyRow, ...]
    decision_number: str
    status: str

    @property
    def status_label(self) -> str:
        return payment_status_label(self.status)


def _penalties_status(facts: PaymentFacts) -> str:
    if facts.fine <= 0:
        return "no_fine"
    if facts.served_on is None:
        return "not_served"
    if facts.cannot_judge is not None or facts.deadline is None:
        return "cannot_judge"
    if facts.outstanding <= 0:
        return "paid"
    if facts.fine_outstanding <= 0:
        return "late_fee_due"
    return "overdue" if facts.overdue else "open"


def case_penalties(
    case: Case,
    today: dt.date,
    calendar: WorkCalendar | None = None,
    audited: AuditResult | None = None,
) -> Penalties | None:
    """The penalties decided in ``case`` and their payment as of ``today`` (``audited``:
    the audit of the case as of ``today`` already made, so a page audits once); None
    when the case has no penalty decision. Reads the case's steps (prefetched: no
    query)."""
    if audited is None:
        audited = audit(case_file(case, today), today, calendar or database_calendar())
    facts = audited.payments
    if facts is None:
        return None
    number = next((s.document_number for s in case.steps.all() if s.index == facts.decision), "")
    return Penalties(
        facts=facts,
        penalties=tuple(
            PenaltyRow(p.type, penalty_label(p.type), p.amount) for p in facts.penalties
        ),
        decision_number=number,
        status=_penalties_status(facts),
    )


# --- the read model: the last audit's findings and deadlines, the nearest deadline -------

#: The fields ``keep_audit`` sets on the case (for ``save(update_fields=...)``).
NEAREST_FIELDS = ("next_deadline", "next_deadline_rule", "deadline_checked_on", "audited_at")

#: Cases the nightly sweep audits in one transaction (``sweep``).
SWEEP_CHUNK = 200


def _citation(rule_id: str) -> str:
    known = RULES.get(rule_id)
    return known.citation if known else ""


def _audit_items(
    case: Case, result: AuditResult, suspended: bool
) -> tuple[list[AuditItem], AuditItem | None]:
    """The rows of ``result`` (its findings, its pending deadlines) and, of them, the
    organ's pending deadline that falls due first (``nearest_item``'s choice)."""
    rows = [
        AuditItem(
            case=case,
            kind=AuditItemKind.FINDING,
            rule=f.rule,
            citation=f.citation or _citation(f.rule),
            severity=f.severity,
            step=f.step,
            message_zh=f.message.zh,
            message_en=f.message.en,
        )
        for f in result.findings
    ]
    nearest: AuditItem | None = None
    for d in result.deadlines:
        if d.done is not None:
            continue  # met or met late: nothing pending
        row = AuditItem(
            case=case,
            kind=AuditItemKind.DEADLINE,
            rule=d.rule,
            citation=_citation(d.rule),
            start=d.start,
            due=d.due.due,
            paused=suspended and d.rule == SUSPENDED_CLOCK,
            unscheduled_years=list(d.due.unscheduled_years),
        )
        rows.append(row)
        if d.rule not in workflow.PARTY_WINDOWS and (
            nearest is None or (row.due, row.rule) < (nearest.due, nearest.rule)  # type: ignore[operator]
        ):
            nearest = row
    return rows, nearest


def _nearest_kept(case: Case, nearest: AuditItem | None, as_of: dt.date) -> list[str]:
    case.next_deadline = None if nearest is None else nearest.due
    case.next_deadline_rule = "" if nearest is None else nearest.rule
    case.deadline_checked_on = as_of
    case.audited_at = timezone.now()
    return list(NEAREST_FIELDS)


def keep_audit(
    case: Case,
    result: AuditResult,
    as_of: dt.date,
    suspended: bool | None = None,
    opened: bool = False,
) -> list[str]:
    """Keep what one audit of the case (``result``, as of ``as_of``) says: its findings
    and pending deadlines replace the case's stored rows (``AuditItem``), and the nearest
    deadline kept on the case is the nearest of those deadlines — one computation for
    both. ``suspended``: whether the case clock is suspended on ``as_of`` (read from the
    case's suspensions when not given); ``opened``: the case was created in this
    transaction (it has no rows to replace). Runs in the caller's transaction, which
    holds the case's row lock; the caller saves the returned fields on the case."""
    if suspended is None:
        suspended = _suspended_on(case, as_of)
    rows, nearest = _audit_items(case, result, suspended)
    # Inside the caller's transaction (no savepoint of its own): two statements.
    with transaction.atomic(savepoint=False):
        if not opened:
            AuditItem.objects.filter(case=case).delete()
        AuditItem.objects.bulk_create(rows)
    return _nearest_kept(case, nearest, as_of)


def refresh_case(case: Case, as_of: dt.date, calendar: WorkCalendar | None = None) -> None:
    """Audit the stored case as of ``as_of`` and keep what the audit says
    (``keep_audit``): after a suspension, a resumption, an import, and in the sweep."""
    result = audit(case_file(case, as_of), as_of, calendar or database_calendar())
    case.save(update_fields=keep_audit(case, result, as_of))


def refresh_locked(cases: QuerySet[Case], as_of: dt.date, calendar: WorkCalendar) -> int:
    """Audit ``cases`` (a chunk: a few hundred) again as of ``as_of`` and keep what each
    audit says, as ``refresh_case`` does, in the caller's transaction: the cases are
    locked (``SELECT … FOR UPDATE``) and read with what their case files need in a fixed
    number of queries, and their stored rows are replaced in three statements for the
    chunk (not three per case). Returns the number of cases."""
    locked = list(casefile.prefetch(cases.select_for_update(of=("self",))).order_by("pk"))
    casefile.load_certificates(locked)
    casefile.load_chunk(locked)
    rows: list[AuditItem] = []
    for case in locked:
        result = audit(case_file(case, as_of), as_of, calendar)
        items, nearest = _audit_items(case, result, _suspended_on(case, as_of))
        rows.extend(items)
        _nearest_kept(case, nearest, as_of)
    with transaction.atomic(savepoint=False):
        AuditItem.objects.filter(case__in=[c.pk for c in locked]).delete()
        AuditItem.objects.bulk_create(rows, batch_size=1000)
        Case.objects.bulk_update(locked, NEAREST_FIELDS, batch_size=1000)
    return len(locked)


def sweep(cases: QuerySet[Case], as_of: dt.date, chunk: int = SWEEP_CHUNK) -> int:
    """Audit each of ``cases`` again as of ``as_of`` and keep what the audit says
    (``refresh_case``), in this process: ``zhifa cases refresh-deadlines`` after an
    upgrade or after a year's holiday schedule was loaded (the nightly sweep splits the
    same work into chunk tasks the workers share: ``cases.tasks``). Streams the cases by
    primary key, ``chunk`` at a time, each chunk in one transaction (``refresh_locked``);
    never loads the table. Idempotent: a chunk run twice writes the same rows. Returns
    the number of cases."""
    calendar = database_calendar()
    ids = cases.order_by("pk").values_list("pk", flat=True)
    done = 0
    last = 0
    while True:
        batch = list(ids.filter(pk__gt=last)[:chunk])
        if not batch:
            return done
        with transaction.atomic():
            done += refresh_locked(Case.objects.filter(pk__in=batch), as_of, calendar)
        last = batch[-1]


def with_clock_state(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """``cases`` annotated with ``clock_suspended``: a suspension runs on ``today``."""
    running = Suspension.objects.filter(case=OuterRef("pk"), end__isnull=True, start__lte=today)
    return cases.annotate(clock_suspended=Exists(running))


def listed_deadline(case: Case, today: dt.date, calendar: WorkCalendar) -> Deadline | None:
    """The case's nearest deadline as kept on the case, judged as of ``today``: what
    the work list and the API list show (no audit). ``case`` comes from
    ``with_clock_state`` (or has its suspensions loaded).

    While the case clock is suspended, the decision period does not run: its due date
    is the one computed when the case last changed, and its status is the one it had
    then (the period neither comes closer nor passes while it is paused)."""
    if case.next_deadline is None:
        return None
    suspended = getattr(case, "clock_suspended", None)
    if suspended is None:
        suspended = _suspended_on(case, today)
    rule, due = case.next_deadline_rule, case.next_deadline
    as_of = today
    if suspended and rule == SUSPENDED_CLOCK and case.deadline_checked_on is not None:
        as_of = case.deadline_checked_on
    status = "open" if as_of <= due else "overdue"
    return _shown(rule, None, due, status, today, calendar, suspended)


# --- the work list -----------------------------------------------------------------------


def mine(user: User) -> Q:
    """Cases the user works on: the user opened the case, or an investigator of the
    case is the user's registry officer."""
    investigator = CaseOfficer.objects.filter(
        case=OuterRef("pk"), role=OfficerRole.INVESTIGATOR, officer__user=user
    )
    return Q(opened_by=user) | Q(Exists(investigator))


def work_list(cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """``cases`` (already scoped and filtered) with what a list row reads: the organ,
    the power item and whether the clock is suspended — a fixed number of queries for
    any page — in the order of work: the nearest deadline kept on the case first (an
    overdue case comes before the rest, never on a later page), the cases without one
    last, then the newest first."""
    ordered = cases.order_by(F("next_deadline").asc(nulls_last=True), "-created_at", "-pk")
    return with_clock_state(ordered.select_related("organ", "power_item"), today)


@dataclass(frozen=True)
class Row:
    case: Case
    deadline: Deadline | None


def work_rows(cases: Sequence[Case], today: dt.date, calendar: WorkCalendar) -> list[Row]:
    """A page of the work list: each case with its nearest deadline."""
    return [Row(case, listed_deadline(case, today, calendar)) for case in cases]


# --- approvals -----------------------------------------------------------------------------

#: What waits for the organ head, in the page's order.
APPROVAL_GROUPS = ("registration", "decision", "seizure", "deferral")


@dataclass(frozen=True)
class Waiting:
    """One case waiting for the organ head: its group and the steps offered."""

    group: str
    case: Case
    steps: tuple[str, ...]


def approvals(user: User) -> list[Waiting]:
    """What waits for the organ head ``user``, derived from each open case's state
    (``policy.next_steps`` for the head): registrations (立案审批), decisions after the
    prior notice (APL 57), open seizures (ACL 25 extension) and served decisions
    (deferral, APL 66), by group, oldest case first.

    Only cases that can wait for the head are read (a source awaiting registration, or
    a case with a prior notice, a seizure or a served decision), with their steps and
    suspensions and officers in four queries; the caller paginates the result."""
    steps = CaseStep.objects.filter(step__in=("prior_notice", "seizure", "served"))
    candidates = (
        scoped(
            user,
            Case.objects.exclude(status__in=(*ENDED_STATUSES, CaseStatus.TRANSFERRED)),
        )
        .filter(
            Q(status=CaseStatus.AWAITING_REGISTRATION)
            | Q(Exists(steps.filter(case=OuterRef("pk"))))
        )
        .select_related("power_item")
        .prefetch_related(
            Prefetch("steps", CaseStep.objects.only("case_id", "index", "step", "data")),
            "suspensions",
            # Who decides a summary case on the spot (``policy.decides_on_the_spot``).
            "case_officers",
        )
        .order_by("created_at", "pk")
    )
    groups: dict[str, list[Waiting]] = {name: [] for name in APPROVAL_GROUPS}
    for case in candidates:
        offered = policy.next_steps(case, user)
        if "registered" in offered:
            groups["registration"].append(Waiting("registration", case, ("registered",)))
        if "decision" in offered and case.procedure == "general":
            chosen = tuple(s for s in ("collective_discussion", "decision") if s in offered)
            groups["decision"].append(Waiting("decision", case, chosen))
        if "seizure_extended" in offered:
            groups["seizure"].append(
                Waiting("seizure", case, ("seizure_extended", "seizure_ended"))
            )
        if "deferral_approved" in offered:
            groups["deferral"].append(Waiting("deferral", case, ("deferral_approved",)))
    return [row for name in APPROVAL_GROUPS for row in groups[name]]


def last_reviews(cases: Sequence[Case]) -> dict[int, str | None]:
    """The result of each case's last legal review, or "pending" while a request for
    review waits for the reviewer (the review app's requests, by their reverse name):
    two queries for a page of cases."""
    ids = [c.pk for c in cases]
    pending = set(
        Case.objects.filter(pk__in=ids, review_requests__status="pending").values_list(
            "pk", flat=True
        )
    )
    last: dict[int, str | None] = dict.fromkeys(ids)
    for case_id, data in (
        CaseStep.objects.filter(case_id__in=ids, step="legal_review")
        .order_by("case_id", "index")
        .values_list("case_id", "data")
    ):
        last[case_id] = str((data or {}).get("result"))
    return {pk: "pending" if pk in pending else result for pk, result in last.items()}

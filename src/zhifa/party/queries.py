"""The party's read model of its case (docs/party.md): what the party page and the API
show, for one case only. Only what concerns the party: the steps by name and date (no
step's data: no review notes, no internal content), the officers who investigated by
name and certificate number, the documents served to it, its periods and what it owes —
the periods, the late fee and the payments read from the rules engine's audit of the case
(``cases.services.case_audit``, ``rules.engine.remedy_facts``), never recomputed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhifa.cases import services as cases
from zhifa.cases.actions.add_step import document_type
from zhifa.cases.labels import step_label
from zhifa.cases.models import Case, CaseStatus, OfficerRole
from zhifa.cases.policy import can_take, load_state
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.registry.models import Certificate
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import RULES, remedy_facts
from zhifa.rules.labels import deadline_label

from .models import ConductRating, PartyAccess, ServiceConsent
from .services import HEARING_RULE, SCORE_LABELS

#: The documents served to the party (the ones a party receives, APL 44, 59, 61, 64;
#: ACL 24, 35), which it may download from its page once the organ issued them.
SERVED_KINDS = (
    DocumentType.PRIOR_NOTICE,
    DocumentType.HEARING_NOTICE,
    DocumentType.PENALTY_DECISION,
    DocumentType.NO_PENALTY_DECISION,
    DocumentType.SEIZURE_DECISION,
    DocumentType.PRESERVATION_NOTICE,
    DocumentType.DEFERRAL_DECISION,
    DocumentType.DEMAND,
)
#: The engine's deadlines that concern the party.
PARTY_DEADLINES = (HEARING_RULE, "APL-67-payment")
REMEDY_RULE = "REMEDY-periods"


@dataclass(frozen=True)
class StepRow:
    index: int
    step: str
    label: str
    on: dt.date
    document_number: str
    by_party: bool


@dataclass(frozen=True)
class OfficerRow:
    name: str
    certificate: str


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    label: str
    number: str
    issued_on: dt.date


@dataclass(frozen=True)
class CaseDocumentRow:
    """A document of the case that concerns the party (``SERVED_KINDS``): numbered by its
    step, and ``document_id`` once the organ issued its PDF on the platform (then the
    party downloads it), else None."""

    kind: str
    label: str
    number: str
    on: dt.date
    document_id: int | None


@dataclass(frozen=True)
class ActRow:
    """What the party did on its case (or what was recorded of its requests), and when."""

    act: str
    label: str
    on: dt.date
    by_party: bool


@dataclass(frozen=True)
class DeadlineRow:
    rule: str
    label: str
    citation: str
    start: dt.date | None
    due: dt.date
    status: str
    status_label: str
    #: years counted without an official holiday schedule (the engine says so)
    unscheduled_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class PaymentRow:
    on: dt.date
    amount: Decimal | None


@dataclass(frozen=True)
class Money:
    fine: Decimal
    paid: Decimal
    deadline: dt.date | None
    #: the day the decision was served (None: no service recorded yet, so no deadline)
    served_on: dt.date | None
    late_fee: Decimal | None
    late_fee_cap: Decimal | None
    outstanding: Decimal
    cannot_judge: str | None
    payments: list[PaymentRow]


@dataclass
class PartyView:
    case_id: int
    number: str
    organ: str
    party_name: str
    status: str
    status_label: str
    procedure: str
    as_of: dt.date
    steps: list[StepRow]
    officers: list[OfficerRow]
    documents: list[DocumentRow]
    deadlines: list[DeadlineRow]
    money: Money | None
    may_state: bool
    may_request_hearing: bool
    statement_refusal: str
    hearing_refusal: str
    decided: bool
    rating: ConductRating | None
    #: the consent to electronic service in force (none or one)
    consents: list[ServiceConsent] = field(default_factory=list)
    #: every consent and withdrawal of the party, oldest first
    consent_history: list[ServiceConsent] = field(default_factory=list)
    #: the party's documents, numbered or issued (the page's list)
    case_documents: list[CaseDocumentRow] = field(default_factory=list)
    #: what the party did (its statements, its hearing request), oldest first
    acts: list[ActRow] = field(default_factory=list)
    #: the day of the case's hearing request, if one is recorded
    hearing_requested_on: dt.date | None = None

    @property
    def rating_label(self) -> str:
        return "" if self.rating is None else str(SCORE_LABELS.get(self.rating.score, ""))

    @property
    def may_rate(self) -> bool:
        return self.decided and self.rating is None


def _status_label(status: str) -> str:
    labels = {
        "met": pgettext("party period", "done in time"),
        "missed": pgettext("party period", "done late"),
        "open": pgettext("party period", "open"),
        "overdue": pgettext("party period", "passed"),
        "ended": pgettext("party period", "ended"),
    }
    return str(labels.get(status, status))


def party_view(access: PartyAccess, today: dt.date) -> PartyView:
    """The party's view of its case as of ``today``."""
    case: Case = access.case
    calendar = database_calendar()
    state = load_state(case)
    audited = cases.case_audit(case, today, calendar)
    principal = access.principal
    steps = [
        StepRow(
            s.index,
            s.step,
            str(step_label(s.step)),
            s.on,
            s.document_number,
            s.actor_id == principal.pk,
        )
        for s in state.steps
    ]
    deadlines: list[DeadlineRow] = []
    for item in audited.deadlines:
        if item.rule not in PARTY_DEADLINES:
            continue
        status = item.status(today)
        deadlines.append(
            DeadlineRow(
                item.rule,
                deadline_label(item.rule),
                RULES[item.rule].citation,
                item.start,
                item.due.due,
                status,
                _status_label(status),
                item.due.unscheduled_years,
            )
        )
    remedies = remedy_facts(cases.case_file(case, today), today, calendar)
    if remedies is not None:
        for label, counted in (
            (_("Application for administrative reconsideration"), remedies.reconsideration),
            (_("Administrative litigation"), remedies.litigation),
        ):
            status = "open" if today <= counted.due else "ended"
            deadlines.append(
                DeadlineRow(
                    REMEDY_RULE,
                    str(label),
                    RULES[REMEDY_RULE].citation,
                    remedies.effective_on,
                    counted.due,
                    status,
                    _status_label(status),
                    counted.unscheduled_years,
                )
            )
    facts = audited.payments
    money = None
    if facts is not None and facts.fine > 0:
        money = Money(
            fine=facts.fine,
            paid=facts.paid,
            deadline=facts.deadline,
            served_on=facts.served_on,
            late_fee=facts.late_fee,
            late_fee_cap=facts.late_fee_cap,
            outstanding=facts.outstanding,
            cannot_judge=facts.cannot_judge,
            payments=[PaymentRow(p.on, p.amount) for p in facts.payments],
        )
    statement = can_take(state, principal, "statement")
    hearing = can_take(state, principal, "hearing_requested")
    hearing_refusal = "" if hearing is None else hearing.message
    acts = _acts(state.steps, principal.pk)
    requested = next((a for a in acts if a.act == "hearing_requested"), None)
    if requested is not None:
        hearing_refusal = (
            _("You asked for a hearing on %(day)s.")
            if requested.by_party
            else _("Your request for a hearing of %(day)s is recorded in the case.")
        ) % {"day": requested.on.isoformat()}
    elif hearing is None:
        # the engine's window (APL-64-hearing-request), as the service judges it
        windows = [d for d in audited.deadlines if d.rule == HEARING_RULE]
        if not windows:
            hearing_refusal = f"{HEARING_RULE}: " + _("The notice served on you offers no hearing.")
        elif today > windows[-1].due.due:
            hearing_refusal = f"{HEARING_RULE}: " + _(
                "The time to ask for a hearing ended on %(due)s."
            ) % {"due": windows[-1].due.due.isoformat()}
    issued = list(
        IssuedDocument.objects.filter(case=case, kind__in=SERVED_KINDS).order_by("issued_on", "pk")
    )
    history = list(ServiceConsent.objects.filter(access=access).order_by("given_at", "pk"))
    in_force = history[-1] if history and not history[-1].withdrawn else None
    return PartyView(
        case_id=case.pk,
        number=case.number,
        organ=case.organ.name,
        party_name=case.party_name,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        procedure=case.procedure,
        as_of=today,
        steps=steps,
        officers=_officers(case, today),
        documents=[
            DocumentRow(d.pk, d.kind, str(d.get_kind_display()), d.number, d.issued_on)
            for d in issued
        ],
        deadlines=deadlines,
        money=money,
        may_state=statement is None,
        may_request_hearing=hearing is None and not hearing_refusal,
        statement_refusal="" if statement is None else statement.message,
        hearing_refusal=hearing_refusal,
        decided=state.decided,
        rating=ConductRating.objects.filter(case=case).first(),
        consents=[in_force] if in_force is not None else [],
        consent_history=history,
        case_documents=_case_documents(state.steps, issued),
        acts=acts,
        hearing_requested_on=requested.on if requested is not None else None,
    )


def _acts(steps: Any, principal_id: int) -> list[ActRow]:
    """The party's statements (filed online) and the case's hearing request (online or
    recorded by the organ), with their days."""
    rows: list[ActRow] = []
    for s in steps:
        by_party = s.actor_id == principal_id
        if s.step == "statement" and by_party:
            rows.append(ActRow(s.step, _("You filed your statement and defence"), s.on, True))
        elif s.step == "hearing_requested":
            label = (
                _("You asked for a hearing")
                if by_party
                else _("Your request for a hearing was recorded by the organ")
            )
            rows.append(ActRow(s.step, label, s.on, by_party))
    return rows


def _case_documents(steps: Any, issued: list[IssuedDocument]) -> list[CaseDocumentRow]:
    """The documents that concern the party: the ones its case's steps numbered (a step
    takes the document's number when it is recorded; its PDF is made when the organ
    issues it) and the ones issued on the platform, each once."""
    by_step = {(d.step_id, d.kind): d for d in issued}
    rows: list[CaseDocumentRow] = []
    seen: set[int] = set()
    for s in steps:
        kind = document_type(s.step, s.data or {}) if s.document_number else None
        if kind not in SERVED_KINDS:
            continue
        found = by_step.get((s.pk, kind))
        if found is not None:
            seen.add(found.pk)
        rows.append(
            CaseDocumentRow(
                kind,
                str(DocumentType(kind).label),
                found.number if found is not None else s.document_number,
                s.on,
                found.pk if found is not None else None,
            )
        )
    for d in issued:
        if d.pk not in seen:
            rows.append(
                CaseDocumentRow(d.kind, str(d.get_kind_display()), d.number, d.issued_on, d.pk)
            )
    rows.sort(key=lambda r: r.on)
    return rows


def _officers(case: Case, today: dt.date) -> list[OfficerRow]:
    """The officers who investigated the case: name and the number of the certificate
    valid today (the public facts of 亮证执法; nothing else of them)."""
    rows = [
        r
        for r in case.case_officers.select_related("officer").order_by("pk")
        if r.role == OfficerRole.INVESTIGATOR and r.officer is not None
    ]
    numbers: dict[int, str] = {}
    for certificate in Certificate.objects.filter(
        officer_id__in=[r.officer_id for r in rows]
    ).order_by("valid_from", "pk"):
        numbers[certificate.officer_id] = certificate.number
    seen: set[int] = set()
    out: list[OfficerRow] = []
    for r in rows:
        assert r.officer is not None
        if r.officer.pk in seen:
            continue
        seen.add(r.officer.pk)
        out.append(OfficerRow(r.officer.name, numbers.get(r.officer.pk, "")))
    return out


def served_document(access: PartyAccess, document_id: Any) -> IssuedDocument | None:
    """A document served to the party of ``access``'s case, or None (another case's, or
    a document not served to the party: the same answer)."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        return None
    return IssuedDocument.objects.filter(
        pk=pk, case_id=access.case_id, kind__in=SERVED_KINDS
    ).first()

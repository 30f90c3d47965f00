"""The API of penalty cases (issue #6): the list (with the search shared with the case
pages), one case with its steps, deadlines, suspensions and next steps, its case-file v1
export, and the writes: opening a case, adding a step, suspending and resuming the case
clock.

Every query goes through the scope layer (``core.scope``: a case outside the user's
scope is 404). Every write calls one function of ``cases.services`` — the API never
writes a model — so the same checks apply as on the case pages: who may act (403), the
case-file format and the separation of duties (400), the rules engine (422) and the
expected step count (409). A refused write writes nothing.

Errors have the one shape of ``core.api`` (``ErrorOut``). Paths of fields in a request
body are ``body.<field>`` (as pydantic reports them, e.g. ``body.by.0``)
or ``body.<field>`` for a field a service function names.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, cast, get_args

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Body, File, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import (
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.catalogue.models import PowerItem
from zhifa.core.api import ErrorOut, FieldError, error_body, error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, require_role, scoped
from zhifa.core.validation import DB_MAX_ID, Day
from zhifa.core.validation import Text as TextIn
from zhifa.documents.dossier import MAX_PAGES as MAX_DOSSIER_PAGES
from zhifa.documents.dossier import DossierTooLarge
from zhifa.documents.formats import kinds as document_kinds
from zhifa.documents.models import IssuedDocument
from zhifa.documents.rendering import StoredDocumentBroken, open_pdf
from zhifa.documents.views import document_filename, pdf_response
from zhifa.records.api import size_limited
from zhifa.registry.models import Officer
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.audit import deadline_note
from zhifa.rules.engine.catalogue import DeadlineItem
from zhifa.rules.engine.limits import MAX_STEPS
from zhifa.rules.engine.workdays import WorkCalendar

from . import queries, services
from .actions.service_receipt import (
    DEFAULT_SCAN_MAX_BYTES,
    MAX_SCAN_PAGES,
    MAX_SCAN_PIXELS,
    scan_max_bytes,
)
from .casefile import OFFICER_FIELDS, export_document
from .content import api_type as content_api_type
from .documents import (
    SignedReceiptScan,
    case_document_links,
    render_document,
    signed_receipt_scans,
)
from .dossier import build_case_dossier, dossier_filename
from .filters import filter_cases
from .models import Case, CaseStatus, CaseStep, Procedure, Suspension
from .policy import can_see_receipt_scans, next_steps
from .steps import (
    CATALOGUE_CIRCUMSTANCE,
    STEPS,
    Amount,
    Circumstance,
    PenaltyType,
    StepBase,
    StepSpec,
    StrictIn,
)

router = Router(tags=["cases"])

# --- output -------------------------------------------------------------------------------


class NextDeadlineOut(Schema):
    rule: str = Field(description="The rule ID of the deadline (the rules catalogue).")
    due: dt.date = Field(
        description="The day it falls due. While the case clock is suspended (`paused`), "
        "the due date of the decision period as computed when the case last changed: the "
        "period does not run until the case resumes."
    )
    status: Literal["open", "overdue"]
    working_days_left: int | None = Field(
        description="Open deadlines: the working days until the due date (0: due today)."
    )
    days_overdue: int | None = Field(
        description="Overdue deadlines: the calendar days past the due date."
    )
    paused: bool = Field(
        description="The decision period of a suspended case (APL 60): it does not run."
    )


class CaseOut(Schema):
    id: int
    case_id: str = Field(
        description="The source number (案源登记号) the case was entered with, or an imported "
        "case's case_id; it never changes."
    )
    registration_number: str = Field(
        description="The case number (立案号) issued when the organ head registered the case; "
        "empty while the source awaits registration, after a refused registration and for "
        "summary-procedure cases."
    )
    organ_id: int
    procedure: str
    status: str
    power: str
    party_name: str
    imported: bool
    archived_on: dt.date | None
    next_deadline: NextDeadlineOut | None = Field(
        description="The organ's nearest pending deadline (a party's window is not the "
        "organ's deadline), as the work list shows it; null when none is pending."
    )


class StepOut(Schema):
    index: int
    step: str
    on: dt.date
    data: dict[str, Any]
    document_number: str
    warnings: list[dict[str, Any]]


class DeadlineOut(Schema):
    rule: str
    start: dt.date
    due: dt.date
    status: Literal["met", "missed", "open", "overdue", "closed"] = Field(
        description="`closed`: a party's window (e.g. APL-64-hearing-request) that passed "
        "unused; the organ is not late (the case page says the same)."
    )
    note: str | None = Field(
        description="Said when a period was counted without an official holiday schedule."
    )


class SuspensionOut(Schema):
    start: dt.date
    end: dt.date | None
    reason: str


class PenaltyOut(Schema):
    type: str = Field(description="The penalty type of the case-file format (APL Art. 9).")
    amount: Decimal | None = Field(
        description="In yuan (fines and confiscation); null when the type has no amount."
    )


class PaymentOut(Schema):
    step: int = Field(description="The index of the `paid` step.")
    on: dt.date
    amount: Decimal | None = Field(
        description="In yuan; null: recorded without an amount, taken as paying the rest "
        "of the fine."
    )
    onsite: bool = Field(description="Collected on the spot (APL Art. 68-69).")
    total: Decimal = Field(description="The total paid after this payment, in yuan.")


class PenaltiesOut(Schema):
    """The last penalty decision and its payment, as of today (the case page's
    "Penalties and payment"): the rules engine's payment facts, the same the
    APL-67-payment deadline and the APL-72-late-fee amount are computed from."""

    as_of: dt.date = Field(description="The day the late fee and the status are judged.")
    decision_step: int = Field(description="The index of the `decision` step.")
    decision_number: str = Field(description="The decision's document number (文号).")
    decided_on: dt.date
    penalties: list[PenaltyOut]
    fine: Decimal = Field(description="The fines decided, in yuan (0: no fine).")
    served_on: dt.date | None = Field(description="null: the decision is not served yet.")
    service_effective_on: dt.date | None = Field(
        description="The day service took effect (service by public notice: when the "
        "notice period ends, CPL-95-public-notice)."
    )
    deferral_approved_on: dt.date | None = Field(
        description="The day a deferral or instalments were approved (APL Art. 66)."
    )
    deferred_until: dt.date | None = Field(
        description="The approved deferral's (last instalment's) day, which is then the "
        "payment deadline."
    )
    payment_deadline: dt.date | None = Field(
        description="APL-67-payment: 15 days from service, or the deferral's day; null "
        "before service, without a fine, or when the engine cannot count it."
    )
    payments: list[PaymentOut]
    paid: Decimal = Field(description="The total paid after the decision, in yuan.")
    paid_in_full_on: dt.date | None = Field(
        description="The day the payments first added up to the fine."
    )
    late_days: int = Field(
        description="The days the late fee accrued by `as_of` (paused days excluded)."
    )
    paused_days: int = Field(
        description="Late days on which a reconsideration or litigation paused the fee "
        "(APL-73-late-fee-paused)."
    )
    late_fee_daily_rate: Decimal | None = Field(
        description="The daily rate of the fine (0.03), when a day is late."
    )
    late_fee: Decimal | None = Field(
        description="APL-72-late-fee (加处罚款) accrued by `as_of`, in yuan; the `late_fee` "
        "of the case as an exact amount. null before service or without a fine."
    )
    late_fee_cap: Decimal | None = Field(
        description="The most the late fee can reach: the fine (APL Art. 72)."
    )
    fine_outstanding: Decimal = Field(description="The fine not yet paid, in yuan.")
    outstanding: Decimal = Field(
        description="The fine not yet paid plus the late fee, in yuan (payments beyond the "
        "fine count against the late fee)."
    )
    status: Literal[
        "no_fine", "not_served", "cannot_judge", "open", "overdue", "late_fee_due", "paid"
    ]
    cannot_judge: str | None = Field(
        description="The parameter the engine lacks to count the deadline or the fee."
    )


class CaseDetailOut(CaseOut):
    steps: list[StepOut]
    deadlines: list[DeadlineOut]
    late_fee: float | None = Field(
        description="The late-payment surcharge (加处罚款, APL-72) due today, in yuan; null "
        "when the case has no fine or the decision was not served."
    )
    penalties: PenaltiesOut | None = Field(
        description="The penalties decided, the payments, the late fee and the amount "
        "outstanding; null when the case has no penalty decision. Amounts are decimal "
        "strings in yuan (10000 yuan: `10000.00`)."
    )
    suspended: bool
    suspensions: list[SuspensionOut]
    next_steps: list[str] = Field(
        description="The steps the case may take next that your role may take (the order "
        "of the procedure; each is still checked by the rules when added)."
    )


class RuleFinding(FieldError):
    rule: str
    citation: str


class RuleViolationOut(ErrorOut):
    errors: list[RuleFinding] = []  # type: ignore[assignment]


def _next_deadline_out(deadline: queries.Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "rule": deadline.rule,
        "due": deadline.due,
        "status": deadline.status,
        "working_days_left": deadline.working_days_left,
        "days_overdue": deadline.days_overdue,
        "paused": deadline.paused,
    }


def _case_out(
    case: Case, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> dict[str, Any]:
    today = today or timezone.localdate()
    deadline = queries.listed_deadline(case, today, calendar or database_calendar())
    return {
        "id": case.pk,
        "case_id": case.case_id,
        "registration_number": case.registration_number,
        "organ_id": case.organ_id,
        "procedure": case.procedure,
        "status": case.status,
        "power": case.power,
        "party_name": case.party_name,
        "imported": case.imported,
        "archived_on": case.archived_on,
        "next_deadline": _next_deadline_out(deadline),
    }


def _step_out(s: CaseStep) -> dict[str, Any]:
    return {
        "index": s.index,
        "step": s.step,
        "on": s.on,
        "data": s.data,
        "document_number": s.document_number,
        "warnings": s.warnings,
    }


def _suspension_out(s: Suspension) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "reason": s.reason}


def _deadlines_out(items: Sequence[DeadlineItem], as_of: dt.date) -> list[dict[str, Any]]:
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    return [
        {
            "rule": d.rule,
            "start": d.start,
            "due": d.due.due,
            "status": queries.deadline_status(d, as_of),
            "note": deadline_note(d.due.unscheduled_years, lang),
        }
        for d in items
    ]


def _penalties_out(found: queries.Penalties | None) -> dict[str, Any] | None:
    if found is None:
        return None
    f = found.facts
    return {
        "as_of": f.as_of,
        "decision_step": f.decision,
        "decision_number": found.decision_number,
        "decided_on": f.decided_on,
        "penalties": [{"type": p.type, "amount": p.amount} for p in found.penalties],
        "fine": f.fine,
        "served_on": f.served_on,
        "service_effective_on": f.service_effective_on,
        "deferral_approved_on": f.deferral_approved_on,
        "deferred_until": f.deferred_until,
        "payment_deadline": f.deadline,
        "payments": [
            {"step": m.step, "on": m.on, "amount": m.amount, "onsite": m.onsite, "total": m.total}
            for m in f.payments
        ],
        "paid": f.paid,
        "paid_in_full_on": f.paid_in_full_on,
        "late_days": f.late_days,
        "paused_days": f.paused_days,
        "late_fee_daily_rate": f.late_fee_daily_rate,
        "late_fee": f.late_fee,
        "late_fee_cap": f.late_fee_cap,
        "fine_outstanding": f.fine_outstanding,
        "outstanding": f.outstanding,
        "status": found.status,
        "cannot_judge": f.cannot_judge,
    }


def _detail_out(case: Case, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    audited = services.case_audit(case, today)
    suspensions = list(case.suspensions.order_by("start", "pk"))
    return {
        **_case_out(case),
        "steps": [_step_out(s) for s in case.steps.order_by("index")],
        "deadlines": _deadlines_out(audited.deadlines, today),
        "late_fee": audited.late_fee,
        "penalties": _penalties_out(queries.case_penalties(case, today, audited=audited)),
        "suspended": any(s.end is None for s in suspensions),
        "suspensions": [_suspension_out(s) for s in suspensions],
        "next_steps": next_steps(case, user),
    }


def _case_or_404(request: HttpRequest, case_pk: int) -> Case:
    return get_scoped_or_404(request.user, Case.objects.all(), pk=case_pk)


CasePk = Annotated[int, Field(ge=1, le=DB_MAX_ID)]

# --- reading ------------------------------------------------------------------------------


@router.get(
    "/cases",
    response=list[CaseOut],
    summary="Penalty cases in your scope",
    description=(
        "`q` finds a case by a substring (Chinese as typed) of its case number, the "
        "party's name, the power item's code or name, or a document number issued in the "
        "case; `status` and `procedure` narrow the list (the search of the case pages). "
        "`mine=true` keeps the cases you work on: you opened them, or your registry "
        "officer investigates them (the work list's own cases; it also lists closed "
        "ones). Each case carries its nearest deadline as the work list shows it."
    ),
)
@paginate(BoundedLimitOffset)
def list_cases(
    request: HttpRequest,
    q: Annotated[TextIn, Field(max_length=200)] = "",
    status: CaseStatus | None = None,
    procedure: Procedure | None = None,
    mine: bool = False,
) -> list[dict[str, object]]:
    user: Any = request.user
    cases = scoped(user, Case.objects.all())
    if mine:
        cases = cases.filter(queries.mine(user))
    cases = filter_cases(
        cases,
        q=q,
        status=status.value if status else "",
        procedure=procedure.value if procedure else "",
    )
    today = timezone.localdate()
    calendar = database_calendar()
    return Paged(  # type: ignore[return-value]
        queries.work_list(cases, today), lambda case: _case_out(case, today, calendar)
    )


@router.get(
    "/cases/{case_pk}",
    response=CaseDetailOut,
    summary="One case: steps, deadlines, suspensions and the steps it may take next",
)
def get_case(request: HttpRequest, case_pk: CasePk) -> dict[str, Any]:
    return _detail_out(_case_or_404(request, case_pk), request.user)


@router.get(
    "/cases/{case_pk}/deadlines",
    response=list[DeadlineOut],
    summary="The case's deadlines as of a day",
    description=(
        "Every deadline rule that applies to the case, judged as of `as_of` (default "
        "today): met, missed, open or overdue. Suspended days are excluded (APL 60)."
    ),
)
def get_deadlines(
    request: HttpRequest, case_pk: CasePk, as_of: Day | None = None
) -> list[dict[str, Any]]:
    case = _case_or_404(request, case_pk)
    day = as_of or timezone.localdate()
    return _deadlines_out(services.deadlines(case, day), day)


@router.get(
    "/cases/{case_pk}/casefile",
    response=dict[str, Any],
    summary="The case as a case-file v1 document (zhifa-casefile/1)",
)
def get_case_file(request: HttpRequest, case_pk: CasePk) -> dict[str, Any]:
    case = _case_or_404(request, case_pk)
    return export_document(case, timezone.localdate())


@router.get(
    "/cases/{case_pk}/dossier",
    response=error_responses(409),
    summary="The case file (案卷) as one PDF",
    description=(
        "The case's file as the case page's 'Case file (PDF)' link gives it: a cover "
        "(卷宗封面), the index (卷内目录: 文号, title, date and page range of each document, "
        "then the evidence files attached to the case with their SM3 digest) and the "
        "case's issued documents — their stored PDFs, unchanged but "
        "for the page number added in the top margin — in filing order (docs/documents.md, "
        "'The 案卷 PDF'), every page numbered. Built when asked for, not stored; the same "
        "documents give the same bytes. Documents not issued yet are not in it. A dossier "
        f"of more than {MAX_DOSSIER_PAGES} pages is refused (409 `conflict`): download the "
        "documents one by one."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF (`Content-Disposition: attachment`).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_dossier(request: HttpRequest, case_pk: CasePk) -> HttpResponse:
    case = _case_or_404(request, case_pk)
    try:
        dossier = build_case_dossier(request.user, case)
    except DossierTooLarge as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return pdf_response(dossier.pdf, dossier_filename(case), attachment=True)


# --- the case's documents (issue #14) ----------------------------------------------------


class DocumentOut(Schema):
    """A document the case has or may have, as the case page lists it
    (``cases.documents.case_document_links``)."""

    kind: str = Field(description="The document type (a template in documents/formats/).")
    part: int = Field(
        description="For a 询问笔录 or 现场检查笔录: which record of its kind in the case "
        "(from 1); 0 for the others."
    )
    label: str
    available: bool = Field(description="The case has the step the document is made from.")
    can_issue: bool = Field(description="Not issued yet, and you may issue it now.")
    id: int | None = Field(description="The issued document; null while not issued.")
    number: str | None = Field(description="Its 文号; null while not issued.")
    issued_on: dt.date | None
    sm3: str | None = Field(description="The SM3 digest of the PDF as issued.")
    code: str | None = Field(description="The short code printed on it (public check).")
    verify_url: str | None = Field(description="Its public verification page.")
    pdf_url: str | None = Field(description="The PDF (this API).")


class DocumentIn(InputSchema):
    kind: str = Field(max_length=40, description="The document type, e.g. penalty_decision.")
    part: int = Field(
        0, ge=0, le=10_000, description="The record (from 1) for a 询问笔录 or 现场检查笔录."
    )


def _document_out(row: dict[str, Any]) -> dict[str, Any]:
    document: IssuedDocument | None = row["document"]
    issued = document is not None
    return {
        "kind": row["kind"],
        "part": row["part"],
        "label": str(row["label"]),
        "available": row["available"],
        "can_issue": row["can_issue"],
        "id": document.pk if issued else None,
        "number": (document.number or None) if issued else None,
        "issued_on": document.issued_on if issued else None,
        "sm3": document.sm3 if issued else None,
        "code": document.display_code if issued else None,
        "verify_url": reverse("document_public", args=[document.code]) if issued else None,
        "pdf_url": f"/api/v1/cases/{document.case_id}/documents/{document.pk}/pdf"
        if issued
        else None,
    }


@router.get(
    "/cases/{case_pk}/documents",
    response=list[DocumentOut],
    summary="The case's documents (执法文书): issued, or which may be issued",
    description=(
        "The documents the case page lists, in the same order: each type with a "
        "template, once the case has the step it is made from (the 立案审批表, 事先告知书, "
        "决定书 and 送达回证 from the start), a 询问笔录 or 现场检查笔录 once per record; "
        "for each, the issued document (文号, day, SM3, public code) or whether you may "
        "issue it now."
    ),
)
def list_documents(request: HttpRequest, case_pk: CasePk) -> list[dict[str, Any]]:
    case = _case_or_404(request, case_pk)
    return [_document_out(row) for row in case_document_links(request.user, case)]


@router.post(
    "/cases/{case_pk}/documents",
    response={201: DocumentOut, **error_responses(409)},
    summary="Issue one of the case's documents (rendered once, numbered, recorded)",
    description=(
        "Renders the document from its template and the case, numbers it from the organ's "
        "sequence when its step did not, stores the PDF under its SM3 digest and records "
        "it (`document.render`), in one transaction. Issued once: asked again, the same "
        "document is returned (201 again, same `id`).\n\n"
        "Refusals (nothing is written): **400** `invalid` at `body.kind` — no template "
        "of that type, or the case has no step it is made from yet, or a text the "
        "document's font cannot print; at `body.part` — the case has no such record, or "
        "the type is made from the whole step; **403** — you are not an officer or head "
        "of the case's organ; **404** — the case is not in your scope."
    ),
)
def issue_document_api(
    request: HttpRequest, case_pk: CasePk, body: DocumentIn
) -> Status[dict[str, Any]]:
    case = _case_or_404(request, case_pk)
    if body.kind not in document_kinds():
        raise ValidationError({"kind": _("No template for this document type.")})
    document = render_document(
        case,
        body.kind,
        actor=request.user,  # type: ignore[arg-type]
        base_url=request.build_absolute_uri("/"),
        part=body.part,
    )
    rows = case_document_links(request.user, case)
    row = next(
        (r for r in rows if r["document"] is not None and r["document"].pk == document.pk), None
    )
    if row is None:  # listed no more (e.g. a decision changed since): describe it alone
        row = {
            "kind": document.kind,
            "part": document.part,
            "label": str(document.get_kind_display()),
            "available": True,
            "can_issue": False,
            "document": document,
        }
    return Status(201, _document_out(row))


@router.get(
    "/cases/{case_pk}/documents/{document_id}/pdf",
    response=error_responses(409),
    summary="An issued document's PDF",
    description=(
        "The PDF as issued (its SM3 is the document's `sm3`): checked against that "
        "digest when it is read. **409** `conflict` when the stored file is missing or is "
        "not the file issued (it is not served; `zhifa records verify` reports it)."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF (`Content-Disposition: attachment`).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_document_pdf(
    request: HttpRequest, case_pk: CasePk, document_id: Annotated[int, Field(ge=1, le=DB_MAX_ID)]
) -> HttpResponse:
    case = _case_or_404(request, case_pk)
    document = get_scoped_or_404(
        request.user, IssuedDocument.objects.filter(case=case), pk=document_id
    )
    try:
        pdf = open_pdf(document)
    except StoredDocumentBroken as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return pdf_response(pdf, document_filename(document), attachment=True)


# --- input types (the case-file format's enums) -------------------------------------------

Text = Annotated[str, Field(max_length=255)]


class PartyIn(StrictIn):
    type: Literal["individual", "organisation"]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    birth_date: dt.date | None = None
    id_number: Annotated[str, Field(max_length=32)] = ""
    uscc: Annotated[str, Field(max_length=32)] = ""
    vulnerable: bool = False


class ViolationIn(StrictIn):
    occurred_on: dt.date
    ended_on: dt.date | None = None
    discovered_on: dt.date
    life_health_or_finance_with_harm: bool | None = None
    harm: Literal["none", "minor", "ordinary", "serious"] | None = None
    first_offence: bool | None = None
    corrected_promptly: bool | None = None
    no_fault_proven: bool | None = None
    mitigating: list[Literal["eliminated_harm", "coerced", "confessed_unknown", "meritorious"]] = []
    major_public_interest: bool | None = None
    complex: bool | None = None
    in_review_catalogue: bool | None = None
    criminal_suspected: bool | None = None


class BasisIn(StrictIn):
    law: Annotated[str, Field(min_length=1, max_length=255)]
    article: Annotated[str, Field(min_length=1, max_length=255)]
    penalty_types: list[PenaltyType] = Field(min_length=1)
    fine_min: Amount | None = None
    fine_max: Amount | None = None


class CaseBenchmarkIn(StrictIn):
    circumstance: Circumstance
    fine_min: Amount | None = None
    fine_max: Amount | None = None
    reason_outside_band: Annotated[str, Field(max_length=1000)] | None = None


class CaseIn(StrictIn):
    procedure: Literal["general", "summary"]
    power: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="The code of the power item, on your organ's power list."
    )
    on: dt.date | None = Field(None, description="The day the case is opened (default today).")
    party: PartyIn
    violation: ViolationIn
    basis: BasisIn
    benchmark: CaseBenchmarkIn | None = None


def _number(value: Any) -> Any:
    """Whole amounts as integers (150000, not 150000.0) in the stored document."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    return value


def _section(schema: Schema | None) -> dict[str, Any] | None:
    if schema is None:
        return None
    return _number(schema.model_dump(exclude_none=True))  # type: ignore[no-any-return]


def _invalid(errors: list[tuple[tuple[str | int, ...], str]]) -> NinjaValidationError:
    """A 400 in the one error shape for fields of the request body."""
    return NinjaValidationError(
        [
            {"loc": ("body", "payload", *loc), "msg": msg, "type": "value_error"}
            for loc, msg in errors
        ]
    )


@router.post(
    "/cases",
    response={201: CaseDetailOut, 422: RuleViolationOut},
    summary="Open a case (users of an organ)",
    description=(
        "Opens a case of your organ (the case number is issued from the organ's 立案审批表 "
        "sequence). `power` is the code of a power item on your organ's power list (in "
        "force on `on`); party, violation, basis and benchmark are the sections of the "
        "case-file format. A general case then needs the step `registered` (an organ "
        "head); a summary case goes straight to its steps. 403 for a user without an "
        "organ role; 400 naming the field for bad input; 422 `rule_violation` when a "
        "block rule refuses the case itself (e.g. POWER-kind: a penalty case under a "
        "power item that is not a penalty item), with the rule's ID and citation."
    ),
)
def open_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    organ = user.organ
    if organ is None:  # a superuser
        raise PermissionDenied
    # The organ's own item, else one entrusted to it (services.open_case then checks
    # that the item is in force and in scope on the day: APL-38, APL-power-scope).
    power_item = (
        PowerItem.objects.filter(code=payload.power, subject=organ).first()
        or PowerItem.objects.filter(code=payload.power, entrustments__entrusted=organ)
        .order_by("pk")
        .first()
    )
    if power_item is None:
        raise _invalid([(("power",), _("The power item is not on your organ's power list."))])
    try:
        case = services.open_case(
            organ,
            actor=user,
            on=payload.on or timezone.localdate(),
            procedure=payload.procedure,
            power_item=power_item,
            party=_section(payload.party) or {},
            violation=_section(payload.violation) or {},
            basis=_section(payload.basis) or {},
            benchmark=_section(payload.benchmark),
        )
    except services.RuleViolation as exc:
        findings = [{"path": "body.power", **f} for f in exc.findings]
        return Status(422, error_body(422, "rule_violation", exc.messages[0], findings))
    return Status(201, _detail_out(case, user))


# --- steps --------------------------------------------------------------------------------


def _step_schema(spec: StepSpec) -> type[StepBase]:
    """The API model of a declared step: ``step`` (its name), its API fields and, when
    it declares content sections, ``content`` (``cases.content.api_type``)."""
    fields = dict(cast("dict[str, Any]", spec.api))
    if spec.content:
        fields["content"] = (
            content_api_type(spec.content, spec.model_name) | None,
            Field(
                None,
                description="The narrative the step's documents need: "
                + ", ".join(f"`{name}`" for name in spec.content)
                + " (each optional; texts at most 20,000 characters, lists 200 items, "
                "100,000 characters in all; a character the document font lacks — an "
                "emoji, a zero-width or direction mark, a rare character — is refused at "
                "its field: the documents could not print it).",
            ),
        )
    return cast(
        "type[StepBase]",
        create_model(
            spec.model_name,
            __base__=StepBase,
            __doc__=spec.api_doc,
            __module__=__name__,
            step=(Literal[spec.name], ...),
            **fields,
        ),
    )


#: The model of each step the API takes (``steps.STEPS`` with API fields), in declared
#: order.
STEP_SCHEMAS: tuple[type[StepBase], ...] = tuple(
    _step_schema(s) for s in STEPS if s.api is not None
)
STEP_NAMES = frozenset(s.name for s in STEPS if s.api is not None)


_BUILTIN_ERRORS = frozenset(get_args(ErrorType))


def _untagged(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Report errors at the field (``body.on``), not under the union member's
    tag (``body.registered.on``); an unknown step at ``body.step``."""
    try:
        return handler(value)
    except PydanticValidationError as exc:
        details: list[InitErrorDetails] = []
        for e in exc.errors():
            loc = tuple(e["loc"])
            if loc and loc[0] in STEP_NAMES:
                loc = loc[1:]
            if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc = ("step",)
            # A custom error (an ``InputSchema`` check) is rebuilt from its message.
            kind = e["type"]
            error = kind if kind in _BUILTIN_ERRORS else PydanticCustomError(kind, e["msg"])
            detail = InitErrorDetails(type=error, loc=loc, input=e["input"])
            if "ctx" in e:
                detail["ctx"] = e["ctx"]
            details.append(detail)
        raise PydanticValidationError.from_exception_data(exc.title, details) from None


if TYPE_CHECKING:

    class StepIn(StepBase):
        step: str

else:
    StepIn = Annotated[
        Union[STEP_SCHEMAS],  # noqa: UP007 (a union of the tuple's models)
        Field(discriminator="step"),
        WrapValidator(_untagged),
    ]


def _resolve_officers(case: Case, fields: dict[str, Any]) -> None:
    """Replace officer ids by the active registry officers of the case's organ — only
    there: an id of another organ's officer, or of an inactive one, is reported like an
    unknown one (400 at its field), as the forms offer active officers only."""
    named = {f: fields[f] for f in OFFICER_FIELDS if f in fields}
    ids = {i for v in named.values() for i in (v if isinstance(v, list) else [v])}
    found = (
        Officer.objects.filter(organ_id=case.organ_id, active=True)
        .select_related("user")
        .in_bulk(ids)
    )
    message = _("No active officer with this id in the case's organ.")
    errors: list[tuple[tuple[str | int, ...], str]] = []
    for field, value in named.items():
        if isinstance(value, list):
            errors += [((field, i), message) for i, pk in enumerate(value) if pk not in found]
            fields[field] = [found.get(pk) for pk in value]
        else:
            if value not in found:
                errors.append(((field,), message))
            fields[field] = found.get(value)
    if errors:
        raise _invalid(errors)


def _rule_violation(exc: services.RuleViolation) -> Status[dict[str, Any]]:
    findings = [{"path": "body.step", **f} for f in exc.findings]
    return Status(422, error_body(422, "rule_violation", exc.messages[0], findings))


@router.post(
    "/cases/{case_pk}/steps",
    response={
        201: StepOut,
        **error_responses(409),
        422: RuleViolationOut,
    },
    summary="Add a step to a case",
    description=(
        "The body is one step of the case-file format, chosen by `step`, with `on` (its "
        "day) and `expected_steps` (the number of steps you saw). Officer fields (`by`, "
        "`officers`, `approved_by`, `host`, `reviewer`) take ids of registry officers of "
        "the case's organ. The step is checked like on the case pages and, when "
        "accepted, saved with its warnings and its document number (201).\n\n"
        "Every step is checked in order and by role: the step must be one the case may "
        "take now (`next_steps` of the case, and `decision` whenever the case is "
        "registered and undecided, so that the rules answer for what is missing) and "
        "your role must be allowed to take it; no step while the case is suspended; "
        "`on` may not be later than today. The legal review (`legal_review`) is not a "
        "step of this endpoint: it is recorded by the legal reviewer through the review "
        "app (/api/v1/review), which checks its checklist and completes the request. "
        "`decision_changed` needs `reason` and an organ head. Nor are `disclosed` and "
        "`disclosure_withdrawn`: the platform takes them when it publishes the decision "
        "and when it withdraws the publication (/decisions/, DISC-scope, APL-48-withdraw)."
        "\n\n"
        "Refusals (nothing is written): **400** `invalid` — a field is not valid, names "
        "an officer outside the case's organ, breaks the separation of duties, or the "
        "step is out of order or the case is suspended, or the case already has the "
        f"most steps a case file may have ({MAX_STEPS:,}, `body.step`) "
        "(errors[].path names the field); **403** `forbidden` — your role may not take "
        "this step; **404** — the case is not in your scope; **409** `conflict` — the "
        "case has more or fewer steps than `expected_steps` (someone changed it: "
        "reload); **422** `rule_violation` — a block rule of the rules catalogue refuses "
        "the step: errors[] lists each broken rule with its ID (`rule`), its `citation` "
        "and the message."
    ),
)
def add_step(
    request: HttpRequest, case_pk: CasePk, payload: Body[StepIn]
) -> Status[dict[str, Any]]:
    case = _case_or_404(request, case_pk)
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    fields: dict[str, Any] = _number(
        payload.model_dump(exclude={"step", "on", "expected_steps"}, exclude_none=True)
    )
    _resolve_officers(case, fields)
    if "circumstance" in fields:
        fields["circumstance"] = CATALOGUE_CIRCUMSTANCE[fields["circumstance"]]
    service = services.STEP_SERVICES[payload.step]
    try:
        saved = service(
            case, actor=user, on=payload.on, expected_steps=payload.expected_steps, **fields
        )
    except services.RuleViolation as exc:
        return _rule_violation(exc)
    except services.CaseConflict as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, _step_out(saved))


# --- the case clock -----------------------------------------------------------------------


class SuspendIn(StrictIn):
    on: dt.date
    reason: Annotated[str, Field(min_length=1, max_length=255)]


class ResumeIn(StrictIn):
    on: dt.date


@router.post(
    "/cases/{case_pk}/suspend",
    response={201: SuspensionOut},
    summary="Suspend the case clock (中止)",
    description=(
        "From `on` the days do not count towards the decision period (APL 60 excluded "
        "periods) until the case resumes; only days between the registration and the "
        "first decision count. Only the organ head suspends (internal control; 403 "
        "otherwise). 400 when the case is already suspended, decided or closed, the "
        "reason is empty, or `on` is later than today or before the registration, the "
        "last step or the end of an earlier suspension."
    ),
)
def suspend_case(
    request: HttpRequest, case_pk: CasePk, payload: SuspendIn
) -> Status[dict[str, Any]]:
    case = _case_or_404(request, case_pk)
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    suspension = services.suspend_case(case, actor=user, on=payload.on, reason=payload.reason)
    return Status(201, _suspension_out(suspension))


@router.post(
    "/cases/{case_pk}/resume",
    response={200: SuspensionOut},
    summary="Resume the case clock (恢复)",
    description=(
        "Ends the open suspension on `on` (the organ head; 403 otherwise). 400 when the "
        "case is not suspended or closed, or `on` is later than today or before the "
        "suspension's start."
    ),
)
def resume_case(request: HttpRequest, case_pk: CasePk, payload: ResumeIn) -> dict[str, Any]:
    case = _case_or_404(request, case_pk)
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    suspension = services.resume_case(case, actor=user, on=payload.on)
    return _suspension_out(suspension)


class ArchiveIn(StrictIn):
    on: dt.date


@router.post(
    "/cases/{case_pk}/archive",
    response={200: CaseOut},
    summary="Archive a closed case (归档)",
    description=(
        "Files the closed case in the archive on `on`; the SM3 of its case file is "
        "recorded (`case.archive`). An officer or the organ head (403 otherwise). 400 when "
        "the case is not closed or already archived, or `on` is before the closure or "
        "later than today."
    ),
)
def archive_case(request: HttpRequest, case_pk: CasePk, payload: ArchiveIn) -> dict[str, Any]:
    case = _case_or_404(request, case_pk)
    user: Any = request.user
    require_role(user, Role.OFFICER, Role.ORGAN_HEAD)
    return _case_out(services.archive_case(case, actor=user, on=payload.on))


# --- the signed 送达回证 (issue #14, item 5) ----------------------------------------------


class ReceiptScanOut(Schema):
    id: int
    document_id: int = Field(description="The issued 送达回证 the scan is the signed copy of.")
    document_number: str
    original_name: str
    content_type: str = Field(description="As detected from the content: PDF, JPEG or PNG.")
    size: int
    sm3: str
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str
    current: bool = Field(description="The latest scan; earlier ones are kept, replaced.")
    replaces: int | None = Field(description="The scan this one replaced.")
    download_url: str = Field(description="The file, for the users of the case's organ.")


def _scan_out(found: SignedReceiptScan) -> dict[str, Any]:
    scan = found.scan
    return {
        "id": scan.pk,
        "document_id": scan.document_id,
        "document_number": found.receipt.number,
        "original_name": scan.original_name,
        "content_type": scan.content_type,
        "size": scan.size,
        "sm3": scan.sm3,
        "sha256": scan.sha256,
        "uploaded_at": scan.uploaded_at,
        "uploaded_by": scan.uploaded_by.username,
        "current": found.current,
        "replaces": scan.replaces_id,
        "download_url": reverse("cases:receipt_scan_file", args=[scan.case_id, scan.pk]),
    }


def _organ_case_or_404(request: HttpRequest, case_pk: int) -> Case:
    """The case, for the users of its organ only: the signed receipts hold the
    signatures of the party and the witnesses (anyone else, a supervisor too: 404)."""
    case = _case_or_404(request, case_pk)
    if not can_see_receipt_scans(case, request.user):  # type: ignore[arg-type]
        raise Http404
    return case


@router.get(
    "/cases/{case_pk}/service-receipt/scans",
    response=list[ReceiptScanOut],
    summary="The scans of the signed service receipt (送达回证)",
    description=(
        "Every scan attached, in the order attached: the current one last (`current`), "
        "the earlier ones kept. The users of the case's organ only: anyone else (another "
        "organ, a supervisor) gets **404**."
    ),
)
def list_receipt_scans(request: HttpRequest, case_pk: CasePk) -> list[dict[str, Any]]:
    case = _organ_case_or_404(request, case_pk)
    return [_scan_out(s) for s in signed_receipt_scans(case)]


@decorate_view(size_limited(limit=scan_max_bytes))
@router.post(
    "/cases/{case_pk}/service-receipt/scans",
    response={201: ReceiptScanOut},
    summary="Attach the scan of the signed service receipt (multipart `file`)",
    description=(
        "The 送达回证 printed from the case, signed on paper (or its refusal witnessed), "
        "scanned: a PDF, JPEG or PNG, its type detected from its content, at most "
        f"{DEFAULT_SCAN_MAX_BYTES // (1024 * 1024)} MB (the site's "
        "`ZHIFA_RECEIPT_SCAN_MAX_BYTES`). Stored under its SM3 digest like evidence and "
        "recorded in the organ's chain (`service_receipt.attach_scan`); a new scan becomes "
        "the current one and the earlier ones are kept.\n\n"
        "Refusals (nothing is stored): **400** `invalid` at `body.file` — the file is "
        "empty, too large, not a PDF, JPEG or PNG by its content, cannot be read as one "
        f"(an encrypted PDF too), a PDF of more than {MAX_SCAN_PAGES} pages or an image of "
        f"more than {MAX_SCAN_PIXELS // 1_000_000} million pixels, or its name is a path; "
        "at `body` — the case's 送达回证 has not been issued yet (issue it on the case "
        "page first), or the case is archived; **403** — you are not an officer or head "
        "of the case's organ (a legal reviewer); **404** — the case is not your organ's."
    ),
)
def attach_receipt_scan(
    request: HttpRequest, case_pk: CasePk, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    case = _organ_case_or_404(request, case_pk)
    user: Any = request.user
    scan = services.attach_receipt_scan(
        case, actor=user, upload=file, original_name=file.name or ""
    )
    found = next(s for s in signed_receipt_scans(case) if s.scan.pk == scan.pk)
    return Status(201, _scan_out(found))

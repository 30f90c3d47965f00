"""Legal review API: the requests in your scope, submitting a case, completing a
review. The same services as the pages; errors in the one shape (400 naming the field,
403 the wrong role, 404 outside your scope)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zhifa.cases.models import Case
from zhifa.cases.services import CaseConflict
from zhifa.core.api import error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, require_role, scoped
from zhifa.core.validation import DB_MAX_ID, Id

from . import services
from .filters import filter_requests
from .models import ReviewRequest

router = Router(tags=["review"])
ORGAN = "case__organ"


class ChecklistOutcome(Schema):
    ok: bool
    comment: str = ""


class ChecklistIn(InputSchema):
    """Every item is required: OK (``ok: true``) or a problem (``ok: false``) with its
    comment. ``crime`` marked as a problem means a suspected crime (APL Art. 27)."""

    subject: ChecklistOutcome | None = None
    powers: ChecklistOutcome | None = None
    facts: ChecklistOutcome | None = None
    evidence: ChecklistOutcome | None = None
    procedure: ChecklistOutcome | None = None
    law: ChecklistOutcome | None = None
    discretion: ChecklistOutcome | None = None
    documents: ChecklistOutcome | None = None
    crime: ChecklistOutcome | None = None


class WarningOut(Schema):
    rule: str
    message: str


class ReviewOut(Schema):
    id: int
    case: int
    case_number: str
    party_name: str
    organ_id: int
    status: str
    submitted_by: str
    submitted_on: date
    note: str
    reviewer_id: int | None
    reviewer_name: str | None
    reviewed_on: date | None
    checklist: dict[str, ChecklistOutcome]
    opinion: str
    step_index: int | None
    warnings: list[WarningOut]


class RequestFilter(InputSchema):
    status: str = ""
    case: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Case id")
    q: str = ""


class SubmitIn(InputSchema):
    case: Id
    note: str
    on: date | None = None


class CompleteIn(InputSchema):
    checklist: ChecklistIn
    opinion: str
    result: str
    on: date | None = None
    expected_steps: int = Field(
        strict=True,
        ge=0,
        le=100000,
        description="The number of the case's steps you saw; 409 when the case changed meanwhile.",
    )


def _out(r: ReviewRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "case": r.case_id,
        "case_number": r.case.number,
        "party_name": r.case.party_name,
        "organ_id": r.case.organ_id,
        "status": r.status,
        "submitted_by": r.submitted_by.get_username(),
        "submitted_on": r.submitted_on,
        "note": r.note,
        "reviewer_id": r.reviewer_id,
        "reviewer_name": r.reviewer.name if r.reviewer else None,
        "reviewed_on": r.reviewed_on,
        "checklist": r.checklist,
        "opinion": r.opinion,
        "step_index": r.step.index if r.step else None,
        "warnings": services.review_warnings(r),
    }


def _requests(request: HttpRequest) -> Any:
    return scoped(
        request.user,
        ReviewRequest.objects.select_related("case", "submitted_by", "reviewer", "step"),
        ORGAN,
    )


@router.get(
    "/review/requests",
    response=list[ReviewOut],
    summary="Legal review requests in your scope (oldest first)",
)
@paginate(BoundedLimitOffset)
def list_requests(request: HttpRequest, filters: Query[RequestFilter]) -> list[dict[str, Any]]:
    found = filter_requests(_requests(request), **filters.model_dump()).order_by(
        "submitted_on", "pk"
    )
    return Paged(found, _out)  # type: ignore[return-value]


@router.get("/review/requests/{request_id}", response=ReviewOut, summary="One review request")
def get_request(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    return _out(get_scoped_or_404(request.user, _requests(request), ORGAN, pk=request_id))


@router.post(
    "/review/requests",
    response={201: ReviewOut, **error_responses(404)},
    summary="Submit a case of your organ for legal review (officers)",
)
def submit(request: HttpRequest, payload: SubmitIn) -> Status[dict[str, Any]]:
    require_role(request.user, *services.SUBMIT_ROLES)  # type: ignore[arg-type]
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=payload.case)
    created = services.submit_for_review(
        case,
        actor=request.user,  # type: ignore[arg-type]
        on=payload.on or timezone.localdate(),
        note=payload.note,
    )
    return Status(201, _out(created))


@router.post(
    "/review/requests/{request_id}/complete",
    response=ReviewOut,
    summary="Complete a pending review: checklist, opinion, result (legal reviewers)",
)
def complete(request: HttpRequest, request_id: Id, payload: CompleteIn) -> dict[str, Any]:
    review = get_scoped_or_404(request.user, _requests(request), ORGAN, pk=request_id)
    try:
        done = services.complete_review(
            review,
            actor=request.user,  # type: ignore[arg-type]
            on=payload.on or timezone.localdate(),
            checklist=payload.checklist.model_dump(exclude_none=True),
            opinion=payload.opinion,
            result=payload.result,
            expected_steps=payload.expected_steps,
        )
    except CaseConflict as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return _out(done)

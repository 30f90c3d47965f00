"""Interference records API (NA-interference): record one on a case (an officer of the
case, multipart with an optional attachment), list and read the records you may see,
acknowledge one (the organ's head, a supervisor of its region), and the evaluation
figures of an organ and year. The same services and policy as the pages; errors in the
one shape (400 naming the field, 403 the wrong user, 404 outside what you may see, 409
acknowledged already)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhifa.accounts.models import Role
from zhifa.cases.models import Case
from zhifa.core.api import error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, visible_organs
from zhifa.core.validation import DB_MAX_ID, Id
from zhifa.records import evidence_files
from zhifa.records.api import size_limited
from zhifa.rules.engine.interference import INTERFERENCE

from . import policy, services
from .models import Acknowledgement, Interference

router = Router(tags=["supervision"])
#: The attachment of a record: an optional multipart file.
OPTIONAL_FILE: Any = File(None)


class AcknowledgementOut(Schema):
    id: int
    actor: str
    actor_name: str
    role: str
    note: str
    acknowledged_at: dt.datetime


class InterferenceOut(Schema):
    id: int
    rule: str = Field(description="The catalogue rule the record is kept under.")
    citation: str
    case: int
    case_number: str
    organ_id: int
    corrects: int | None
    corrected_by: int | None
    occurred_at: dt.datetime
    source: str
    person_name: str
    person_unit: str
    person_position: str
    person_username: str | None
    method: str
    request: str
    response: str
    attachment_name: str
    attachment_size: int | None
    attachment_sm3: str
    recorded_by: str
    recorded_at: dt.datetime
    digest: str
    intact: bool = Field(description="Whether the record still matches its SM3 digest.")
    acknowledgements: list[AcknowledgementOut]


class InterferenceIn(InputSchema):
    occurred_at: dt.datetime = Field(
        description="When it happened (ISO 8601; local time if naive)."
    )
    source: str = Field(description="internal_leader, internal_staff, other_organ or outsider.")
    person_name: str
    person_unit: str = ""
    person_position: str = ""
    person_username: str = Field("", description="The person's platform user name, if any.")
    method: str = Field(description="in_person, phone, message, letter or other.")
    request: str = Field(description="What was asked.")
    response: str = Field(description="What the officer did.")
    corrects: int | None = Field(
        None, ge=1, le=DB_MAX_ID, description="The earlier record of the case this one corrects."
    )


class AcknowledgeIn(InputSchema):
    note: str


class ListFilter(InputSchema):
    year: int | None = Field(None, ge=1949, le=9999, description="The year it happened.")
    case: int | None = Field(None, ge=1, le=DB_MAX_ID)
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID)


class CountsFilter(InputSchema):
    organ: int = Field(ge=1, le=DB_MAX_ID)
    year: int = Field(ge=1949, le=9999)


class CountsOut(Schema):
    organ: int
    year: int
    rule: str
    records: int = Field(description="Current records (a correction replaces what it corrects).")
    internal: int = Field(description="Of them, by internal personnel (NA 33).")
    cases: int
    by_source: dict[str, int]
    by_method: dict[str, int]
    acknowledged_by_head: int
    acknowledged_by_supervisor: int


def _out(r: Interference) -> dict[str, Any]:
    try:
        corrected: int | None = r.corrected_by.pk
    except Interference.DoesNotExist:
        corrected = None
    return {
        "id": r.pk,
        "rule": INTERFERENCE.id,
        "citation": INTERFERENCE.citation,
        "case": r.case_id,
        "case_number": r.case.number,
        "organ_id": r.organ_id,
        "corrects": r.corrects_id,
        "corrected_by": corrected,
        "occurred_at": r.occurred_at,
        "source": r.source,
        "person_name": r.person_name,
        "person_unit": r.person_unit,
        "person_position": r.person_position,
        "person_username": r.person_user.get_username() if r.person_user else None,
        "method": r.method,
        "request": r.request,
        "response": r.response,
        "attachment_name": r.attachment_name,
        "attachment_size": r.attachment_size,
        "attachment_sm3": r.attachment_sm3,
        "recorded_by": r.recorded_by.get_username(),
        "recorded_at": r.recorded_at,
        "digest": r.digest,
        "intact": services.is_intact(r),
        "acknowledgements": [_ack_out(a) for a in r.acknowledgements.all()],
    }


def _ack_out(a: Acknowledgement) -> dict[str, Any]:
    return {
        "id": a.pk,
        "actor": a.actor.get_username(),
        "actor_name": a.actor.get_full_name(),
        "role": a.role,
        "note": a.note,
        "acknowledged_at": a.acknowledged_at,
    }


@router.get(
    "/supervision/interference",
    response=list[InterferenceOut],
    summary="Interference records you may see (NA-interference), latest first",
)
@paginate(BoundedLimitOffset)
def list_interference(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    found = (
        policy.visible(request.user)
        .select_related("case", "recorded_by", "person_user", "corrected_by")
        .prefetch_related("acknowledgements__actor")
    )
    if filters.year is not None:
        found = found.filter(occurred_at__year=filters.year)
    if filters.case is not None:
        found = found.filter(case_id=filters.case)
    if filters.organ is not None:
        found = found.filter(organ_id=filters.organ)
    return Paged(found.order_by("-occurred_at", "-pk"), _out)


@router.get(
    "/supervision/interference/{interference_id}",
    response=InterferenceOut,
    summary="One interference record",
)
def get_interference(request: HttpRequest, interference_id: Id) -> dict[str, Any]:
    return _out(policy.get_visible_or_404(request.user, interference_id))


@decorate_view(size_limited(limit=lambda: evidence_files.max_bytes("document")))
@router.post(
    "/cases/{case_pk}/interference",
    response={201: InterferenceOut},
    summary="Record an attempt to interfere in a case (an officer of the case; multipart)",
)
def record_interference(
    request: HttpRequest,
    case_pk: Id,
    data: Form[InterferenceIn],
    file: UploadedFile | None = OPTIONAL_FILE,
) -> Status[dict[str, Any]]:
    case = get_scoped_or_404(request.user, Case.objects.select_related("organ__region"), pk=case_pk)
    corrects = None
    if data.corrects is not None:
        corrects = policy.visible(request.user).filter(pk=data.corrects, case=case).first()
        if corrects is None:
            policy.require_may_record(request.user, case)
            raise Http404
    values = data.model_dump(exclude={"corrects"})
    created = services.record_interference(
        case,
        actor=request.user,
        upload=file,
        original_name=(file.name or "") if file is not None else "",
        corrects=corrects,
        **values,
    )
    return Status(201, _out(created))


@router.post(
    "/supervision/interference/{interference_id}/acknowledgements",
    response={201: AcknowledgementOut, **error_responses(409)},
    summary="Acknowledge a record with a note (the organ's head, a supervisor of its region)",
)
def acknowledge(
    request: HttpRequest, interference_id: Id, payload: AcknowledgeIn
) -> Status[dict[str, Any]]:
    record = policy.get_visible_or_404(request.user, interference_id)
    try:
        ack = services.acknowledge(record, actor=request.user, note=payload.note)
    except services.AlreadyAcknowledged as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, _ack_out(ack))


@router.get(
    "/supervision/interference-counts",
    response={200: CountsOut, **error_responses(404)},
    summary="Evaluation figures of an organ's interference records in a year",
)
def interference_counts(request: HttpRequest, filters: Query[CountsFilter]) -> dict[str, Any]:
    user: Any = request.user
    if getattr(user, "role", None) not in (Role.ORGAN_HEAD, Role.SUPERVISOR):
        raise PermissionDenied
    organ = visible_organs(user).filter(pk=filters.organ).first()
    if organ is None:
        raise Http404
    return {
        **services.interference_counts(organ, filters.year),
        "rule": INTERFERENCE.id,
    }

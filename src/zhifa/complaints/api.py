"""The complaints API (docs/complaints.md lists every answer).

Public (no authentication; rate-limited per client like the public pages: 429
``rate_limited``; counted in their own ``complaints`` bucket, pages and API together):

- ``POST /public/complaints``: file a complaint or report (JSON, no attachments). 201
  with the number and the access code (shown once, stored hashed); 400 naming the field.
- ``POST /public/complaints/multipart``: the same filing as ``multipart/form-data``, the
  same fields and up to ``services.MAX_ATTACHMENTS`` photos or PDFs under ``files``,
  checked and stored by the page's service (``services.file_complaint``: type judged from
  the content, size, count; stored by digest). A refused file is named ``files[<n>]``
  (from 0; ``files`` for their count) and nothing is written.
- ``POST /public/complaints/lookup``: follow a filing by number and access code. 200
  with what the filer may see (status, acknowledgement deadline with its rules, notes,
  result); 404 when the number and the code do not match (not told apart).
- ``POST /public/complaints/dispute``: the filer says a closure did not resolve it,
  once. 200; 400 (``invalid``: not closed, or already disputed; field errors); 404.

The desk (the receiving unit's staff and the supervisor of the region; everyone else,
the organ and the officer complained about included, gets 404 — COMPLAINT-confidential).
The filer's identity and contact are given only to the staff assigned to the filing and
the supervisor of the region; to the unit's other staff they are ``null`` with
``filer_withheld`` true:

- ``GET /complaints`` (``?assigned_to_me=true``: the filings assigned to you),
  ``GET /complaints/{complaint_id}``;
- ``POST /complaints/{complaint_id}/assign`` (the unit's head): the staff who handle it;
  400 naming ``assignee_ids`` (the officer complained about, another organ's user …);
- ``POST /complaints/{complaint_id}/accept`` · ``/reject`` · ``/progress`` · ``/close`` ·
  ``/review`` · ``/reassign`` (supervisors) · ``/merge``: 200; 400 (field errors, or the filing's
  state does not allow it, with the refusal's code); 403 (the role may not: handling is
  the unit's head's and the assigned staff's); 404.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhifa.core.api import BAD_INPUT_DESCRIPTION, error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.validation import Id
from zhifa.disclosure.api import rate_limited_as
from zhifa.registry.models import EnforcementSubject, Officer

from . import policy, routing, services
from .models import Complaint
from .views import ASSIGNMENTS, staff_notes

router = Router(tags=["complaints"])


@contextmanager
def _as_fields(names: Mapping[str, str]) -> Iterator[None]:
    """A service's field errors renamed to the request's fields (``organ`` ->
    ``organ_id``), so that a 400 names what the client sent."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in exc.message_dict.items()}
        ) from exc


_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
_RATE_LIMITED = {
    "responses": {
        429: {
            "description": "Too many requests from this client (`code` `rate_limited`): "
            "retry after the `Retry-After` seconds.",
            "content": _ERROR_REF,
        }
    }
}


#: The public follow-up's answer when the number and the code do not match.
_FOLLOW_EXTRA = {
    "responses": {
        **_RATE_LIMITED["responses"],
        404: {
            "description": "No filing has this number and access code (`code` `not_found`; "
            "a wrong number and a wrong code are not told apart).",
            "content": _ERROR_REF,
        },
    }
}


class ComplaintRuleOut(Schema):
    rule: str = Field(description="The rule ID (legal-rules.md).")
    citation: str


class ComplaintClockOut(Schema):
    due_on: date = Field(description="The filer is told whether it was accepted by this day.")
    working_days: int
    rules: list[ComplaintRuleOut]
    unscheduled_years: list[int] = Field(
        description="Years counted without a loaded holiday schedule (weekends and the "
        "fixed statutory holidays only)."
    )
    acknowledged_on: date | None


class ComplaintNoteOut(Schema):
    kind: str
    on: date
    text: str


class ComplaintTogetherOut(Schema):
    number: str
    status: str
    result: str = Field(description="Its filer's name and contact masked (〔已隐去〕).")
    notes: list[ComplaintNoteOut] = Field(
        description="What its unit told (not its filer's words), its filer's name and "
        "contact masked (COMPLAINT-confidential)."
    )


class PublicComplaintOut(Schema):
    number: str
    kind: str
    category: str
    category_label: str
    region: str
    status: str
    reopened: bool = Field(
        description="Handled again after the supervisor's second look reopened it "
        "(`status` is `accepted` again)."
    )
    received_on: date
    receiving_unit: str
    clock: ComplaintClockOut
    notes: list[ComplaintNoteOut]
    rejection_reasons: str = Field(
        description="To staff from whom the filer is withheld, the filer's name and contact "
        "masked (〔已隐去〕), as in `notes` and `result`."
    )
    result: str
    can_dispute: bool
    handled_with: ComplaintTogetherOut | None = Field(
        None, description="The filing this one was merged into, when it was."
    )


class FiledComplaintOut(PublicComplaintOut):
    access_code: str = Field(description="Shown once: with the number, it follows the filing.")


class ComplaintAssigneeOut(Schema):
    id: int
    username: str
    name: str


class ComplaintOut(PublicComplaintOut):
    id: int
    received_at: datetime
    address: str
    description: str
    subject_organ_id: int | None
    subject_officer_id: int | None
    filer_withheld: bool = Field(
        description="The filer's identity is withheld from you (COMPLAINT-confidential: "
        "only the assigned staff and the supervisor of the region read it); then "
        "`anonymous`, `filer_name` and `filer_contact` are null."
    )
    anonymous: bool | None
    filer_name: str | None = Field(description="Confidential (COMPLAINT-confidential).")
    filer_contact: str | None = Field(description="Confidential (COMPLAINT-confidential).")
    assignees: list[ComplaintAssigneeOut] = Field(
        description="The staff assigned to handle it (承办人员)."
    )
    receiving_unit_id: int
    case_id: int | None
    attachments: list[str] = Field(description="SM3 digests of the attachments.")


class ComplaintFileIn(InputSchema):
    category: str = Field(max_length=32)
    region: str = Field(max_length=9, description="GB/T 2260 region code.")
    address: str = Field(max_length=255)
    description: str = Field(max_length=services.MAX_DESCRIPTION)
    subject_organ_id: Id | None = None
    subject_officer_id: Id | None = None
    filer_name: str = Field("", max_length=64)
    filer_contact: str = Field("", max_length=128)


class ComplaintLookupIn(InputSchema):
    number: str = Field(max_length=32)
    code: str = Field(max_length=32)


class ComplaintDisputeIn(ComplaintLookupIn):
    reason: str = Field(max_length=services.MAX_TEXT)


class ComplaintAcceptIn(InputSchema):
    note: str = Field("", max_length=services.MAX_TEXT)


class ComplaintRejectIn(InputSchema):
    reasons: str = Field(max_length=services.MAX_TEXT)


class ComplaintProgressIn(InputSchema):
    text: str = Field(max_length=services.MAX_TEXT)


class ComplaintCloseIn(InputSchema):
    result: str = Field(max_length=services.MAX_TEXT)


class ComplaintMergeIn(InputSchema):
    into_id: Id = Field(description="An open filing of the same unit.")
    note: str = Field("", max_length=services.MAX_TEXT)


class ComplaintReassignIn(InputSchema):
    organ_id: Id = Field(description="An active unit of the supervisor's region.")
    reason: str = Field(max_length=services.MAX_TEXT)


class ComplaintAssignIn(InputSchema):
    assignee_ids: list[Id] = Field(
        min_length=1,
        max_length=50,
        description="The whole new list: active officers or heads of the receiving unit "
        "(for a justice bureau, also supervisors of the region); never the officer "
        "complained about.",
    )
    note: str = Field("", max_length=services.MAX_TEXT)


class ComplaintReviewIn(InputSchema):
    decision: Literal["reopen", "confirm"]
    note: str = Field(max_length=services.MAX_TEXT)


def _public(
    c: Complaint, filer_shown: bool = True, others: list[Complaint] | None = None
) -> dict[str, Any]:
    """The filing as its filer follows it, the filers of the filings handled together
    with it never named (``others``, by default ``policy.together_with``);
    ``filer_shown`` False: as staff who do not see the filer read it (a dispute's words
    through ``policy.note_words``)."""
    if others is None:
        others = policy.together_with(c)
    return {
        "number": c.number,
        "kind": c.kind,
        "category": c.category,
        "category_label": routing.category_label(c.category),
        "region": c.region.code,
        "status": c.status,
        "reopened": c.reopened,
        "received_on": c.received_on,
        "receiving_unit": c.organ.name,
        "clock": {
            "due_on": c.ack_due_on,
            "working_days": c.ack_working_days,
            "rules": [{"rule": r[0], "citation": r[1]} for r in c.ack_rules],
            "unscheduled_years": list(c.ack_unscheduled_years or ()),
            "acknowledged_on": c.acknowledged_on,
        },
        "notes": [
            {"kind": n.kind, "on": n.on, "text": policy.note_words(c, n, filer_shown, others)}
            for n in sorted(c.notes.all(), key=lambda n: (n.created_at, n.pk))
        ],
        "rejection_reasons": policy.filer_words(c, c.rejection_reasons, filer_shown, others),
        "result": policy.filer_words(c, c.result, filer_shown, others),
        "can_dispute": policy.can_dispute(c) is None,
        "handled_with": _together(c.merged_into, others) if c.merged_into_id else None,
    }


def _together(other: Complaint | None, others: list[Complaint]) -> dict[str, Any] | None:
    """The filing handled together with the reader's, as its own filer (and those of
    ``others``) is never shown to them (``policy.filer_words``)."""
    if other is None:
        return None
    return {
        "number": other.number,
        "status": other.status,
        "result": policy.filer_words(other, other.result, False, others)
        if other.status != "accepted"
        else "",
        "notes": [
            {"kind": n.kind, "on": n.on, "text": policy.note_words(other, n, False, others)}
            for n in staff_notes(other)
        ],
    }


def _out(c: Complaint, user: Any) -> dict[str, Any]:
    shown = policy.can_see_filer(user, c)
    # The staff's own policy decides whom they read (``can_see_filer``), of this filing
    # and of those handled together with it (a list says which have any).
    grouped = c.merged_into_id is not None or getattr(c, "has_followers", True)
    others = policy.withheld_together(user, c) if grouped else []
    return {
        **_public(c, shown, others),
        "id": c.pk,
        "received_at": c.received_at,
        "address": c.address,
        "description": policy.filer_words(c, c.description, shown),
        "subject_organ_id": c.subject_organ_id,
        "subject_officer_id": c.subject_officer_id,
        "filer_withheld": not shown,
        "anonymous": c.is_anonymous if shown else None,
        "filer_name": c.filer_name if shown else None,
        "filer_contact": c.filer_contact if shown else None,
        "assignees": [
            {"id": a.user_id, "username": a.user.username, "name": a.user.get_full_name()}
            for a in c.assignments.all()
        ],
        "receiving_unit_id": c.organ_id,
        "case_id": c.case_id,
        "attachments": [a.sm3 for a in c.attachments.all()],
    }


#: The 400 of the filings: the request's fields, and (multipart) each refused file.
_FILE_400 = {
    "description": BAD_INPUT_DESCRIPTION
    + " A filing also names: `category` (not a listed category), `region` (not a region "
    "of this platform, or no unit receives filings for it yet), `subject_organ_id` / "
    "`subject_officer_id` (no such active organ or officer; named in a report; the "
    "officer not of that organ), text over its length.",
    "content": _ERROR_REF,
}
_FILE_EXTRA = {"responses": {**_RATE_LIMITED["responses"], 400: _FILE_400}}
_FILE_MULTIPART_EXTRA = {
    "responses": {
        **_RATE_LIMITED["responses"],
        400: {
            **_FILE_400,
            "description": _FILE_400["description"]
            + " Attachments (nothing is written when one is refused): `files` (more than "
            f"{services.MAX_ATTACHMENTS}), `files[<n>]` (the n-th file, from 0, with its "
            "name: empty, larger than "
            f"{services.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB, its content not "
            f"{' / '.join(sorted(services.ATTACHMENT_TYPES))} whatever its name or "
            "declared type says, or a file name with a path or control characters).",
        },
    }
}
#: The multipart filing's files: none, or up to ``services.MAX_ATTACHMENTS``.
NO_FILES: Any = File(
    None,
    description=f"Up to {services.MAX_ATTACHMENTS} photos or documents (JPEG, PNG or PDF, "
    f"judged from the content; at most {services.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB "
    "each).",
)


def _file(payload: ComplaintFileIn, uploads: list[Any]) -> Status[dict[str, Any]]:
    """A filing through the API (JSON or multipart): ``services.file_complaint``, the
    page's service, with the request's field names."""
    organ = officer = None
    errors: dict[str, list[str]] = {}
    if payload.subject_organ_id is not None:
        organ = EnforcementSubject.objects.filter(pk=payload.subject_organ_id, active=True).first()
        if organ is None:
            errors["subject_organ_id"] = [_("No such organ.")]
    if payload.subject_officer_id is not None:
        officer = Officer.objects.filter(pk=payload.subject_officer_id).first()
        if officer is None:
            errors["subject_officer_id"] = [_("No such officer.")]
    if errors:
        raise ValidationError(errors)
    with _as_fields({"subject_organ": "subject_organ_id", "subject_officer": "subject_officer_id"}):
        filed = services.file_complaint(
            category=payload.category,
            region_code=payload.region,
            address=payload.address,
            description=payload.description,
            filer_name=payload.filer_name,
            filer_contact=payload.filer_contact,
            subject_organ=organ,
            subject_officer=officer,
            attachments=uploads,
            attachment_field=_files_field,
        )
    return Status(201, {**_public(filed.complaint), "access_code": filed.access_code})


def _files_field(index: int | None) -> str:
    return "files" if index is None else f"files[{index}]"


@router.post(
    "/public/complaints",
    response={201: FiledComplaintOut},
    auth=None,
    summary="File a complaint or report (public; anonymous allowed; JSON, no attachments)",
    openapi_extra=_FILE_EXTRA,
)
@rate_limited_as("complaints")
def file_public(request: HttpRequest, payload: ComplaintFileIn) -> Status[dict[str, Any]]:
    return _file(payload, [])


@router.post(
    "/public/complaints/multipart",
    response={201: FiledComplaintOut},
    auth=None,
    summary="File a complaint or report with photos or documents (public; multipart)",
    openapi_extra=_FILE_MULTIPART_EXTRA,
)
@rate_limited_as("complaints")
def file_public_multipart(
    request: HttpRequest,
    payload: Form[ComplaintFileIn],
    files: list[UploadedFile] | None = NO_FILES,
) -> Status[dict[str, Any]]:
    return _file(payload, list(files or []))


@router.post(
    "/public/complaints/lookup",
    response=PublicComplaintOut,
    auth=None,
    summary="Follow a filing by its number and access code (public)",
    openapi_extra=_FOLLOW_EXTRA,
)
@rate_limited_as("complaints")
def lookup(request: HttpRequest, payload: ComplaintLookupIn) -> dict[str, Any]:
    found = services.find_by_code(payload.number, payload.code)
    if found is None:
        raise Http404
    return _public(found)


@router.post(
    "/public/complaints/dispute",
    response=PublicComplaintOut,
    auth=None,
    summary='Dispute a closure ("未解决"), once (public, number and access code)',
    openapi_extra=_FOLLOW_EXTRA,
)
@rate_limited_as("complaints")
def dispute(request: HttpRequest, payload: ComplaintDisputeIn) -> dict[str, Any]:
    found = services.find_by_code(payload.number, payload.code)
    if found is None:
        raise Http404
    return _public(services.dispute(found, reason=payload.reason))


def _visible(request: HttpRequest) -> Any:
    return (
        policy.visible(request.user)
        .select_related("organ", "region", "subject_officer", "merged_into")
        .prefetch_related("notes", "attachments", ASSIGNMENTS)
    )


def _get(request: HttpRequest, complaint_id: int) -> Complaint:
    found = _visible(request).filter(pk=complaint_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/complaints",
    response=list[ComplaintOut],
    summary="The filings you handle or supervise (acknowledgement clock first)",
)
@paginate(BoundedLimitOffset)
def list_complaints(request: HttpRequest, assigned_to_me: bool = False) -> Any:
    followers = Complaint.objects.filter(merged_into=OuterRef("pk"))
    found = (
        _visible(request)
        .annotate(has_followers=Exists(followers))
        .order_by("status", "ack_due_on", "pk")
    )
    if assigned_to_me:
        found = found.filter(assignments__user_id=request.user.pk)
    return Paged(found, lambda c: _out(c, request.user))


@router.get("/complaints/{complaint_id}", response=ComplaintOut, summary="One filing")
def get_complaint(request: HttpRequest, complaint_id: Id) -> dict[str, Any]:
    return _out(_get(request, complaint_id), request.user)


@router.post(
    "/complaints/{complaint_id}/assign",
    response=ComplaintOut,
    summary="Assign the staff who handle a filing, or change them (the unit's head)",
)
def assign(request: HttpRequest, complaint_id: Id, payload: ComplaintAssignIn) -> dict[str, Any]:
    complaint = _get(request, complaint_id)
    with _as_fields({"assignees": "assignee_ids"}):
        done = services.assign(
            complaint,
            actor=request.user,  # type: ignore[arg-type]
            assignees=list(payload.assignee_ids),
            note=payload.note,
        )
    return _out(_get(request, done.pk), request.user)


@router.post(
    "/complaints/{complaint_id}/accept",
    response=ComplaintOut,
    summary="Accept (JL-complaint-ack); the filer is told",
)
def accept(request: HttpRequest, complaint_id: Id, payload: ComplaintAcceptIn) -> dict[str, Any]:
    done = services.accept(_get(request, complaint_id), actor=request.user, note=payload.note)  # type: ignore[arg-type]
    return _out(_get(request, done.pk), request.user)


@router.post(
    "/complaints/{complaint_id}/reject",
    response=ComplaintOut,
    summary="Do not accept, with the reasons the filer is told (JL-complaint-ack)",
)
def reject(request: HttpRequest, complaint_id: Id, payload: ComplaintRejectIn) -> dict[str, Any]:
    done = services.reject(_get(request, complaint_id), actor=request.user, reasons=payload.reasons)  # type: ignore[arg-type]
    return _out(_get(request, done.pk), request.user)


@router.post(
    "/complaints/{complaint_id}/progress",
    response={201: ComplaintNoteOut, **error_responses()},
    summary="A progress note the filer sees",
)
def progress(
    request: HttpRequest, complaint_id: Id, payload: ComplaintProgressIn
) -> Status[dict[str, Any]]:
    note = services.add_progress(_get(request, complaint_id), actor=request.user, text=payload.text)  # type: ignore[arg-type]
    return Status(201, {"kind": note.kind, "on": note.on, "text": note.text})


@router.post(
    "/complaints/{complaint_id}/close", response=ComplaintOut, summary="Close with the result"
)
def close(request: HttpRequest, complaint_id: Id, payload: ComplaintCloseIn) -> dict[str, Any]:
    done = services.close(_get(request, complaint_id), actor=request.user, result=payload.result)  # type: ignore[arg-type]
    return _out(_get(request, done.pk), request.user)


@router.post(
    "/complaints/{complaint_id}/review",
    response=ComplaintOut,
    summary="The supervisor's second look at a disputed closure: reopen or confirm",
)
def review(request: HttpRequest, complaint_id: Id, payload: ComplaintReviewIn) -> dict[str, Any]:
    done = services.review(
        _get(request, complaint_id),
        actor=request.user,  # type: ignore[arg-type]
        decision=payload.decision,
        note=payload.note,
    )
    return _out(_get(request, done.pk), request.user)


@router.post(
    "/complaints/{complaint_id}/reassign",
    response=ComplaintOut,
    summary="Hand a filing not yet closed to another unit of the region (supervisors)",
)
def reassign(
    request: HttpRequest, complaint_id: Id, payload: ComplaintReassignIn
) -> dict[str, Any]:
    complaint = _get(request, complaint_id)
    organ = EnforcementSubject.objects.select_related("region").filter(pk=payload.organ_id).first()
    if organ is None:
        policy.enforce(policy.can_reassign(request.user, complaint))
        raise ValidationError({"organ_id": [_("Choose an active unit of your region.")]})
    with _as_fields({"organ": "organ_id"}):
        done = services.reassign(
            complaint,
            actor=request.user,  # type: ignore[arg-type]
            organ=organ,
            reason=payload.reason,
        )
    found = policy.visible(request.user).filter(pk=done.pk).first()
    return _out(found if found is not None else done, request.user)


@router.post(
    "/complaints/{complaint_id}/merge",
    response=ComplaintOut,
    summary="Handle a duplicate together with an open filing of the same unit",
)
def merge(request: HttpRequest, complaint_id: Id, payload: ComplaintMergeIn) -> dict[str, Any]:
    complaint = _get(request, complaint_id)
    into = _visible(request).filter(pk=payload.into_id).first()
    if into is None:
        raise Http404
    done = services.merge(complaint, actor=request.user, into=into, note=payload.note)  # type: ignore[arg-type]
    return _out(_get(request, done.pk), request.user)

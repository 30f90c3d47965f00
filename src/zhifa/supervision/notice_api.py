"""Supervision notices API (SUP-notice): list and read the notices you may see; a
supervisor issues one to an organ of their region; a user of the organ submits its
written reply (multipart, optional files); the supervisor accepts or returns it. The same
services and policy as the pages (``notices``); errors in the one shape: 400 naming the
field (``body.<field>``), 403 the wrong role, 404 outside your scope, 409 the notice is
not in the state the act needs."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhifa.core.api import error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.validation import DB_MAX_ID, Id
from zhifa.records import evidence_files
from zhifa.records.api import size_limited
from zhifa.rules.engine.notices import SUP_NOTICE, reply_due

from . import notices
from .models import OPEN_NOTICE_STATUSES, Notice, NoticeReply

router = Router(tags=["supervision"])

NO_FILES: Any = File(
    None,
    description=f"Up to {notices.MAX_FILES} files: photos (JPEG or PNG) or PDF files, judged "
    "from the content, whose names must say the same (report.pdf is a PDF).",
)

ISSUE_ERRORS = (
    "400 names the field: `organ` (not an organ of your region), `kind`, `findings`, "
    "`rectification` (empty or not text), `deadline` (not after today, or more than a year "
    "ahead), `cases` (not the organ's cases in your scope), `pattern` (neither cases nor a "
    "pattern given), or `__all__` (the number is taken). 403: not a supervisor of a region "
    "whose own justice bureau issues the notice (a region without a bureau of its own "
    "issues none)."
)
REPLY_ERRORS = (
    "400 names the field: `text` (empty), `files` (more than the limit, a refused file "
    "name, a content that is not a photo (JPEG or PNG) or PDF, or not what the name "
    "says, too large). 403: not the head of the organ (the reply is the organ's). 404: "
    "not in your scope. 409: no reply is owed (one awaits the supervisor, or the notice "
    "is closed)."
)
REVIEW_ERRORS = (
    "400: `reasons` empty (return). 403: not a supervisor of the issuing justice "
    "bureau's region. 404: not in your scope. 409: no reply awaits review."
)


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    sm3: str


class ReplyOut(Schema):
    attempt: int
    number: str
    text: str
    attachments: list[AttachmentOut]
    submitted_by: str
    submitted_at: dt.datetime
    late: bool = Field(description="Submitted after the rectification deadline (SUP-notice).")
    document_sm3: str
    decision: str = Field(description="'' (awaiting the supervisor), accepted or returned.")
    reasons: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None


class NoticeOut(Schema):
    id: int
    rule: str
    citation: str
    number: str
    kind: str = Field(description="notice (执法监督通知书) or suggestion (执法监督建议书).")
    organ_id: int
    organ_name: str
    issuer_name: str
    cases: list[int]
    pattern: str
    findings: str
    rectification: str
    deadline: dt.date
    reply_due: dt.date = Field(description="The day the written reply is due (SUP-notice).")
    status: str = Field(description="awaiting_reply, replied, returned or closed.")
    overdue: bool = Field(description="A reply is owed and the deadline has passed.")
    issued_by: str
    issued_at: dt.datetime
    issued_on: dt.date
    document_sm3: str
    digest: str
    intact: bool
    replies: list[ReplyOut]


class NoticeIn(InputSchema):
    organ: int = Field(ge=1, le=DB_MAX_ID, description="An organ of your region.")
    kind: str = Field(description="notice or suggestion.")
    cases: list[Id] = Field(
        default_factory=list, max_length=200, description="The organ's cases concerned."
    )
    pattern: str = Field("", description="A pattern of problems (needed without cases).")
    findings: str
    rectification: str
    deadline: dt.date = Field(description="The rectification deadline: a date after today.")


class ReplyIn(InputSchema):
    text: str = Field(description="The rectification done.")


class ReturnIn(InputSchema):
    reasons: str


class ListFilter(InputSchema):
    status: str | None = Field(None, pattern="^(awaiting_reply|replied|returned|closed)$")
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID)


def _reply_out(r: NoticeReply) -> dict[str, Any]:
    return {
        "attempt": r.attempt,
        "number": r.number,
        "text": r.text,
        "attachments": [
            {"name": a["name"], "content_type": a["type"], "size": a["size"], "sm3": a["sm3"]}
            for a in r.attachments
        ],
        "submitted_by": r.submitted_by.get_username(),
        "submitted_at": r.submitted_at,
        "late": r.late,
        "document_sm3": r.sm3,
        "decision": r.decision,
        "reasons": r.reasons,
        "reviewed_by": r.reviewed_by.get_username() if r.reviewed_by else None,
        "reviewed_at": r.reviewed_at,
    }


def _out(n: Notice) -> dict[str, Any]:
    from django.utils import timezone

    cases = sorted(c.pk for c in n.cases.all())
    return {
        "id": n.pk,
        "rule": SUP_NOTICE.id,
        "citation": SUP_NOTICE.citation,
        "number": n.number,
        "kind": n.kind,
        "organ_id": n.organ_id,
        "organ_name": n.organ.name,
        "issuer_name": n.issuer_name,
        "cases": cases,
        "pattern": n.pattern,
        "findings": n.findings,
        "rectification": n.rectification,
        "deadline": n.deadline,
        "reply_due": reply_due(n.deadline),
        "status": n.status,
        "overdue": n.status in OPEN_NOTICE_STATUSES and n.deadline < timezone.localdate(),
        "issued_by": n.issued_by.get_username(),
        "issued_at": n.issued_at,
        "issued_on": n.issued_on,
        "document_sm3": n.sm3,
        "digest": n.digest,
        "intact": notices.notice_digest(n, cases) == n.digest,
        "replies": [_reply_out(r) for r in sorted(n.replies.all(), key=lambda r: r.attempt)],
    }


def _rows(user: Any) -> Any:
    return (
        notices.visible(user)
        .select_related("organ", "issued_by")
        .prefetch_related("cases", "replies__submitted_by", "replies__reviewed_by")
    )


def _one(user: Any, pk: int) -> Notice:
    notices.get_visible_or_404(user, pk)
    return _rows(user).get(pk=pk)


@router.get(
    "/supervision/notices",
    response=list[NoticeOut],
    summary="Supervision notices you may see (SUP-notice), latest first",
)
@paginate(BoundedLimitOffset)
def list_notices(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    found = _rows(request.user)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.organ is not None:
        found = found.filter(organ_id=filters.organ)
    return Paged(found.order_by("-issued_at", "-pk"), _out)


@router.get(
    "/supervision/notices/{notice_id}",
    response=NoticeOut,
    summary="One supervision notice with its replies",
)
def get_notice(request: HttpRequest, notice_id: Id) -> dict[str, Any]:
    return _out(_one(request.user, notice_id))


@router.post(
    "/supervision/notices",
    response={201: NoticeOut},
    summary="Issue a supervision notice to an organ of your region (a supervisor)",
    description=ISSUE_ERRORS,
)
def issue_notice(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    refusal = notices.issue_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    notice = notices.issue_notice(actor=request.user, **payload.model_dump())
    return Status(201, _out(_one(request.user, notice.pk)))


@decorate_view(size_limited("body.files", limit=lambda: evidence_files.max_bytes("document")))
@router.post(
    "/supervision/notices/{notice_id}/replies",
    response={201: ReplyOut, **error_responses(409)},
    summary="Submit the organ's written reply (the organ's head; multipart)",
    description=REPLY_ERRORS,
)
def submit_reply(
    request: HttpRequest,
    notice_id: Id,
    data: Form[ReplyIn],
    files: list[UploadedFile] | None = NO_FILES,
) -> Status[dict[str, Any]]:
    notice = notices.get_visible_or_404(request.user, notice_id)
    try:
        reply = notices.submit_reply(
            notice, actor=request.user, text=data.text, uploads=list(files or [])
        )
    except notices.NotOpen as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, _reply_out(reply))


@router.post(
    "/supervision/notices/{notice_id}/accept",
    response={200: NoticeOut, **error_responses(409)},
    summary="Accept the reply awaiting review: the notice is closed (a supervisor)",
    description=REVIEW_ERRORS,
)
def accept_reply(request: HttpRequest, notice_id: Id) -> dict[str, Any]:
    notice = notices.get_visible_or_404(request.user, notice_id)
    try:
        notices.accept_reply(notice, actor=request.user)
    except notices.NotOpen as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return _out(_one(request.user, notice_id))


@router.post(
    "/supervision/notices/{notice_id}/return",
    response={200: NoticeOut, **error_responses(409)},
    summary="Return the reply with reasons: the organ replies again (a supervisor)",
    description=REVIEW_ERRORS,
)
def return_reply(request: HttpRequest, notice_id: Id, payload: ReturnIn) -> dict[str, Any]:
    notice = notices.get_visible_or_404(request.user, notice_id)
    try:
        notices.return_reply(notice, actor=request.user, reasons=payload.reasons)
    except notices.NotOpen as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return _out(_one(request.user, notice_id))

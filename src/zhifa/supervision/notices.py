"""Supervision notices (执法监督通知书 / 建议书, SUP-notice: legal-rules.md §9; JL 五; CQ 六):
who may see and act on them, the state changes, and the warnings they give.

A supervisor (a justice bureau's, region scope) issues a notice to an organ of the
region, in the name of the region's justice bureau: the kind, the cases it concerns
and/or a described pattern, the problems found, the rectification asked for and the
rectification deadline (the supervisor's: the sources set no period, and the engine
never proposes one). The organ's users write the written reply (text and optional
files) and submit it; the supervisor accepts it (the notice is closed) or returns it
with reasons (the organ replies again). A reply after the deadline is late
(``rules.engine.notices.is_late``).

Numbers: a notice is numbered per region (the justice bureau's) and year in its own
series per kind (a row lock, as complaints are numbered): ``嘉司监通〔2026〕1号`` (通知书),
``嘉司监建〔2026〕1号`` (建议书). A reply takes the notice's number and its place among the
replies: ``嘉司监通〔2026〕1号-复1``.

Each is rendered as a document (``documents.rendering.render_document``: the templates in
``formats/``, GB/T 9704 layout, the bundled CJK font), stored under its SM3 digest and
recorded, in the same transaction, in the organ's chain of the whole-process record
(the organ's users and the region's supervisors read it; nothing is confidential from
the organ): the entries hold the content's SM3 digest and the document's digests, and
``records verify`` re-hashes the stored PDFs (``recorded.py``).

Who sees what: the supervisors whose region contains the organ's, and the users of the
organ (officers, legal reviewers, heads); nobody else — another organ, a supervisor of
another region, an administrator, the public get 404 (or nothing listed)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.cases.models import Case
from zhifa.core.organisation import organ_model
from zhifa.core.scope import scoped, visible_organs
from zhifa.core.validation import (
    SCHEDULE_MARGIN_DAYS,
    date_problem,
    typed_text_problem,
)
from zhifa.documents.rendering import Rendered, cn_date, render_document
from zhifa.records import evidence_files
from zhifa.records.canonical import canonical_json, format_time, sm3_hex
from zhifa.records.services import record_change
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.notices import SUP_NOTICE, is_late, notice_level, reply_due
from zhifa.rules.engine.supervision import DEFAULT_YELLOW_WORKING_DAYS, Horizon, horizon

from .models import (
    OPEN_NOTICE_STATUSES,
    Notice,
    NoticeKind,
    NoticeReply,
    NoticeSequence,
    NoticeStatus,
    ReplyDecision,
)

ISSUE_ACTION = "notice.issue"
REPLY_ACTION = "notice.reply"
ACCEPT_ACTION = "notice.accept"
RETURN_ACTION = "notice.return"
#: The document templates (``formats/``, registered with the documents app).
NOTICE_DOCUMENT = "supervision_notice"
REPLY_DOCUMENT = "supervision_reply"
FORMATS = Path(__file__).resolve().parent / "formats"
MAX_TEXT = 10_000
MAX_FILES = 5
#: The middle part of a number, per kind (监督通知 / 监督建议).
SERIES = {NoticeKind.NOTICE: "监通", NoticeKind.SUGGESTION: "监建"}
#: The title a document prints, per kind.
TITLES = {NoticeKind.NOTICE: "行政执法监督通知书", NoticeKind.SUGGESTION: "行政执法监督建议书"}


class NotOpen(ValidationError):
    """The notice is not in the state the act needs (the API's 409)."""


# --- who may see and act ----------------------------------------------------------------------


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visible(user: Any, queryset: QuerySet[Notice] | None = None) -> QuerySet[Notice]:
    """``queryset`` (default: every notice) narrowed to what ``user`` may see: a
    supervisor the notices to the organs of their region, a user of an organ those to
    their organ; nobody else any."""
    if queryset is None:
        queryset = Notice.objects.all()
    role = getattr(user, "role", None)
    if not _active(user) or role not in (Role.SUPERVISOR, *ORGAN_ROLES):
        return queryset.none()
    if role == Role.SUPERVISOR and user.region_id is None:
        return queryset.none()
    if role in ORGAN_ROLES and user.organ_id is None:
        return queryset.none()
    return scoped(user, queryset)


def get_visible_or_404(user: Any, pk: int) -> Notice:
    found = (
        visible(user)
        .select_related("organ__region", "issuer", "issued_by", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def issuing_bureau(user: Any) -> Any:
    """The justice bureau in whose name ``user`` issues notices: the active justice
    bureau of the supervisor's own region, or ``None``. A supervisor of a region
    without a bureau of its own (a county supervised from the city) issues none: the
    bureau of a region above is not theirs to sign for or to number in."""
    if not (_active(user) and user.role == Role.SUPERVISOR and user.region_id is not None):
        return None
    return (
        organ_model()
        .objects.filter(is_justice_bureau=True, active=True, region_id=user.region_id)
        .select_related("region")
        .order_by("pk")
        .first()
    )


def issue_refusal(user: Any) -> str | None:
    """Why ``user`` may not issue a notice, or ``None`` when they may: a supervisor of a
    region whose own justice bureau issues it (``issuing_bureau``)."""
    if not (_active(user) and user.role == Role.SUPERVISOR and user.region_id is not None):
        return _("Only a supervisor issues a supervision notice.")
    if issuing_bureau(user) is None:
        return _(
            "Your region has no justice bureau of its own: a supervision notice is issued "
            "by the supervisors of the region whose justice bureau issues it."
        )
    return None


def may_issue(user: Any) -> bool:
    return issue_refusal(user) is None


def issuable_organs(user: Any) -> QuerySet[Any]:
    """The organs ``user`` may issue a notice to: the active organs of their region
    (not a justice bureau: the bureau is the one that supervises)."""
    if not may_issue(user):
        return visible_organs(None).none()
    return (
        visible_organs(user)
        .filter(active=True, is_justice_bureau=False)
        .select_related("region")
        .order_by("region__path", "name")
    )


def may_answer(user: Any, notice: Notice) -> bool:
    """Whether ``user`` speaks for the organ the notice is addressed to: its head. The
    written reply is the organ's, signed in its name; its officers and legal reviewers
    see the notice but do not submit the reply."""
    return bool(_active(user) and user.role == Role.ORGAN_HEAD and user.organ_id == notice.organ_id)


def may_reply(user: Any, notice: Notice) -> bool:
    """The organ's head (``may_answer``) while a reply is owed."""
    return may_answer(user, notice) and notice.status in OPEN_NOTICE_STATUSES


def is_reviewer(user: Any, notice: Notice) -> bool:
    """Whether ``user`` reviews the notice's replies, whatever its state: a supervisor
    of the issuing bureau's own region (the notice's ``region``) who sees the notice."""
    return bool(
        _active(user)
        and user.role == Role.SUPERVISOR
        and user.region_id is not None
        and user.region_id == notice.region_id
        and visible(user).filter(pk=notice.pk).exists()
    )


def may_review(user: Any, notice: Notice) -> bool:
    """A reviewer of the notice (``is_reviewer``) while a reply awaits them."""
    return notice.status == NoticeStatus.REPLIED and is_reviewer(user, notice)


# --- checks -----------------------------------------------------------------------------------


#: What the messages call each text field (the forms' labels).
TEXT_LABELS = {
    "findings": gettext_lazy("Problems found"),
    "rectification": gettext_lazy("Rectification requested"),
    "pattern": gettext_lazy("Pattern of problems"),
    "text": gettext_lazy("Rectification done"),
    "reasons": gettext_lazy("Reasons for returning"),
}


def _text(errors: dict[str, list[str]], field: str, value: Any, *, required: bool) -> str:
    """``value`` checked as text a person types (``typed_text_problem``: control and
    bidirectional characters refused), at ``field``; a required field that shows nothing
    is refused as required, naming it."""
    if not isinstance(value, str):
        errors[field] = [_("Give text.")]
        return ""
    problem = typed_text_problem(value)
    if problem:
        errors[field] = [problem]
        return ""
    if all(char.isspace() or unicodedata.category(char) == "Cf" for char in value):
        if required:
            errors[field] = [_("%(field)s is required.") % {"field": TEXT_LABELS[field]}]
        return ""
    if len(value) > MAX_TEXT:
        errors[field] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    return value.strip()


def deadline_problem(value: Any, today: dt.date) -> str | None:
    """Why ``value`` is not a rectification deadline on ``today``: a date after today,
    at most ``SCHEDULE_MARGIN_DAYS`` ahead (the platform's margin for scheduled dates)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return _("Give the rectification deadline as a date (YYYY-MM-DD).")
    if value <= today:
        return _("The deadline must be after today (%(today)s).") % {"today": today.isoformat()}
    return date_problem(value, today=today, ahead_days=SCHEDULE_MARGIN_DAYS)


def working_days_until(today: dt.date, deadline: dt.date) -> tuple[int, tuple[int, ...]]:
    """The working days in ``(today, deadline]`` by the engine's calendar, and the years
    counted without an official holiday schedule (shown beside a deadline)."""
    calendar = database_calendar()
    first, last = sorted((today, deadline))
    unscheduled = tuple(y for y in range(first.year, last.year + 1) if not calendar.has_schedule(y))
    return calendar.working_days_between(today, deadline), unscheduled


# --- numbers and documents --------------------------------------------------------------------


def _issue_number(bureau: Any, kind: str, year: int) -> str:
    """``<bureau short name>监通〔<year>〕<n>号``: the next of the bureau region's series
    for ``kind`` and ``year``, under the sequence row's lock."""
    NoticeSequence.objects.get_or_create(region=bureau.region, kind=kind, year=year)
    sequence = NoticeSequence.objects.select_for_update().get(
        region=bureau.region, kind=kind, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = bureau.short_name or bureau.name
    return f"{prefix}{SERIES[NoticeKind(kind)]}〔{year}〕{sequence.last}号"


def notice_content(notice: Notice, case_ids: Sequence[int]) -> dict[str, Any]:
    """What a notice's digest covers: everything it says."""
    return {
        "organ": notice.organ_id,
        "issuer": notice.issuer_id,
        "kind": notice.kind,
        "number": notice.number,
        "cases": sorted(case_ids),
        "pattern": notice.pattern,
        "findings": notice.findings,
        "rectification": notice.rectification,
        "deadline": notice.deadline.isoformat(),
        "issued_by": notice.issued_by_id,
        "issued_on": notice.issued_on.isoformat(),
    }


def notice_digest(notice: Notice, case_ids: Sequence[int]) -> str:
    return sm3_hex(canonical_json(notice_content(notice, case_ids)).encode())


def reply_content(reply: NoticeReply) -> dict[str, Any]:
    return {
        "notice": reply.notice_id,
        "attempt": reply.attempt,
        "number": reply.number,
        "text": reply.text,
        "attachments": [[a.get("name"), a.get("sm3")] for a in reply.attachments or []],
        "submitted_by": reply.submitted_by_id,
        "submitted_at": format_time(reply.submitted_at),
        "late": reply.late,
    }


def reply_digest(reply: NoticeReply) -> str:
    return sm3_hex(canonical_json(reply_content(reply)).encode())


def _file_payload(rendered: Rendered | Any) -> dict[str, Any]:
    """The stored document's digests, as ``records verify`` re-hashes a file."""
    return {
        "storage_name": rendered.storage_name,
        "size": rendered.size,
        "sm3": rendered.sm3,
        "sha256": rendered.sha256,
        "template": rendered.template,
    }


def _case_lines(cases: Iterable[Case]) -> list[str]:
    return [f"{c.number or _('(no number)')}　{c.party_name}" for c in cases]


def _render_notice(notice: Notice, cases: Sequence[Case]) -> Rendered:
    context = {
        "issuer": {"name": notice.issuer_name},
        "title": TITLES[NoticeKind(notice.kind)],
        "suggestion": notice.kind == NoticeKind.SUGGESTION,
        "number": notice.number,
        "organ": {"name": notice.organ.name},
        "cases": _case_lines(cases),
        "pattern": notice.pattern,
        "findings": notice.findings,
        "rectification": notice.rectification,
        "deadline": cn_date(notice.deadline),
        "issued_on": cn_date(notice.issued_on),
    }
    return render_document(
        NOTICE_DOCUMENT, notice.region.code, notice.issued_on, context, subject=notice.number
    )


def _render_reply(reply: NoticeReply) -> Rendered:
    notice = reply.notice
    context = {
        "organ": {"name": notice.organ.name},
        "issuer": {"name": notice.issuer_name},
        "notice": {
            "number": notice.number,
            "title": TITLES[NoticeKind(notice.kind)],
            "deadline": cn_date(notice.deadline),
        },
        "number": reply.number,
        "text": reply.text,
        "attachments": [a["name"] for a in reply.attachments],
        "submitted_on": cn_date(reply.submitted_on),
    }
    return render_document(
        REPLY_DOCUMENT,
        notice.organ.region.code,
        reply.submitted_on,
        context,
        subject=reply.number,
    )


# --- the state changes ------------------------------------------------------------------------


def _case_ids(errors: dict[str, list[str]], raw: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for item in raw:
        pk = item.pk if isinstance(item, Case) else item
        if not isinstance(pk, int) or isinstance(pk, bool):
            errors["cases"] = [_("Choose cases of the organ from the list.")]
            return []
        if pk not in ids:
            ids.append(pk)
    return ids


def issue_notice(
    *,
    actor: Any,
    organ: Any,
    kind: str,
    findings: str,
    rectification: str,
    deadline: Any,
    cases: Iterable[Any] = (),
    pattern: str = "",
) -> Notice:
    """A supervisor issues a notice to ``organ`` (one of ``issuable_organs``) with the
    rectification ``deadline`` (a date after today). ``cases`` (cases or their IDs) must
    be the organ's, in the supervisor's scope; a notice names cases, or describes a
    pattern, or both.

    Raises ``PermissionDenied`` for anyone but a supervisor, ``ValidationError`` naming
    the field otherwise; nothing is written then."""
    refusal = issue_refusal(actor)
    if refusal:
        raise PermissionDenied(refusal)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    organ_pk = getattr(organ, "pk", organ)
    target = issuable_organs(actor).filter(pk=organ_pk).first() if organ_pk else None
    if target is None:
        errors["organ"] = [_("Choose an organ of your region.")]
    if kind not in NoticeKind.values:
        errors["kind"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(NoticeKind)}]
    texts = {
        "findings": _text(errors, "findings", findings, required=True),
        "rectification": _text(errors, "rectification", rectification, required=True),
        "pattern": _text(errors, "pattern", pattern, required=False),
    }
    problem = deadline_problem(deadline, today)
    if problem:
        errors["deadline"] = [problem]
    ids = _case_ids(errors, cases)
    chosen: list[Case] = []
    if ids and target is not None and "cases" not in errors:
        chosen = list(scoped(actor, Case.objects.filter(pk__in=ids, organ=target)).order_by("pk"))
        if len(chosen) != len(ids):
            errors["cases"] = [_("Choose cases of the organ from the list.")]
    if not ids and not texts["pattern"] and "pattern" not in errors and "cases" not in errors:
        errors["pattern"] = [_("Name the cases concerned, or describe the pattern, or both.")]
    bureau = issuing_bureau(actor)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        notice = Notice(
            organ=target,
            region=bureau.region,
            issuer=bureau,
            issuer_name=bureau.name,
            kind=kind,
            number=_issue_number(bureau, kind, today.year),
            deadline=deadline,
            issued_by=actor,
            issued_at=now,
            issued_on=today,
            status=NoticeStatus.AWAITING_REPLY,
            **texts,
        )
        rendered = _render_notice(notice, chosen)
        for name, value in _file_payload(rendered).items():
            setattr(notice, name, value)
        notice.digest = notice_digest(notice, ids)
        try:
            with transaction.atomic():
                notice.save()
        except IntegrityError as exc:  # two bureaus printing the same number
            raise ValidationError(
                {"__all__": [_("The number %(n)s is taken.") % {"n": notice.number}]}
            ) from exc
        notice.cases.set(chosen)
        record_change(actor, notice.organ_id, ISSUE_ACTION, notice, issued_values(notice, ids))
    return notice


def issued_values(notice: Notice, case_ids: Sequence[int]) -> dict[str, Any]:
    """The issue entry's payload: the notice's references, number, deadline, status and
    content digest, and its document's digests (the text itself is the row's)."""
    return {
        "organ": notice.organ_id,
        "issuer": notice.issuer_id,
        "kind": notice.kind,
        "number": notice.number,
        "cases": sorted(case_ids),
        "deadline": notice.deadline,
        "status": notice.status,
        "digest": notice.digest,
        **_file_payload(notice),
    }


#: What a reply's attachment may be, judged from its content (as the complaints'
#: attachments are), and the name endings that say so.
ATTACHMENT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
ATTACHMENT_TYPES = frozenset(ATTACHMENT_SUFFIXES)


def accepted_attachments() -> str:
    return str(_("photos (JPEG or PNG) and PDF files"))


def _named(name: str, message: Any) -> str:
    return f"{name}: {message}" if name else str(message)


def _attachment_errors(uploads: Sequence[Any]) -> list[str]:
    problems: list[str] = []
    if len(uploads) > MAX_FILES:
        problems.append(_("At most %(n)s files.") % {"n": MAX_FILES})
    suffixes = tuple(s for group in ATTACHMENT_SUFFIXES.values() for s in group)
    for upload in uploads:
        name = getattr(upload, "name", "") or ""
        problem = evidence_files.file_name_problem(name)
        if problem is None and len(name) > 255:
            problem = _("The file name is longer than %(n)s characters.") % {"n": 255}
        if problem is None and not name.lower().endswith(suffixes):
            problem = _("Only %(accepted)s are accepted; the name says otherwise.") % {
                "accepted": accepted_attachments()
            }
        if problem:
            problems.append(_named(name, problem))
    return problems


def _spooled_attachment(upload: Any) -> Any:
    """The upload spooled as an attachment: a photo (JPEG or PNG) or a PDF by its
    content, whose name says the same; otherwise ``ValidationError`` at ``files``
    naming the file."""
    name = getattr(upload, "name", "") or ""
    spooled = evidence_files.spool_as(
        upload,
        allowed=ATTACHMENT_TYPES,
        limit=evidence_files.max_bytes("document"),
        label=str(_("an attachment")),
        accepted=accepted_attachments(),
    )
    return name, spooled


def submit_reply(
    notice: Notice, *, actor: Any, text: str, uploads: Sequence[Any] = ()
) -> NoticeReply:
    """The organ's head submits its written reply (text and at most ``MAX_FILES``
    photos or PDFs, judged from their content, whose names must say what they are);
    numbered, rendered and recorded. A reply after the deadline is marked late
    (SUP-notice). ``PermissionDenied`` for anyone but the organ's head; ``NotOpen`` when
    no reply is owed (one awaits the supervisor, or the notice is closed);
    ``ValidationError`` naming the field otherwise."""
    if not may_answer(actor, notice):
        raise PermissionDenied(
            _("Only the head of the organ the notice is addressed to submits its reply.")
        )
    errors: dict[str, list[str]] = {}
    body = _text(errors, "text", text, required=True)
    uploads = list(uploads)
    problems = _attachment_errors(uploads)
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    stored: list[dict[str, Any]] = []
    fresh: list[str] = []
    try:
        for upload in uploads:
            name, spooling = _spooled_attachment(upload)
            try:
                with spooling as spooled:
                    if not name.lower().endswith(ATTACHMENT_SUFFIXES[spooled.content_type]):
                        raise ValidationError(
                            {
                                "file": [
                                    _(
                                        "Its content is %(type)s, not what its name says: "
                                        "name the file for what it is."
                                    )
                                    % {"type": spooled.content_type}
                                ]
                            }
                        )
                    storage, new = evidence_files.store(spooled)
                    if new:
                        fresh.append(storage)
                    stored.append(
                        {
                            "name": name,
                            "type": spooled.content_type,
                            "size": spooled.size,
                            "sm3": spooled.sm3,
                            "storage": storage,
                        }
                    )
            except ValidationError as exc:
                messages = (
                    exc.message_dict.get("file", exc.messages)
                    if hasattr(exc, "error_dict")
                    else exc.messages
                )
                raise ValidationError({"files": [_named(name, m) for m in messages]}) from exc
        return _submit(notice, actor, body, stored)
    except BaseException:
        for storage in fresh:
            evidence_files.discard(storage)
        raise


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("organ__region").get(pk=notice.pk)


def _submit(
    notice: Notice, actor: Any, text: str, attachments: list[dict[str, Any]]
) -> NoticeReply:
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = _locked(notice)
        if locked.status not in OPEN_NOTICE_STATUSES:
            raise NotOpen(
                {
                    "__all__": [
                        _("The notice is not waiting for a reply (%(status)s).")
                        % {"status": locked.get_status_display()}
                    ]
                }
            )
        attempt = locked.replies.count() + 1
        reply = NoticeReply(
            notice=locked,
            attempt=attempt,
            number=f"{locked.number}-复{attempt}",
            text=text,
            attachments=attachments,
            submitted_by=actor,
            submitted_at=now.replace(microsecond=0),
            submitted_on=today,
            late=is_late(locked.deadline, today),
        )
        rendered = _render_reply(reply)
        for name, value in _file_payload(rendered).items():
            setattr(reply, name, value)
        reply.digest = reply_digest(reply)
        reply.save()
        locked.status = NoticeStatus.REPLIED
        locked.save(update_fields=["status"])
        record_change(
            actor,
            locked.organ_id,
            REPLY_ACTION,
            locked,
            {
                "reply": reply.pk,
                "attempt": attempt,
                "number": reply.number,
                "late": reply.late,
                "digest": reply.digest,
                "attachments_sm3": [a["sm3"] for a in attachments],
                "status": locked.status,
                **review_values(reply),
                **_file_payload(reply),
            },
        )
    notice.status = locked.status
    return reply


def _review(notice: Notice, actor: Any, accepted: bool, reasons: str) -> NoticeReply:
    if not is_reviewer(actor, notice):
        raise PermissionDenied(
            _("Only a supervisor of the issuing justice bureau's region reviews the reply.")
        )
    errors: dict[str, list[str]] = {}
    text = "" if accepted else _text(errors, "reasons", reasons, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(notice)
        if locked.status != NoticeStatus.REPLIED:
            raise NotOpen(
                {
                    "__all__": [
                        _("No reply awaits your review (%(status)s).")
                        % {"status": locked.get_status_display()}
                    ]
                }
            )
        reply = locked.replies.order_by("-attempt").first()
        assert reply is not None
        reply.decision = ReplyDecision.ACCEPTED if accepted else ReplyDecision.RETURNED
        reply.reasons = text
        reply.reviewed_by = actor
        reply.reviewed_at = timezone.now()
        reply.save(update_fields=["decision", "reasons", "reviewed_by", "reviewed_at"])
        locked.status = NoticeStatus.CLOSED if accepted else NoticeStatus.RETURNED
        locked.save(update_fields=["status"])
        payload: dict[str, Any] = {
            "reply": reply.pk,
            "decision": reply.decision,
            "status": locked.status,
            **review_values(reply),
        }
        record_change(
            actor,
            locked.organ_id,
            ACCEPT_ACTION if accepted else RETURN_ACTION,
            locked,
            payload,
        )
    notice.status = locked.status
    return reply


def reasons_sm3(reasons: str) -> str:
    """The SM3 digest of a review's reasons as the entries record it (``""`` when
    accepted)."""
    return sm3_hex(canonical_json(reasons).encode())


def review_values(reply: NoticeReply) -> dict[str, Any]:
    """What the reply and review entries record of the supervisor's review, as
    ``records verify`` compares it with the row: who reviewed, when, and the reasons'
    digest (all empty before the review)."""
    return {
        "reviewed_by": reply.reviewed_by_id,
        "reviewed_at": format_time(reply.reviewed_at) if reply.reviewed_at else None,
        "reasons_sm3": reasons_sm3(reply.reasons),
    }


def accept_reply(notice: Notice, *, actor: Any) -> NoticeReply:
    """The supervisor accepts the reply that awaits them: the notice is closed."""
    return _review(notice, actor, True, "")


def return_reply(notice: Notice, *, actor: Any, reasons: str) -> NoticeReply:
    """The supervisor returns the reply with ``reasons``: the organ replies again (the
    deadline stays the notice's)."""
    return _review(notice, actor, False, reasons)


def is_intact(notice: Notice) -> bool:
    """Whether the notice still says what its entry recorded (its digest recomputed)."""
    ids = list(notice.cases.values_list("pk", flat=True))
    return notice_digest(notice, ids) == notice.digest


# --- the warnings (SUP-notice with SUP-warning's levels) -------------------------------------


def window(today: dt.date) -> Horizon:
    """SUP-warning's window on ``today`` (N: ``settings.ZHIFA_WARNING_WORKING_DAYS``)."""
    n = int(getattr(settings, "ZHIFA_WARNING_WORKING_DAYS", DEFAULT_YELLOW_WORKING_DAYS))
    return horizon(today, database_calendar(), n)


@dataclass(frozen=True)
class NoticeWarning:
    """A notice unanswered near or past its deadline, shaped like a complaint warning:
    its level, the rule and citation, the organ, the number and the due day."""

    notice: Notice
    level: str
    rule: str
    citation: str

    @property
    def organ_id(self) -> int:
        return self.notice.organ_id

    @property
    def organ_name(self) -> str:
        return self.notice.organ.name

    @property
    def number(self) -> str:
        return self.notice.number

    @property
    def due(self) -> dt.date:
        return reply_due(self.notice.deadline)

    @property
    def pk(self) -> int:
        return self.notice.pk


def notice_warnings(
    user: Any, today: dt.date, window_: Horizon | None = None
) -> list[NoticeWarning]:
    """The notices ``user`` may see that owe a reply due on or before the window's
    yellow day: red when the deadline passed, yellow when it is near (the engine's
    ``notice_level``); red first, then by due day. One query."""
    found = window_ or window(today)
    rows = (
        visible(user)
        .filter(status__in=OPEN_NOTICE_STATUSES, deadline__lte=found.yellow_until)
        .select_related("organ")
        .order_by("deadline", "pk")
    )
    warnings = []
    for notice in rows:
        level = notice_level(notice.deadline, None, found)
        if level is not None:
            warnings.append(NoticeWarning(notice, level, SUP_NOTICE.id, SUP_NOTICE.citation))
    return sorted(warnings, key=lambda w: (w.level != "red", w.due, w.pk))


def status_counts(user: Any) -> dict[str, int]:
    """How many notices ``user`` may see, by status (one grouped query)."""
    counted = {
        row["status"]: row["n"]
        for row in visible(user).order_by().values("status").annotate(n=Count("pk"))
    }
    return {status: counted.get(status, 0) for status in NoticeStatus.values}


def overdue_filter(today: dt.date) -> Q:
    """Notices owing a reply whose deadline passed on ``today``."""
    return Q(status__in=OPEN_NOTICE_STATUSES, deadline__lt=today)


def narrowed(found: list[NoticeWarning], filters: dict[str, Any]) -> list[NoticeWarning]:
    """``found`` (``notice_warnings``) narrowed by the warnings page's filters (``level``,
    ``organ``, ``rule``: a filter naming another rule leaves none)."""
    if filters.get("level"):
        found = [w for w in found if w.level == filters["level"]]
    if filters.get("organ") is not None:
        found = [w for w in found if w.organ_id == filters["organ"]]
    if filters.get("rule"):
        found = [w for w in found if w.rule == filters["rule"]]
    return found

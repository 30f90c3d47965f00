"""How ``records verify`` reads supervision notices and their replies (SUP-notice) in the
form their entries recorded them (``notices``), and what the notices register with the
other apps from ``SupervisionConfig.ready`` (``ready``).

A notice is created by its ``notice.issue`` entry in the organ's chain: its references,
number, deadline, cases, status, the SM3 digest of its content (recomputed from the row,
so an edit of the findings or the rectification asked for made outside the platform
fails) and its document's digests (``records verify`` re-hashes the stored PDF). Its
status is set again by the reply, accept and return entries. A reply is created by its
``notice.reply`` entry (recorded on the notice, so the notice's timeline shows it) and
its decision, reviewer, review time and the reasons' SM3 set by the accept or return
entry; a deleted row, or a row of the organ
without its entry, fails."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from zhifa.records.canonical import format_time
from zhifa.records.domain import ManyField, RecordedObject, snapshot_of

from . import notices

FILE_FIELDS = ("storage_name", "size", "sm3", "sha256", "template")
#: The supervisor's review as the entries record it (``notices.review_values``): from
#: the reply entry (empty) and the accept or return entry. Entries written before they
#: were recorded lack them; those replies are not compared on them.
REVIEW_FIELDS = ("reviewed_by", "reviewed_at", "reasons_sm3")


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


def _status(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if "status" in body:
        yield object_id, {"status": body["status"]}


def _replied(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    pk = body.get("reply")
    if isinstance(pk, int) and not isinstance(pk, bool):
        values: dict[str, Any] = {"notice": object_id, "decision": ""}
        values.update(
            {
                k: body[k]
                for k in ("number", "late", "digest", *FILE_FIELDS, *REVIEW_FIELDS)
                if k in body
            }
        )
        yield str(pk), values


def _decided(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    pk = body.get("reply")
    if isinstance(pk, int) and not isinstance(pk, bool) and "decision" in body:
        values = {"decision": body["decision"]}
        values.update({k: body[k] for k in REVIEW_FIELDS if k in body})
        yield str(pk), values


def _notice_digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for row in rows.order_by().prefetch_related("cases").iterator(chunk_size=500):
        ids = [c.pk for c in row.cases.all()]
        digest = notices.notice_digest(row, ids)
        yield row.pk, digest if digest == row.digest else f"{digest} (stored {row.digest})"


def _notice_cases(rows: QuerySet[Any]) -> Iterator[tuple[Any, list[int]]]:
    for row in rows.order_by().prefetch_related("cases").iterator(chunk_size=500):
        yield row.pk, sorted(c.pk for c in row.cases.all())


def _reply_digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for row in rows.order_by().iterator(chunk_size=500):
        digest = notices.reply_digest(row)
        yield row.pk, digest if digest == row.digest else f"{digest} (stored {row.digest})"


def _reviewed_at(rows: QuerySet[Any]) -> Iterator[tuple[Any, str | None]]:
    for pk, at in rows.order_by().values_list("pk", "reviewed_at").iterator(chunk_size=500):
        yield pk, format_time(at) if at else None


def _reasons(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for pk, reasons in rows.order_by().values_list("pk", "reasons").iterator(chunk_size=500):
        yield pk, notices.reasons_sm3(reasons)


def notice_object() -> RecordedObject:
    status_updates = {
        notices.REPLY_ACTION: _status,
        notices.ACCEPT_ACTION: _status,
        notices.RETURN_ACTION: _status,
    }
    return RecordedObject(
        object_type="supervision.notice",
        model="supervision.Notice",
        noun="supervision notice",
        creates={notices.ISSUE_ACTION: snapshot_of},
        updates=status_updates,
        fields={
            "organ": "organ_id",
            "issuer": "issuer_id",
            "kind": "kind",
            "number": "number",
            "deadline": "deadline",
            "status": "status",
            **{name: name for name in FILE_FIELDS},
        },
        many={
            "digest": ManyField(_notice_digests, _first),
            "cases": ManyField(_notice_cases, _first),
        },
        title="number",
        every_row="organ_id",
    )


def reply_object() -> RecordedObject:
    return RecordedObject(
        object_type="supervision.noticereply",
        model="supervision.NoticeReply",
        noun="reply to a supervision notice",
        creates={},
        updates={notices.ACCEPT_ACTION: _decided, notices.RETURN_ACTION: _decided},
        creates_on_other={notices.REPLY_ACTION: _replied},
        fields={
            "notice": "notice_id",
            "number": "number",
            "late": "late",
            "decision": "decision",
            "reviewed_by": "reviewed_by_id",
            **{name: name for name in FILE_FIELDS},
        },
        many={
            "digest": ManyField(_reply_digests, _first),
            "reviewed_at": ManyField(_reviewed_at, _first),
            "reasons_sm3": ManyField(_reasons, _first),
        },
        title="number",
        every_row="notice__organ_id",
    )


def ready() -> None:
    """Register the notices with the record, the documents and the navigation."""
    from django.utils.translation import gettext_lazy as _

    from zhifa.core.navigation import SECTIONS, Section
    from zhifa.core.roles import ORGAN_ROLES, Role
    from zhifa.documents.formats import register_format
    from zhifa.records.domain import register_recorded_object
    from zhifa.records.presentation import register_action_labels
    from zhifa.records.verification import register_file_action

    register_recorded_object(notice_object())
    register_recorded_object(reply_object())
    register_action_labels(
        {
            notices.ISSUE_ACTION: _("Supervision notice issued"),
            notices.REPLY_ACTION: _("Reply to a supervision notice submitted"),
            notices.ACCEPT_ACTION: _("Reply to a supervision notice accepted"),
            notices.RETURN_ACTION: _("Reply to a supervision notice returned"),
        }
    )
    # The issue and reply entries hold their document's digests: re-hashed like evidence.
    register_file_action(notices.ISSUE_ACTION)
    register_file_action(notices.REPLY_ACTION)
    for kind in (notices.NOTICE_DOCUMENT, notices.REPLY_DOCUMENT):
        register_format(kind, notices.FORMATS / f"{kind}.toml")
    section = Section(
        _("Supervision notices"),
        _(
            "Notices and recommendations of the justice bureau to organs, with their "
            "rectification deadlines and written replies (SUP-notice)."
        ),
        url_name="supervision:notice_list",
        roles=frozenset({Role.SUPERVISOR, *ORGAN_ROLES}),
    )
    if all(s.url_name != section.url_name for s in SECTIONS):
        SECTIONS.append(section)

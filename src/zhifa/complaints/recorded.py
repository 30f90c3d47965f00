"""The record's view of a filing (``zhifa records verify``, records/domain.py): the
create entry's recorded fields and the status, reasons and result each later action
sets. The filer's identity is recorded as a keyed digest only (COMPLAINT-confidential,
``services.filer_digest``): the row's name and contact are compared through it, so an
edit of either made outside the platform fails the verification (entries written before
the digest was keyed recorded ``filer_sm3`` and are not compared on it). The digest is
recomputed with the key it was made with (``filer_key``, recorded beside it and kept on
the row), so that a rotated ``ZHIFA_DIGEST_KEY`` kept in ``ZHIFA_DIGEST_OLD_KEYS`` still
verifies the filings it keyed.

Who reads the record of a filing is ``policy.visible`` (``visible_to``): the timeline,
its export and the entry lists of the records app show it to nobody else. The filer part
of the entries (the keyed digest and whether the filer was anonymous) is
``policy.visible_filer``'s (``confidential`` / ``confidential_to``): the assigned staff
and the supervisor read it; to the unit's other staff it is withheld.

The assigned staff are a recorded field (``assignees``, user IDs): an assignment written
outside ``services.assign`` — a way to read the filer — fails the verification."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from zhifa.core.services import UnknownDigestKey
from zhifa.records.domain import ManyField, RecordedObject

from . import policy, services

#: Payload key -> recorded field, for the later actions.
_SET_BY = {"reasons": "rejection_reasons", "result": "result"}


#: The FILE entry's keyed digest of the filer, and the ID of its key (entries from
#: before the key had an ID hold none: the row's ``filer_key`` is then "", the legacy
#: key, ``core.services.LEGACY_KEY_ID``).
FILER = "filer_hmac"
FILER_KEY = "filer_key"
#: The assigned staff (user IDs, ascending), recorded by FILE (none), ASSIGN and
#: REASSIGN_IN (none: the new unit's head assigns).
ASSIGNEES = "assignees"
#: The payload keys only ``policy.visible_filer`` reads, by action.
#: A dispute's reason is the filer's own words (a filer may sign them): withheld too; so
#: are the texts the unit and the supervisor wrote (a note, the reasons, the result),
#: which may name the filer (whom the unit called): the filing's page shows them to the
#: others with the filer's name and contact masked (``policy.filer_words``); the record
#: shows what was recorded, or nothing.
CONFIDENTIAL = {
    services.FILE: ("filer_hmac", "filer_sm3", "anonymous"),
    services.DISPUTE: ("reason",),
    services.ACCEPT: ("note",),
    services.REJECT: ("reasons",),
    services.PROGRESS: ("text",),
    services.CLOSE: ("result",),
    services.REOPEN: ("note",),
    services.CONFIRM: ("note",),
    services.MERGE: ("note",),
    services.ASSIGN: ("note",),
    services.REASSIGN_OUT: ("reason",),
    # The arrival carries the filing's snapshot: a reopened filing's result with it.
    services.REASSIGN_IN: ("reason", "rejection_reasons", "result"),
}


def created(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    fields = (*services.RECORDED_FIELDS, FILER, FILER_KEY, ASSIGNEES)
    yield object_id, {f: body[f] for f in fields if f in body}


def assigned(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield object_id, {ASSIGNEES: body.get(ASSIGNEES)}


def _assignees(rows: QuerySet[Any]) -> Iterator[tuple[Any, int]]:
    from .models import ComplaintAssignment

    found = (
        ComplaintAssignment.objects.filter(complaint__in=rows.order_by().values("pk"))
        .order_by("complaint_id", "user_id")
        .values_list("complaint_id", "user_id")
    )
    yield from found.iterator(chunk_size=500)


def _filer_digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    found = rows.order_by().values_list("pk", "filer_name", "filer_contact", "filer_key")
    for pk, name, contact, key_id in found.iterator(chunk_size=500):
        try:
            yield pk, services.filer_digest(name, contact, key_id=key_id)
        except UnknownDigestKey:
            # A key dropped from ZHIFA_DIGEST_OLD_KEYS: the message says which.
            yield pk, f"(digest key {key_id} is not configured)"


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


def updated(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    values = {"status": body.get("status")}
    values.update({field: body[key] for key, field in _SET_BY.items() if key in body})
    yield object_id, values


def arrived(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    fields = (*services.RECORDED_FIELDS, "rejection_reasons", "result", ASSIGNEES)
    yield object_id, {f: body[f] for f in fields if f in body}


def left(object_id: str, body: Mapping[str, Any], pk: str, values: Mapping[str, Any]) -> bool:
    return pk == object_id


def declaration() -> RecordedObject:
    updates = dict.fromkeys(
        (
            services.ACCEPT,
            services.REJECT,
            services.CLOSE,
            services.DISPUTE,
            services.REOPEN,
            services.CONFIRM,
            services.PROGRESS,
            services.ENTER_CASE,
            services.MERGE,
            services.DISPUTE_JOINED,
        ),
        updated,
    )
    updates[services.ASSIGN] = assigned
    return RecordedObject(
        object_type="complaints.complaint",
        model="complaints.Complaint",
        noun="complaint",
        creates={services.FILE: created, services.REASSIGN_IN: arrived},
        ends={services.REASSIGN_OUT: left},
        updates=updates,
        fields={
            **{f: f for f in services.RECORDED_FIELDS},
            "rejection_reasons": "rejection_reasons",
            "result": "result",
            FILER_KEY: FILER_KEY,
        },
        many={FILER: ManyField(_filer_digests, _first), ASSIGNEES: ManyField(_assignees)},
        title="number",
        every_row="organ_id",
        visible_to=policy.visible,
        confidential=CONFIDENTIAL,
        confidential_to=policy.visible_filer,
    )

"""The record's view of a filing (``zhifa records verify``, records/domain.py): the
create entry's recorded fields and the status, reasons and result each later action
sets. The filer's identity is recorded as a digest only (COMPLAINT-confidential), so it
is not compared field by field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zhifa.records.domain import RecordedObject

from . import services

#: Payload key -> recorded field, for the later actions.
_SET_BY = {"reasons": "rejection_reasons", "result": "result"}


def created(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield object_id, {f: body[f] for f in services.RECORDED_FIELDS if f in body}


def updated(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    values = {"status": body.get("status")}
    values.update({field: body[key] for key, field in _SET_BY.items() if key in body})
    yield object_id, values


def arrived(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    fields = (*services.RECORDED_FIELDS, "rejection_reasons", "result")
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
        ),
        updated,
    )
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
        },
        title="number",
        every_row="organ_id",
    )

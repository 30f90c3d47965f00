"""How ``records verify`` reads an interference record in the form its entry recorded
it (``services.recorded_values``): the references, the attachment's SM3 and the
content digest. A record is never changed. The digest is recomputed from the row's
content (``services.content_digest``), so an edit of any field made outside the
platform — or of the stored digest — fails the verification, naming the record.

An acknowledgement is recorded on its interference record (``ACKNOWLEDGE_ACTION``, so
the record's timeline shows it) and read as the creation of the acknowledgement: its
record, role, the SM3 of its note and (entries written since it is recorded) its actor
are compared with the row, and a deleted one, or one of the organ's records without its
entry, fails the verification."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.domain import ManyField, RecordedObject, snapshot_of

from . import policy
from .services import ACKNOWLEDGE_ACTION, RECORD_ACTION, content_digest


def _digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for row in rows.order_by().iterator(chunk_size=500):
        digest = content_digest(row)
        yield row.pk, digest if digest == row.digest else f"{digest} (stored {row.digest})"


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


def _acknowledged(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """An ``ACKNOWLEDGE_ACTION`` entry (its object is the interference record): the
    acknowledgement it created and what it recorded of it."""
    pk = body.get("acknowledgement")
    if isinstance(pk, int) and not isinstance(pk, bool):
        values = {"interference": object_id}
        values.update({k: body[k] for k in ("role", "note_sm3", "actor") if k in body})
        yield str(pk), values


def _note_digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for pk, note in rows.order_by().values_list("pk", "note").iterator(chunk_size=500):
        yield pk, sm3_hex(canonical_json(note).encode())


def recorded_objects() -> list[RecordedObject]:
    return [recorded_object(), acknowledgement_object(), filing_object()]


def filing_object() -> RecordedObject:
    """A filing with the justice bureau (NA-major-filing): created with its entry
    (``filings.FILE_ACTION``), never changed; every row of an organ has its entry."""
    from .filings import FILE_ACTION

    return RecordedObject(
        object_type="supervision.filing",
        model="supervision.Filing",
        noun="filing with the justice bureau",
        creates={FILE_ACTION: snapshot_of},
        updates={},
        fields={
            "organ": "organ_id",
            "kind": "kind",
            "case": "case_id",
            "year": "year",
            "quarter": "quarter",
            "catalogue": "catalogue",
        },
        title="pk",
        every_row="organ_id",
    )


def acknowledgement_object() -> RecordedObject:
    return RecordedObject(
        object_type="supervision.acknowledgement",
        model="supervision.Acknowledgement",
        noun="acknowledgement of interference record",
        creates={},
        updates={},
        creates_on_other={ACKNOWLEDGE_ACTION: _acknowledged},
        fields={"interference": "interference_id", "role": "role", "actor": "actor_id"},
        many={"note_sm3": ManyField(_note_digests, _first)},
        title="interference_id",
        every_row="interference__recorded_in_id",
    )


def recorded_object() -> RecordedObject:
    return RecordedObject(
        object_type="supervision.interference",
        model="supervision.Interference",
        noun="interference record",
        creates={RECORD_ACTION: snapshot_of},
        updates={},
        fields={
            "case": "case_id",
            "organ": "organ_id",
            "corrects": "corrects_id",
            "attachment_sm3": "attachment_sm3",
        },
        many={"digest": ManyField(_digests, _first)},
        title="pk",
        every_row="recorded_in_id",
        # The record's timeline, export and entry lists follow ``policy.visible`` (the
        # person named in a correction chain reads none of it).
        visible_to=policy.visible,
    )

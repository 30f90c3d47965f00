"""How ``records verify`` reads an interference record in the form its entry recorded
it (``services.recorded_values``): the references, the attachment's SM3 and the
content digest. A record is never changed. The digest is recomputed from the row's
content (``services.content_digest``), so an edit of any field made outside the
platform — or of the stored digest — fails the verification, naming the record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from zhifa.records.domain import ManyField, RecordedObject, snapshot_of

from .services import RECORD_ACTION, content_digest


def _digests(rows: QuerySet[Any]) -> Iterator[tuple[Any, str]]:
    for row in rows.order_by().iterator(chunk_size=500):
        digest = content_digest(row)
        yield row.pk, digest if digest == row.digest else f"{digest} (stored {row.digest})"


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


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
    )

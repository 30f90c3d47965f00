"""How ``records verify`` reads an interference record in the form its entry recorded
it: the references and the content digest (``services.recorded_values``). A record is
never changed; the digest column is compared with its entry here, and the content with
its digest by ``services.is_intact`` (the record's page says when it no longer holds)."""

from __future__ import annotations

from zhifa.records.domain import RecordedObject, snapshot_of

from .services import RECORD_ACTION, RECORDED_FIELDS


def recorded_object() -> RecordedObject:
    return RecordedObject(
        object_type="supervision.interference",
        model="supervision.Interference",
        noun="interference record",
        creates={RECORD_ACTION: snapshot_of},
        updates={},
        fields={
            name: f"{name}_id" if name in ("case", "organ", "corrects") else name
            for name in RECORDED_FIELDS
        },
        title="pk",
        every_row="recorded_in_id",
    )

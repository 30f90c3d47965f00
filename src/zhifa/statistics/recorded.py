"""How ``records verify`` reads a published statistics snapshot in the form its entry
recorded it: a snapshot is never changed, so its digest, version and reason must still
be those of its ``statistics.publish`` / ``statistics.correct`` entry, and no snapshot
row of an organ exists without its entry (a forged publication would be public)."""

from __future__ import annotations

from zhifa.records.domain import RecordedObject, snapshot_of

from .services import RECORDED_FIELDS


def recorded_object() -> RecordedObject:
    return RecordedObject(
        object_type="statistics.publication",
        model="statistics.Publication",
        noun="published statistics",
        creates={"statistics.publish": snapshot_of, "statistics.correct": snapshot_of},
        updates={},
        fields={name: ("organ_id" if name == "organ" else name) for name in RECORDED_FIELDS},
        title="year",
        every_row="organ_id",
    )

"""How ``records verify`` reads a campaign in the form its entries recorded it: the
number, the status after each act and the seed of the draw (in the justice bureau's
chain; every campaign of the bureau has its entry); and an annual grade (JL-evaluation)
as its one entry recorded it, in the graded organ's chain (every grade of the organ has
its entry: a grade written into the database by hand, or changed there, fails)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zhifa.records.domain import RecordedObject, snapshot_of

from .campaigns import DRAW_ACTION, PLAN_ACTION, PUBLISH_ACTION
from .grading import GRADE_ACTION
from .scoring import RESULTS_ACTION

#: The fields of an annual grade its entry records (``grading.record_grade``).
GRADE_FIELDS = (
    "year",
    "subject",
    "organ",
    "officer",
    "grade",
    "assessment",
    "consequences",
    "notice",
    "flag",
)


def _status(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from snapshot_of(object_id, {k: body[k] for k in ("status", "seed") if k in body})


def campaign_object() -> RecordedObject:
    return RecordedObject(
        object_type="evaluation.campaign",
        model="evaluation.Campaign",
        noun="evaluation campaign",
        creates={PLAN_ACTION: _status},
        updates={PUBLISH_ACTION: _status, DRAW_ACTION: _status, RESULTS_ACTION: _status},
        fields={"status": "status", "seed": "seed"},
        title="number",
        every_row="bureau_id",
    )


def _grade(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from snapshot_of(object_id, {k: body[k] for k in GRADE_FIELDS if k in body})


def annual_grade_object() -> RecordedObject:
    return RecordedObject(
        object_type="evaluation.annualgrade",
        model="evaluation.AnnualGrade",
        noun="annual grade",
        creates={GRADE_ACTION: _grade},
        updates={},
        fields={name: name for name in GRADE_FIELDS},
        title="year",
        every_row="organ_id",
    )

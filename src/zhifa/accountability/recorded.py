"""How ``records verify`` reads an accountability matter in the form its entries recorded
it: the opening entry's snapshot (``services.snapshot``) and the conclusion's
(``services.conclusion``), compared field by field with the row; every matter has its
opening entry in the chain it is recorded in. The timeline, its export and the entry
lists follow ``policy.visible``; the complaint a matter was opened on is withheld from
those who may not see it (``policy.sees_complaint``: the supervisors)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from zhifa.accounts.models import Role
from zhifa.records.domain import RecordedObject, snapshot_of

from . import policy
from .models import Matter
from .services import CONCLUDE_ACTION, OPEN_ACTION


def _concluded(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield object_id, dict(body)


def _complaint_readers(user: Any) -> QuerySet[Matter]:
    """The matters whose complaint ``user`` may read: the supervisors of the region."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.SUPERVISOR:
        return Matter.objects.none()
    return policy.visible(user).filter(Q(organ__region__path__startswith=user.region.path))


def recorded_object() -> RecordedObject:
    return RecordedObject(
        object_type="accountability.matter",
        model="accountability.Matter",
        noun="accountability matter",
        creates={OPEN_ACTION: snapshot_of},
        updates={CONCLUDE_ACTION: _concluded},
        fields={
            "case": "case_id",
            "organ": "organ_id",
            "ground": "ground",
            "remedy_step": "remedy_step_id",
            "complaint": "complaint_id",
            "evaluation_ref": "evaluation_ref",
            "reasons": "reasons",
            "opened_on": "opened_on",
            "status": "status",
            "substantiated": "substantiated",
            "stages": "stages",
            "persons": "persons",
            "finding": "finding",
            "measures": "measures",
            "measure_note": "measure_note",
            "public_summary": "public_summary",
            "concluded_on": "concluded_on",
        },
        title="pk",
        every_row="recorded_in_id",
        visible_to=policy.visible,
        confidential={OPEN_ACTION: ("complaint",)},
        confidential_to=_complaint_readers,
    )

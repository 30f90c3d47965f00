"""The entry filter shared by the supervisor page and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from ninja import Field

from zhifa.core.schemas import InputFilter
from zhifa.core.validation import DB_MAX_ID

from .presentation import actions_matching


class EntryFilter(InputFilter):
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Organ ID")
    region: str | None = Field(
        None, pattern=r"^\d{6}(\d{3})?$", description="Region code; includes its subtree"
    )
    action: str | None = Field(
        None,
        max_length=64,
        description="Action code (e.g. evidence.add), or part of its label in the request's "
        "language or in English (e.g. 立案, certificate issued)",
    )
    actor: str | None = Field(None, max_length=150, description="Username of the actor")
    object_type: str | None = Field(None, max_length=64, description="e.g. records.evidence")
    object_id: str | None = Field(None, max_length=64, description="Object ID")
    date_from: dt.date | None = Field(None, description="Recorded on or after (YYYY-MM-DD)")
    date_to: dt.date | None = Field(None, description="Recorded on or before (YYYY-MM-DD)")

    def filter_organ(self, value: int | None) -> Q:
        return Q(organ_id=value) if value else Q()

    def filter_region(self, value: str | None) -> Q:
        return Q(organ__region__path__contains=f"{value}/") if value else Q()

    def filter_action(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(action=value) | Q(action__in=actions_matching(value))

    def filter_actor(self, value: str | None) -> Q:
        return Q(actor_label=value) if value else Q()

    def filter_date_from(self, value: dt.date | None) -> Q:
        return Q(recorded_at__date__gte=value) if value else Q()

    def filter_date_to(self, value: dt.date | None) -> Q:
        return Q(recorded_at__date__lte=value) if value else Q()

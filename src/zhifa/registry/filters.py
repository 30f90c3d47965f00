"""Filters shared by the list pages and the API (one filter class serves both)."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, FilterSchema

from .models import SubjectType


class OrganFilter(FilterSchema):
    q: str | None = Field(None, description="Substring of the name or short name")
    subject_type: SubjectType | None = Field(None, description="Subject type")
    region: str | None = Field(
        None, pattern=r"^\d{6}(\d{3})?$", description="Region code; includes its subtree"
    )

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(name__contains=value) | Q(short_name__contains=value)

    def filter_region(self, value: str | None) -> Q:
        return Q(region__path__contains=f"{value}/") if value else Q()

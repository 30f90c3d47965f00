"""Filters shared by the catalogue's list pages and API."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from ninja import Field

from zhifa.core.schemas import InputFilter
from zhifa.core.validation import DB_MAX_ID

from .models import Circumstance, LawLevel, PowerCategory


class LawFilter(InputFilter):
    q: str | None = Field(None, description="Substring of the name or document number")
    level: LawLevel | None = Field(None, description="Level")
    in_force_on: date | None = Field(None, description="In force on this date")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(name__contains=value) | Q(document_number__contains=value)

    def filter_in_force_on(self, value: date | None) -> Q:
        if not value:
            return Q()
        return Q(valid_from__lte=value) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=value))


class PowerItemFilter(InputFilter):
    q: str | None = Field(None, description="Substring of the code or name")
    category: PowerCategory | None = Field(None, description="Category")
    subject: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Subject (organ) id")
    published: bool | None = Field(None, description="Published")
    warning: bool | None = Field(
        None, description="Has an open update warning (rule JL-power-list-update)"
    )
    in_force_on: date | None = Field(None, description="In force on this date")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(code__contains=value) | Q(name__contains=value)

    def filter_subject(self, value: int | None) -> Q:
        return Q(subject_id=value) if value else Q()

    def filter_warning(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        from .models import PowerItemWarning

        open_ids = PowerItemWarning.objects.filter(reviewed_on__isnull=True).values("power_item_id")
        return Q(pk__in=open_ids) if value else ~Q(pk__in=open_ids)

    def filter_in_force_on(self, value: date | None) -> Q:
        if not value:
            return Q()
        return Q(valid_from__lte=value) & (Q(valid_to__isnull=True) | Q(valid_to__gte=value))


class BenchmarkFilter(InputFilter):
    q: str | None = Field(None, description="Substring of the violation or the power item")
    power_item: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Power item id")
    subject: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Subject (organ) id")
    published: bool | None = Field(None, description="Published")
    in_force_on: date | None = Field(None, description="In force on this date")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return (
            Q(violation__contains=value)
            | Q(power_item__name__contains=value)
            | Q(power_item__code__contains=value)
        )

    def filter_power_item(self, value: int | None) -> Q:
        return Q(power_item_id=value) if value else Q()

    def filter_subject(self, value: int | None) -> Q:
        return Q(power_item__subject_id=value) if value else Q()

    def filter_in_force_on(self, value: date | None) -> Q:
        if not value:
            return Q()
        return Q(valid_from__lte=value) & (Q(valid_to__isnull=True) | Q(valid_to__gte=value))


class BandListFilter(InputFilter):
    """The 三张清单: bands of the no-penalty, mitigated and lighter circumstances."""

    q: str | None = Field(None, description="Substring of the violation or conditions")
    circumstance: Circumstance | None = Field(None, description="Circumstance")
    subject: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Subject (organ) id")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(benchmark__violation__contains=value) | Q(conditions__contains=value)

    def filter_subject(self, value: int | None) -> Q:
        return Q(benchmark__power_item__subject_id=value) if value else Q()


class ReviewEntryFilter(InputFilter):
    q: str | None = Field(None, description="Substring of the matter or criteria")
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Organ id")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(title__contains=value) | Q(criteria__contains=value)

    def filter_organ(self, value: int | None) -> Q:
        return Q(organ_id=value) if value else Q()

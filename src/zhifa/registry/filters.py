"""Filters shared by the list pages and the API (one filter class serves both)."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field

from zhifa.core.schemas import InputFilter
from zhifa.core.validation import DB_MAX_ID

from .models import CertificateStatus, EntrustmentStatus, OfficerKind, SubjectType

REGION_PATTERN = r"^\d{6}(\d{3})?$"


class OrganFilter(InputFilter):
    q: str | None = Field(None, description="Substring of the name or short name")
    subject_type: SubjectType | None = Field(None, description="Subject type")
    region: str | None = Field(
        None, pattern=REGION_PATTERN, description="Region code; includes its subtree"
    )

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(name__contains=value) | Q(short_name__contains=value)

    def filter_region(self, value: str | None) -> Q:
        return Q(region__path__contains=f"{value}/") if value else Q()


class OfficerFilter(InputFilter):
    q: str | None = Field(
        None, description="Substring of the name, post, enforcement fields or certificate number"
    )
    kind: OfficerKind | None = Field(None, description="Officer or auxiliary staff")
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="Organ id")
    region: str | None = Field(
        None, pattern=REGION_PATTERN, description="Region code; includes its subtree"
    )
    certificate_status: CertificateStatus | None = Field(
        None, description="Has a certificate with this status"
    )
    legal_qualification: bool | None = Field(
        None, description="Holds the legal professional qualification"
    )
    expiring_within: int | None = Field(
        None,
        ge=1,
        le=366,
        description="Has a valid certificate ending within this many days",
    )

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return (
            Q(name__contains=value)
            | Q(post__contains=value)
            | Q(enforcement_fields__contains=value)
            | Q(pk__in=_officers_with_certificate_number(value))
        )

    def filter_organ(self, value: int | None) -> Q:
        return Q(organ_id=value) if value else Q()

    def filter_region(self, value: str | None) -> Q:
        return Q(organ__region__path__contains=f"{value}/") if value else Q()

    def filter_certificate_status(self, value: str | None) -> Q:
        if not value:
            return Q()
        from .models import Certificate

        return Q(pk__in=Certificate.objects.filter(status=value).values("officer_id"))

    def filter_expiring_within(self, value: int | None) -> Q:
        if not value:
            return Q()
        from datetime import timedelta

        from django.utils import timezone

        from .models import Certificate

        today = timezone.localdate()
        ending = Certificate.objects.filter(
            status=CertificateStatus.VALID,
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=value),
        )
        return Q(pk__in=ending.values("officer_id"))


def _officers_with_certificate_number(value: str):  # type: ignore[no-untyped-def]
    from .models import Certificate

    return Certificate.objects.filter(number__contains=value).values("officer_id")


class EntrustmentFilter(InputFilter):
    q: str | None = Field(None, description="Substring of an organ's name or the matters")
    status: EntrustmentStatus | None = Field(None, description="Status")
    organ: int | None = Field(
        None, ge=1, le=DB_MAX_ID, description="Entrusting or entrusted organ id"
    )

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return (
            Q(entrusting_organ__name__contains=value)
            | Q(entrusted__name__contains=value)
            | Q(matters__contains=value)
        )

    def filter_organ(self, value: int | None) -> Q:
        return Q(entrusting_organ_id=value) | Q(entrusted_id=value) if value else Q()

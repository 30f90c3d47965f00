"""State changes of the registry. Views, API, CLI and imports call these."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .divisions import divisions
from .models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    CleanupItemKind,
    CleanupNotice,
    CleanupNoticeItem,
    EnforcementSubject,
    Entrustment,
    EntrustmentStatus,
    ExamRecord,
    Officer,
    RateLimitBucket,
    Region,
    TrainingRecord,
)
from .validators import normalise_id_number


@transaction.atomic
def load_regions(prefix: str = "") -> int:
    """Create or update the current divisions under ``prefix``; returns how many
    rows were created or changed."""
    changed = 0
    by_code = {r.code: r for r in Region.objects.all()}
    for division in divisions(prefix):
        parent = by_code.get(division.parent_code) if division.parent_code else None
        region = by_code.get(division.code)
        if region is None:
            region = Region(code=division.code)
        elif (region.name, region.level, region.parent_id) == (
            division.name,
            division.level,
            parent.pk if parent else None,
        ):
            continue
        region.name = division.name
        region.level = division.level
        region.parent = parent
        region.save()
        by_code[region.code] = region
        changed += 1
    return changed


# --- helpers ---------------------------------------------------------------------------


def _save(obj: Any, exclude: list[str] | None = None) -> Any:
    """Validate the whole object (field validators and ``clean``) and save it."""
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _set_fields(obj: Any, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("This field cannot be set here.")})
        setattr(obj, name, value)


# --- subjects and entrustments ---------------------------------------------------------

SUBJECT_DETAIL_FIELDS = (
    "short_name",
    "level",
    "legal_basis",
    "authorising_law",
    "uscc",
    "contact_phone",
    "contact_address",
    "active",
)


@transaction.atomic
def create_subject(
    *,
    name: str,
    subject_type: str,
    region: Region,
    parent: EnforcementSubject | None = None,
    **details: Any,
) -> EnforcementSubject:
    """Register a subject. Internal units and temporary bodies are recorded too, marked
    as unable to enforce (rule APL-38-subject)."""
    subject = EnforcementSubject(
        name=name.strip(), subject_type=subject_type, region=region, parent=parent
    )
    _set_fields(subject, details, SUBJECT_DETAIL_FIELDS)
    return _save(subject)


@transaction.atomic
def update_subject_details(subject: EnforcementSubject, **fields: Any) -> EnforcementSubject:
    """Record a subject's details: legal basis of its status, credit code, level,
    contact, and for an authorised organisation the law that authorises it."""
    _set_fields(subject, fields, SUBJECT_DETAIL_FIELDS)
    return _save(subject)


ENTRUSTMENT_FIELDS = (
    "matters",
    "valid_from",
    "valid_to",
    "instrument",
    "instrument_number",
    "published",
    "published_on",
    "filed_on",
    "filing_number",
)


def _check_entrusted_items(entrustment: Entrustment, power_items: Iterable[Any]) -> None:
    foreign = [p for p in power_items if p.subject_id != entrustment.entrusting_organ_id]
    if foreign:
        raise ValidationError(
            {
                "power_items": _(
                    "Only power items of the entrusting organ can be entrusted: %(items)s"
                )
                % {"items": "、".join(str(p) for p in foreign)}
            }
        )


@transaction.atomic
def create_entrustment(
    *,
    entrusting_organ: EnforcementSubject,
    entrusted: EnforcementSubject,
    power_items: Iterable[Any] = (),
    **fields: Any,
) -> Entrustment:
    """Record a written entrustment (APL Art. 20; rule APL-20-entrustment)."""
    entrustment = Entrustment(entrusting_organ=entrusting_organ, entrusted=entrusted)
    _set_fields(entrustment, fields, ENTRUSTMENT_FIELDS)
    items = list(power_items)
    _check_entrusted_items(entrustment, items)
    _save(entrustment)
    entrustment.power_items.set(items)
    return entrustment


@transaction.atomic
def update_entrustment(
    entrustment: Entrustment, power_items: Iterable[Any] | None = None, **fields: Any
) -> Entrustment:
    _set_fields(entrustment, fields, ENTRUSTMENT_FIELDS)
    if power_items is not None:
        items = list(power_items)
        _check_entrusted_items(entrustment, items)
    _save(entrustment)
    if power_items is not None:
        entrustment.power_items.set(items)
    return entrustment


@transaction.atomic
def terminate_entrustment(entrustment: Entrustment, on: date) -> Entrustment:
    if entrustment.status != EntrustmentStatus.ACTIVE:
        raise ValidationError({"status": _("Only an entrustment in force can be terminated.")})
    entrustment.status = EntrustmentStatus.TERMINATED
    entrustment.status_changed_on = on
    entrustment.save(update_fields=["status", "status_changed_on"])
    return entrustment


# --- officers --------------------------------------------------------------------------

OFFICER_FIELDS = (
    "name",
    "kind",
    "post",
    "enforcement_fields",
    "id_number",
    "legal_qualification",
    "legal_qualification_number",
    "user",
    "active",
)


@transaction.atomic
def save_officer(
    officer: Officer | None = None, *, organ: EnforcementSubject | None = None, **fields: Any
) -> Officer:
    """Create an officer of ``organ`` or update ``officer``. The ID number is stored in
    its compact form after the GB 11643 check."""
    if officer is None:
        if organ is None:
            raise ValidationError({"organ": _("An officer needs an organ.")})
        officer = Officer(organ=organ)
    elif organ is not None and organ.pk != officer.organ_id:
        officer.organ = organ
    if fields.get("id_number"):
        fields["id_number"] = normalise_id_number(str(fields["id_number"]))
    _set_fields(officer, fields, OFFICER_FIELDS)
    if not officer.organ.can_enforce:
        raise ValidationError(
            {"organ": _("Officers belong to an organ that may enforce (APL Art. 38).")}
        )
    if officer.user is not None and officer.user.organ_id != officer.organ_id:
        raise ValidationError({"user": _("The user account must belong to the officer's organ.")})
    return _save(officer)


@transaction.atomic
def record_training(officer: Officer, *, year: int, hours: Any, topic: str = "") -> TrainingRecord:
    return _save(TrainingRecord(officer=officer, year=year, hours=hours, topic=topic))


@transaction.atomic
def record_exam(
    officer: Officer, *, taken_on: date, name: str, score: Any = None, passed: bool = False
) -> ExamRecord:
    return _save(
        ExamRecord(officer=officer, taken_on=taken_on, name=name, score=score, passed=passed)
    )


def training_hours_by_year(officer: Officer) -> dict[int, Any]:
    totals: dict[int, Any] = {}
    for record in officer.trainings.all():
        totals[record.year] = totals.get(record.year, 0) + record.hours
    return dict(sorted(totals.items(), reverse=True))


# --- certificates ----------------------------------------------------------------------

#: Reasons recorded by the platform itself. They are stored data (history rows and the
#: public notice), so they are kept in the platform's working language, not translated.
REASON_ISSUED = "签发"
REASON_TERM_ENDED = "有效期届满"


@transaction.atomic
def issue_certificate(
    officer: Officer,
    *,
    number: str,
    issuing_authority: str,
    valid_from: date,
    valid_to: date,
    by: Any = None,
) -> Certificate:
    """Issue an enforcement certificate. Auxiliary staff get none (APL Art. 42; rule
    APL-42-qualified)."""
    if officer.is_auxiliary:
        raise ValidationError(
            {"officer": _("Auxiliary staff cannot hold an enforcement certificate.")}
        )
    certificate = _save(
        Certificate(
            officer=officer,
            number=number.strip(),
            issuing_authority=issuing_authority,
            valid_from=valid_from,
            valid_to=valid_to,
            status=CertificateStatus.VALID,
            status_changed_on=valid_from,
        )
    )
    CertificateStatusChange.objects.create(
        certificate=certificate,
        status=CertificateStatus.VALID,
        reason=REASON_ISSUED,
        effective_on=valid_from,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    return certificate


#: Status changes a person may record (expiry is the daily task's). Revoked and expired
#: are final: a new certificate is issued instead.
ALLOWED_CHANGES = {
    CertificateStatus.VALID: {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED},
    CertificateStatus.SUSPENDED: {CertificateStatus.VALID, CertificateStatus.REVOKED},
    CertificateStatus.REVOKED: set(),
    CertificateStatus.EXPIRED: set(),
}


@transaction.atomic
def change_certificate_status(
    certificate: Certificate, *, status: str, reason: str, effective_on: date, by: Any = None
) -> Certificate:
    """Suspend, reinstate or revoke a certificate, keeping the change as a history row."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    current = CertificateStatus(certificate.status)
    if status not in CertificateStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if CertificateStatus(status) not in ALLOWED_CHANGES[current]:
        raise ValidationError(
            {
                "status": _("A certificate that is %(current)s cannot become %(new)s.")
                % {
                    "current": current.label,
                    "new": CertificateStatus(status).label,
                }
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    last = certificate.history.order_by("-effective_on", "-pk").first()
    if last is not None and effective_on < last.effective_on:
        raise ValidationError(
            {"effective_on": _("The date cannot be before the last recorded change.")}
        )
    certificate.status = status
    certificate.status_reason = reason.strip()
    certificate.status_changed_on = effective_on
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    CertificateStatusChange.objects.create(
        certificate=certificate,
        status=status,
        reason=reason.strip(),
        effective_on=effective_on,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    return certificate


def officer_qualified_on(officer: Officer, on: date) -> bool:
    """Whether the officer may perform an enforcement act on ``on``: not auxiliary staff,
    and holding a certificate valid that day (rule APL-42-qualified)."""
    if officer.is_auxiliary or not officer.active:
        return False
    return any(c.is_valid_on(on) for c in officer.certificates.prefetch_related("history"))


# --- the daily expiry task -------------------------------------------------------------


@transaction.atomic
def expire_due(today: date) -> CleanupNotice:
    """Expire the certificates and entrustments whose term ended before ``today`` and
    record them in a clean-up notice (清理公告). Idempotent: what is already expired is
    left alone, so running twice a day records the second run with nothing in it.

    A plain function so that a scheduler (``zhifa registry expire``) or a background
    task can run it daily.
    """
    notice = CleanupNotice.objects.create(run_on=today)
    certificates = (
        Certificate.objects.select_for_update()
        .filter(status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED])
        .filter(valid_to__lt=today)
        .select_related("officer__organ")
    )
    items: list[CleanupNoticeItem] = []
    changes: list[CertificateStatusChange] = []
    for certificate in certificates:
        ended = certificate.valid_to + timedelta(days=1)
        certificate.status = CertificateStatus.EXPIRED
        certificate.status_reason = REASON_TERM_ENDED
        certificate.status_changed_on = ended
        certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
        changes.append(
            CertificateStatusChange(
                certificate=certificate,
                status=CertificateStatus.EXPIRED,
                reason=certificate.status_reason,
                effective_on=ended,
            )
        )
        items.append(
            CleanupNoticeItem(
                notice=notice,
                kind=CleanupItemKind.CERTIFICATE,
                certificate=certificate,
                organ_name=certificate.officer.organ.name,
                subject=certificate.officer.name,
                reference=certificate.number,
                ended_on=certificate.valid_to,
            )
        )
    entrustments = (
        Entrustment.objects.select_for_update()
        .filter(status=EntrustmentStatus.ACTIVE, valid_to__lt=today)
        .select_related("entrusting_organ", "entrusted")
    )
    for entrustment in entrustments:
        entrustment.status = EntrustmentStatus.EXPIRED
        entrustment.status_changed_on = entrustment.valid_to + timedelta(days=1)
        entrustment.save(update_fields=["status", "status_changed_on"])
        items.append(
            CleanupNoticeItem(
                notice=notice,
                kind=CleanupItemKind.ENTRUSTMENT,
                entrustment=entrustment,
                organ_name=entrustment.entrusting_organ.name,
                subject=entrustment.entrusted.name,
                reference=entrustment.instrument_number,
                ended_on=entrustment.valid_to,
            )
        )
    CertificateStatusChange.objects.bulk_create(changes)
    CleanupNoticeItem.objects.bulk_create(items)
    notice.certificates_expired = len(changes)
    notice.entrustments_expired = len(items) - len(changes)
    notice.save(update_fields=["certificates_expired", "entrustments_expired"])
    # The rate-limit counters of past windows are no longer needed.
    RateLimitBucket.objects.filter(window__lt=_window(time.time(), 60) - 1).delete()
    return notice


# --- rate limiting ---------------------------------------------------------------------


def _window(now: float, seconds: int) -> int:
    return int(now // seconds)


def rate_limit_hit(key: str, limit: int, seconds: int = 60, now: float | None = None) -> bool:
    """Count one request for ``key`` in the current window; True while within ``limit``.

    The counter is a database row, so every application server shares it. The key is
    hashed: client addresses are not stored."""
    window = _window(time.time() if now is None else now, seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:64]
    with transaction.atomic():
        bucket, created = RateLimitBucket.objects.get_or_create(
            key=digest, window=window, defaults={"count": 1}
        )
        if created:
            # Old windows are not needed any more (one cheap, indexed delete a minute).
            RateLimitBucket.objects.filter(key=digest, window__lt=window).delete()
        else:
            RateLimitBucket.objects.filter(pk=bucket.pk).update(count=F("count") + 1)
            bucket.refresh_from_db(fields=["count"])
    return bucket.count <= limit


def reviewer_qualified(officer: Officer) -> bool:
    """A first-time legal reviewer holds the national legal professional qualification
    (APL Art. 58; rule APL-58-reviewer)."""
    return bool(officer.active and officer.legal_qualification)

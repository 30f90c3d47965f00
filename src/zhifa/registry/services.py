"""State changes of the registry. Views, API, CLI and imports call these."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.services import set_fields, validated_save
from zhifa.records import changes
from zhifa.records.services import record_change

from .divisions import divisions
from .facts import certificate_facts
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
    OfficerFlag,
    OfficerFlagMeasure,
    OfficerFlagStatus,
    RateLimitBucket,
    Region,
    TrainingRecord,
)
from .validators import normalise_id_number

if TYPE_CHECKING:
    from zhifa.accounts.models import User


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


SUBJECT_RECORDED_FIELDS = (
    "name",
    "subject_type",
    "region",
    "parent",
    "is_justice_bureau",
    *SUBJECT_DETAIL_FIELDS,
)


@transaction.atomic
def create_subject(
    *,
    actor: User,
    name: str,
    subject_type: str,
    region: Region,
    parent: EnforcementSubject | None = None,
    is_justice_bureau: bool = False,
    **details: Any,
) -> EnforcementSubject:
    """Register a subject. Internal units and temporary bodies are recorded too, marked
    as unable to enforce (rule APL-38-subject). Recorded as ``subject.create`` in the
    new subject's own chain."""
    subject = EnforcementSubject(
        name=name.strip(),
        subject_type=subject_type,
        region=region,
        parent=parent,
        is_justice_bureau=is_justice_bureau,
    )
    set_fields(subject, details, SUBJECT_DETAIL_FIELDS)
    validated_save(subject)
    payload = changes.snapshot(subject, SUBJECT_RECORDED_FIELDS)
    payload["region"] = region.code
    record_change(actor, subject, "subject.create", subject, payload)
    return subject


@transaction.atomic
def update_subject_details(
    subject: EnforcementSubject, *, actor: User, **fields: Any
) -> EnforcementSubject:
    """Record a subject's details: legal basis of its status, credit code, level,
    contact, and for an authorised organisation the law that authorises it. Recorded as
    ``subject.update`` with the changed fields (nothing is recorded when nothing
    changed)."""
    before = changes.snapshot(subject, SUBJECT_DETAIL_FIELDS)
    set_fields(subject, fields, SUBJECT_DETAIL_FIELDS)
    validated_save(subject)
    changed = changes.diff(before, changes.snapshot(subject, SUBJECT_DETAIL_FIELDS))
    if changed:
        record_change(actor, subject, "subject.update", subject, {"changes": changed})
    return subject


def _subject_values(subject: EnforcementSubject) -> dict[str, Any]:
    values = changes.snapshot(subject, SUBJECT_RECORDED_FIELDS)
    values["region"] = Region.objects.get(pk=subject.region_id).code
    return values


@transaction.atomic
def amend_subject(subject: EnforcementSubject, *, actor: User, **fields: Any) -> EnforcementSubject:
    """Change any recorded field of a subject, also its name, type, region, parent and
    whether it is a justice bureau (the administration site's change form). Recorded as
    ``subject.update`` with the changed fields in the subject's own chain (the region as
    its code, as ``subject.create`` records it); nothing when nothing changed. A change
    of region also changes which supervisors see the organ: it is in the record."""
    subject = EnforcementSubject.objects.select_for_update().get(pk=subject.pk)
    before = _subject_values(subject)
    set_fields(subject, fields, SUBJECT_RECORDED_FIELDS)
    if isinstance(subject.name, str):
        subject.name = subject.name.strip()
    validated_save(subject)
    changed = changes.diff(before, _subject_values(subject))
    if changed:
        record_change(actor, subject, "subject.update", subject, {"changes": changed})
    return subject


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


def _entrustment_values(entrustment: Entrustment) -> dict[str, Any]:
    values = changes.snapshot(entrustment, ENTRUSTMENT_FIELDS)
    values["power_items"] = sorted(p.code for p in entrustment.power_items.all())
    return values


@transaction.atomic
def create_entrustment(
    *,
    actor: User,
    entrusting_organ: EnforcementSubject,
    entrusted: EnforcementSubject,
    power_items: Iterable[Any] = (),
    **fields: Any,
) -> Entrustment:
    """Record a written entrustment (APL Art. 20; rule APL-20-entrustment), as
    ``entrustment.create`` in the entrusting organ's chain."""
    entrustment = Entrustment(entrusting_organ=entrusting_organ, entrusted=entrusted)
    set_fields(entrustment, fields, ENTRUSTMENT_FIELDS)
    items = list(power_items)
    _check_entrusted_items(entrustment, items)
    validated_save(entrustment)
    entrustment.power_items.set(items)
    payload = _entrustment_values(entrustment)
    payload["entrusted"] = entrusted.pk
    payload["entrusted_name"] = entrusted.name
    record_change(actor, entrusting_organ, "entrustment.create", entrustment, payload)
    return entrustment


@transaction.atomic
def update_entrustment(
    entrustment: Entrustment,
    power_items: Iterable[Any] | None = None,
    *,
    actor: User,
    **fields: Any,
) -> Entrustment:
    """Change an entrustment, recorded as ``entrustment.update`` with the changed fields
    in the entrusting organ's chain (nothing is recorded when nothing changed)."""
    before = _entrustment_values(entrustment)
    set_fields(entrustment, fields, ENTRUSTMENT_FIELDS)
    if power_items is not None:
        items = list(power_items)
        _check_entrusted_items(entrustment, items)
    validated_save(entrustment)
    if power_items is not None:
        entrustment.power_items.set(items)
    changed = changes.diff(before, _entrustment_values(entrustment))
    if changed:
        record_change(
            actor,
            entrustment.entrusting_organ_id,
            "entrustment.update",
            entrustment,
            {"changes": changed},
        )
    return entrustment


@transaction.atomic
def terminate_entrustment(entrustment: Entrustment, on: date, *, actor: User) -> Entrustment:
    """End an entrustment in force from ``on`` (``entrustment.terminate``)."""
    if entrustment.status != EntrustmentStatus.ACTIVE:
        raise ValidationError({"status": _("Only an entrustment in force can be terminated.")})
    old_status = entrustment.status
    entrustment.status = EntrustmentStatus.TERMINATED
    entrustment.status_changed_on = on
    entrustment.save(update_fields=["status", "status_changed_on"])
    record_change(
        actor,
        entrustment.entrusting_organ_id,
        "entrustment.terminate",
        entrustment,
        {
            "instrument_number": entrustment.instrument_number,
            "entrusted": entrustment.entrusted_id,
            "old_status": old_status,
            "new_status": entrustment.status,
            "effective_on": on,
        },
    )
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


OFFICER_RECORDED_FIELDS = ("organ", *OFFICER_FIELDS)


@transaction.atomic
def save_officer(
    officer: Officer | None = None,
    *,
    actor: User,
    organ: EnforcementSubject | None = None,
    **fields: Any,
) -> Officer:
    """Create an officer of ``organ`` or update ``officer``. The ID number is stored in
    its compact form after the GB 11643 check. Recorded as ``officer.create`` or
    ``officer.update`` (changed fields only; nothing when nothing changed) in the
    officer's organ's chain; the ID number itself is never recorded. Moving the officer
    to another organ also records ``officer.transfer_out`` in the old organ's chain."""
    before: dict[str, Any] | None = None
    if officer is None:
        if organ is None:
            raise ValidationError({"organ": _("An officer needs an organ.")})
        officer = Officer(organ=organ)
    else:
        before = changes.snapshot(officer, OFFICER_RECORDED_FIELDS)
        if organ is not None and organ.pk != officer.organ_id:
            officer.organ = organ
    if fields.get("id_number"):
        fields["id_number"] = normalise_id_number(str(fields["id_number"]))
    set_fields(officer, fields, OFFICER_FIELDS)
    if not officer.organ.can_enforce:
        raise ValidationError(
            {"organ": _("Officers belong to an organ that may enforce (APL Art. 38).")}
        )
    if officer.user is not None and officer.user.organ_id != officer.organ_id:
        raise ValidationError({"user": _("The user account must belong to the officer's organ.")})
    validated_save(officer)
    after = changes.snapshot(officer, OFFICER_RECORDED_FIELDS)
    if before is None:
        payload = changes.public(after)
        payload["id_number_recorded"] = bool(officer.id_number)
        record_change(actor, officer.organ_id, "officer.create", officer, payload)
    else:
        changed = changes.diff(before, after)
        if changed:
            record_change(actor, officer.organ_id, "officer.update", officer, {"changes": changed})
        if before["organ"] != after["organ"]:
            # A transfer also shows in the chain of the organ the officer left.
            record_change(
                actor,
                before["organ"],
                "officer.transfer_out",
                officer,
                {"officer": officer.pk, "name": officer.name, "to_organ": officer.organ_id},
            )
            # The new organ's chain takes the officer and his certificates over: it
            # records them whole, as a create (``records verify`` compares them there).
            payload = changes.public(after)
            payload["id_number_recorded"] = bool(officer.id_number)
            payload["from_organ"] = before["organ"]
            payload["certificates"] = [
                certificate_values(c) for c in officer.certificates.order_by("pk")
            ]
            # And his flags (JL-evaluation): one carried out here is compared here.
            payload["flags"] = [flag_values(f) for f in officer.flags.order_by("pk")]
            record_change(actor, officer.organ_id, "officer.transfer_in", officer, payload)
    return officer


#: The recorded fields of a certificate (``records verify``).
CERTIFICATE_RECORDED_FIELDS = (
    "officer",
    "number",
    "issuing_authority",
    "valid_from",
    "valid_to",
    "status",
    "status_reason",
    "status_changed_on",
)


def certificate_values(certificate: Certificate) -> dict[str, Any]:
    """A certificate's recorded fields with its ID (``officer.transfer_in``)."""
    return {
        "certificate": certificate.pk,
        **changes.public(changes.snapshot(certificate, CERTIFICATE_RECORDED_FIELDS)),
    }


@transaction.atomic
def record_training(
    officer: Officer, *, actor: User, year: int, hours: Any, topic: str = ""
) -> TrainingRecord:
    """Record training hours (``officer.record_training``)."""
    record = validated_save(TrainingRecord(officer=officer, year=year, hours=hours, topic=topic))
    record_change(
        actor,
        officer.organ_id,
        "officer.record_training",
        record,
        {"officer": officer.pk, "year": record.year, "hours": record.hours, "topic": record.topic},
    )
    return record


@transaction.atomic
def record_exam(
    officer: Officer,
    *,
    actor: User,
    taken_on: date,
    name: str,
    score: Any = None,
    passed: bool = False,
) -> ExamRecord:
    """Record an examination (``officer.record_exam``)."""
    record = validated_save(
        ExamRecord(officer=officer, taken_on=taken_on, name=name, score=score, passed=passed)
    )
    record_change(
        actor,
        officer.organ_id,
        "officer.record_exam",
        record,
        {
            "officer": officer.pk,
            "taken_on": record.taken_on,
            "name": record.name,
            "score": changes.json_value(record.score),
            "passed": record.passed,
        },
    )
    return record


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
    actor: User,
) -> Certificate:
    """Issue an enforcement certificate. Auxiliary staff get none (APL Art. 42; rule
    APL-42-qualified). Recorded as ``certificate.issue`` in the officer's organ's
    chain."""
    if officer.is_auxiliary:
        raise ValidationError(
            {"officer": _("Auxiliary staff cannot hold an enforcement certificate.")}
        )
    certificate = validated_save(
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
        recorded_by=actor,
    )
    record_change(
        actor,
        officer.organ_id,
        "certificate.issue",
        certificate,
        {
            "number": certificate.number,
            "officer": officer.pk,
            "officer_name": officer.name,
            "issuing_authority": certificate.issuing_authority,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "old_status": None,
            "new_status": CertificateStatus.VALID.value,
            "reason": REASON_ISSUED,
            "effective_on": valid_from,
        },
    )
    return certificate


#: The action recorded for each status a person may set.
STATUS_ACTIONS = {
    CertificateStatus.SUSPENDED: "certificate.suspend",
    CertificateStatus.VALID: "certificate.reinstate",
    CertificateStatus.REVOKED: "certificate.revoke",
}

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
    certificate: Certificate, *, status: str, reason: str, effective_on: date, actor: User
) -> Certificate:
    """Suspend, reinstate or revoke a certificate, keeping the change as a history row
    and recording it (``certificate.suspend``, ``.reinstate`` or ``.revoke``) in the
    officer's organ's chain."""
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
        recorded_by=actor,
    )
    record_change(
        actor,
        certificate.officer.organ_id,
        STATUS_ACTIONS[CertificateStatus(status)],
        certificate,
        {
            "number": certificate.number,
            "officer": certificate.officer_id,
            "officer_name": certificate.officer.name,
            "old_status": current.value,
            "new_status": CertificateStatus(status).value,
            "reason": reason.strip(),
            "effective_on": effective_on,
        },
    )
    return certificate


def officer_qualified_on(officer: Officer, on: date) -> bool:
    """Whether the officer may perform an enforcement act on ``on``: not auxiliary staff,
    and holding a certificate valid that day (rule APL-42-qualified). The certificates
    are read as the case file reads them (``facts.certificate_facts``)."""
    return officer.pk in qualified_officers([officer], on)


def qualified_officers(officers: Iterable[Officer], on: date) -> set[int]:
    """The pks of ``officers`` qualified on ``on`` (``officer_qualified_on``), their
    certificates read in one query."""
    candidates = [o for o in officers if not o.is_auxiliary and o.active]
    facts = certificate_facts(o.pk for o in candidates)
    return {o.pk for o in candidates if any(c.is_valid_on(on) for c in facts[o.pk])}


# --- flags (JL-evaluation) --------------------------------------------------------------

FLAG_ACTION = "officer.flag"
FLAG_CARRIED_OUT_ACTION = "officer.flag_carried_out"
MAX_FLAG_NOTE = 2000
#: The recorded fields of a flag (``records verify``; handed over with its officer).
FLAG_RECORDED_FIELDS = (
    "officer",
    "rule",
    "year",
    "reason",
    "consequence",
    "status",
    "raised_on",
    "measure",
    "carried_out_on",
    "note",
)


def flag_values(flag: OfficerFlag) -> dict[str, Any]:
    """A flag's recorded fields with its ID (``officer.transfer_in``)."""
    return {"flag": flag.pk, **changes.public(changes.snapshot(flag, FLAG_RECORDED_FIELDS))}


def flag_officer(
    officer: Officer,
    *,
    rule: str,
    year: int,
    reason: str,
    consequence: str,
    on: date,
    actor: User,
) -> tuple[OfficerFlag, bool]:
    """Flag ``officer`` for the registry administrator (``officer.flag`` in the officer's
    organ's chain), in the caller's transaction. Idempotent per officer, rule and year:
    returns ``(flag, created)``."""
    with transaction.atomic():
        existing = OfficerFlag.objects.filter(officer=officer, rule=rule, year=year).first()
        if existing is not None:
            return existing, False
        flag = OfficerFlag.objects.create(
            officer=officer,
            rule=rule,
            year=year,
            reason=reason,
            consequence=consequence,
            raised_on=on,
            raised_by=actor,
        )
        record_change(
            actor,
            officer.organ_id,
            FLAG_ACTION,
            flag,
            {
                "officer": officer.pk,
                "officer_name": officer.name,
                "rule": rule,
                "year": year,
                "reason": reason,
                "consequence": consequence,
                "status": flag.status,
                "raised_on": on,
            },
        )
    return flag, True


def carry_out_flag(
    flag: OfficerFlag, *, measure: str, effective_on: date, note: str = "", actor: User
) -> OfficerFlag:
    """Carry out an open flag: ``removed_from_posts`` (the officer no longer active in
    enforcement, ``officer.update``) or ``certificate_cancelled`` (each of his valid or
    suspended certificates revoked, ``certificate.revoke``), then the flag closed
    (``officer.flag_carried_out``); one transaction. ValidationError naming the field."""
    errors: dict[str, list[str]] = {}
    if measure not in OfficerFlagMeasure.values:
        errors["measure"] = [_("Choose removal from enforcement posts or cancellation.")]
    note = note if isinstance(note, str) else ""
    if len(note) > MAX_FLAG_NOTE:
        errors["note"] = [_("At most %(n)s characters.") % {"n": MAX_FLAG_NOTE}]
    if not isinstance(effective_on, date):
        errors["effective_on"] = [_("Give a date.")]
    elif effective_on < flag.raised_on:
        errors["effective_on"] = [_("The date cannot be before the flag was raised.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        flag = OfficerFlag.objects.select_for_update().select_related("officer").get(pk=flag.pk)
        if flag.status != OfficerFlagStatus.OPEN:
            raise ValidationError({"measure": [_("The flag is already carried out.")]})
        officer = flag.officer
        revoked: list[str] = []
        if measure == OfficerFlagMeasure.REMOVED_FROM_POSTS:
            if officer.active:
                save_officer(officer, actor=actor, active=False)
        else:
            for certificate in officer.certificates.filter(
                status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED]
            ).order_by("pk"):
                change_certificate_status(
                    certificate,
                    status=CertificateStatus.REVOKED,
                    reason=flag.consequence[:255],
                    effective_on=effective_on,
                    actor=actor,
                )
                revoked.append(certificate.number)
        flag.status = OfficerFlagStatus.CARRIED_OUT
        flag.measure = measure
        flag.carried_out_on = effective_on
        flag.carried_out_by = actor
        flag.note = note.strip()
        flag.save(update_fields=["status", "measure", "carried_out_on", "carried_out_by", "note"])
        record_change(
            actor,
            officer.organ_id,
            FLAG_CARRIED_OUT_ACTION,
            flag,
            {
                "officer": officer.pk,
                "rule": flag.rule,
                "year": flag.year,
                "status": flag.status,
                "measure": measure,
                "effective_on": effective_on,
                "certificates_revoked": revoked,
                "note": flag.note,
            },
        )
    return flag


# --- the daily expiry task -------------------------------------------------------------


EXPIRE_TASK = "registry.expire"


@transaction.atomic
def expire_due(today: date) -> CleanupNotice:
    """Expire the certificates and entrustments whose term ended before ``today`` and
    record them in a clean-up notice (清理公告). Idempotent: what is already expired is
    left alone, so running twice a day records the second run with nothing in it.

    A plain function so that a scheduler (``zhifa registry expire``) or a background
    task can run it daily.

    Recorded by the system task ``registry.expire``: one ``registry.expire`` entry per
    organ affected, in that organ's chain, about the clean-up notice and listing what
    expired there (a certificate under its officer's organ, an entrustment under the
    entrusting organ). A run that expires nothing records nothing.
    """
    expired: dict[int, dict[str, list[dict[str, Any]]]] = {}

    def for_organ(organ_id: int) -> dict[str, list[dict[str, Any]]]:
        return expired.setdefault(organ_id, {"certificates": [], "entrustments": []})

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
        for_organ(certificate.officer.organ_id)["certificates"].append(
            {
                "certificate": certificate.pk,
                "number": certificate.number,
                "officer": certificate.officer_id,
                "officer_name": certificate.officer.name,
                "old_status": certificate.status,
                "new_status": CertificateStatus.EXPIRED.value,
                "reason": REASON_TERM_ENDED,
                "effective_on": ended,
                "valid_to": certificate.valid_to,
            }
        )
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
        for_organ(entrustment.entrusting_organ_id)["entrustments"].append(
            {
                "entrustment": entrustment.pk,
                "instrument_number": entrustment.instrument_number,
                "entrusted": entrustment.entrusted_id,
                "old_status": entrustment.status,
                "new_status": EntrustmentStatus.EXPIRED.value,
                "effective_on": entrustment.valid_to + timedelta(days=1),
                "valid_to": entrustment.valid_to,
            }
        )
        entrustment.status = EntrustmentStatus.EXPIRED
        entrustment.status_changed_on = entrustment.valid_to + timedelta(days=1)
        entrustment.save(update_fields=["status", "status_changed_on"])
        if not entrustment.published:
            # The public notice lists only what was published; the expiry itself is
            # still recorded in the organ's chain above.
            continue
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
    for organ_id in sorted(expired):
        record_change(
            None,
            organ_id,
            "registry.expire",
            notice,
            {"run_on": today, **expired[organ_id]},
            system_task=EXPIRE_TASK,
        )
    # The rate-limit counters of past windows are no longer needed.
    RateLimitBucket.objects.filter(window__lt=_window(timezone.now().timestamp(), 60) - 1).delete()
    return notice


# --- rate limiting ---------------------------------------------------------------------


def _window(now: float, seconds: int) -> int:
    return int(now // seconds)


def rate_limit_hit(key: str, limit: int, seconds: int = 60, now: float | None = None) -> bool:
    """Count one request for ``key``; True while the client is within ``limit`` requests
    in the last ``seconds``.

    A sliding window: the requests of the current window plus those of the previous
    one in proportion to how much of it lies in the last ``seconds`` (a fixed window
    would let a client send twice the limit across a window's edge). The counters are
    database rows, so every application server shares them. The key is hashed: client
    addresses are not stored."""
    moment = timezone.now().timestamp() if now is None else now
    window = _window(moment, seconds)
    elapsed = (moment - window * seconds) / seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:64]
    with transaction.atomic():
        bucket, created = RateLimitBucket.objects.get_or_create(
            key=digest, window=window, defaults={"count": 1}
        )
        if created:
            # Windows before the previous one are not needed any more (one cheap,
            # indexed delete a window).
            RateLimitBucket.objects.filter(key=digest, window__lt=window - 1).delete()
        else:
            RateLimitBucket.objects.filter(pk=bucket.pk).update(count=F("count") + 1)
            bucket.refresh_from_db(fields=["count"])
        previous = (
            RateLimitBucket.objects.filter(key=digest, window=window - 1)
            .values_list("count", flat=True)
            .first()
            or 0
        )
    return previous * (1 - elapsed) + bucket.count <= limit


def reviewer_qualified(officer: Officer) -> bool:
    """A first-time legal reviewer holds the national legal professional qualification
    (APL Art. 58; rule APL-58-reviewer)."""
    return bool(officer.active and officer.legal_qualification)

"""The state changes of interference records (NA-interference), each in one transaction
with its entry in the whole-process record.

The entry goes into the chain of the justice bureau of the organ's region
(``core.organisation.justice_bureau_for``; the organ's own chain when the region has
none above it), not the organ's: the organ's users browse their organ's chain, and a
record must not reach the colleague it names. Its payload holds the record's SM3 digest
(``content_digest``), never the names and text: the entry proves what the record said
without telling it to whoever may read the chain."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import Case
from zhifa.core.organisation import justice_bureau_for
from zhifa.core.validation import date_problem, name_problem, text_problem
from zhifa.records import evidence_files
from zhifa.records.canonical import canonical_json, format_time, sm3_hex
from zhifa.records.services import record_change
from zhifa.rules.engine.interference import INTERNAL_SOURCES

from . import policy
from .models import Acknowledgement, Interference, Method, Source

RECORD_ACTION = "interference.record"
ACKNOWLEDGE_ACTION = "interference.acknowledge"
#: The recorded fields of a record's entry (``recorded.py``).
RECORDED_FIELDS = ("case", "organ", "corrects", "digest", "attachment_sm3")
MAX_TEXT = 5000


class AlreadyAcknowledged(ValidationError):
    """The user acknowledged the record before (the API's 409)."""


LIMITS = {"person_name": 64, "person_unit": 128, "person_position": 64}


def content_of(interference: Interference) -> dict[str, Any]:
    """What the digest covers: everything the record says."""
    return {
        "case": interference.case_id,
        "organ": interference.organ_id,
        "corrects": interference.corrects_id,
        "recorded_by": interference.recorded_by_id,
        "occurred_at": format_time(interference.occurred_at),
        "source": interference.source,
        "person_name": interference.person_name,
        "person_unit": interference.person_unit,
        "person_position": interference.person_position,
        "person_user": interference.person_user_id,
        "method": interference.method,
        "request": interference.request,
        "response": interference.response,
        "attachment_sm3": interference.attachment_sm3,
        "attachment_name": interference.attachment_name,
    }


def content_digest(interference: Interference) -> str:
    return sm3_hex(canonical_json(content_of(interference)).encode())


def is_intact(interference: Interference) -> bool:
    """Whether the row still says what its entry recorded (its digest recomputed)."""
    return content_digest(interference) == interference.digest


def _text(errors: dict[str, list[str]], field: str, value: Any, *, required: bool) -> str:
    if not isinstance(value, str):
        errors[field] = [_("Give text.")]
        return ""
    problem = name_problem(value) if required else text_problem(value)
    limit = LIMITS.get(field, MAX_TEXT)
    if problem:
        errors[field] = [problem]
    elif len(value) > limit:
        errors[field] = [_("At most %(n)s characters.") % {"n": limit}]
    return value.strip()


def _person_user(errors: dict[str, list[str]], username: str, actor: Any) -> Any:
    if not username:
        return None
    problem = text_problem(username)
    if problem or len(username) > 150:
        errors["person_username"] = [problem or _("At most %(n)s characters.") % {"n": 150}]
        return None
    found = get_user_model().objects.filter(username=username, is_active=True).first()
    if found is None:
        errors["person_username"] = [
            _("No active platform user has the user name “%(name)s”.") % {"name": username}
        ]
    elif found.pk == actor.pk:
        errors["person_username"] = [_("You cannot name yourself as the person interfering.")]
    return found


def record_interference(
    case: Case,
    *,
    actor: Any,
    occurred_at: dt.datetime,
    source: str,
    person_name: str,
    method: str,
    request: str,
    response: str,
    person_unit: str = "",
    person_position: str = "",
    person_username: str = "",
    upload: Any = None,
    original_name: str = "",
    corrects: Interference | None = None,
) -> Interference:
    """Record an attempt to interfere in ``case`` (or, with ``corrects``, a correction
    of an earlier record, which stays as it was).

    Raises ``PermissionDenied`` when ``actor`` is not an officer of the case (or, for a
    correction, not the officer who recorded the earlier one, or it was corrected
    already), ``ValidationError`` naming the field otherwise; nothing is stored then."""
    policy.require_may_record(actor, case)
    if corrects is not None and (
        corrects.case_id != case.pk or not policy.may_correct(actor, corrects)
    ):
        raise ValidationError(
            {"corrects": [_("Only the latest record of this case that you made can be corrected.")]}
        )
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if not isinstance(occurred_at, dt.datetime):
        errors["occurred_at"] = [_("Give the date and time it happened.")]
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        occurred_at = occurred_at.replace(microsecond=0)
        problem = date_problem(timezone.localdate(occurred_at), today=timezone.localdate(now))
        if problem is None and occurred_at > now:
            problem = _("The time is in the future.")
        if problem:
            errors["occurred_at"] = [problem]
    if source not in Source.values:
        errors["source"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Source.values)}
        ]
    if method not in Method.values:
        errors["method"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Method.values)}
        ]
    texts = {
        "person_name": _text(errors, "person_name", person_name, required=True),
        "person_unit": _text(errors, "person_unit", person_unit, required=False),
        "person_position": _text(errors, "person_position", person_position, required=False),
        "request": _text(errors, "request", request, required=True),
        "response": _text(errors, "response", response, required=True),
    }
    if not isinstance(person_username, str):
        errors["person_username"] = [_("Give text.")]
        person_username = ""
    person_user = _person_user(errors, person_username.strip(), actor)
    if upload is not None:
        problem = evidence_files.file_name_problem(original_name)
        if problem is None and len(original_name) > 255:
            problem = _("The file name is longer than %(n)s characters.") % {"n": 255}
        if problem:
            errors["file"] = [problem]
    if errors:
        raise ValidationError(errors)
    if upload is None:
        return _record(case, actor, now, occurred_at, source, method, texts, person_user, corrects)
    with evidence_files.spool(upload, "document") as spooled:
        storage_name, newly_stored = evidence_files.store(spooled)
        try:
            attachment = {
                "attachment_name": original_name,
                "attachment_type": spooled.content_type,
                "attachment_size": spooled.size,
                "attachment_sm3": spooled.sm3,
                "attachment_storage": storage_name,
            }
            return _record(
                case,
                actor,
                now,
                occurred_at,
                source,
                method,
                texts,
                person_user,
                corrects,
                attachment,
            )
        except BaseException:
            if newly_stored:
                evidence_files.discard(storage_name)
            raise


def _record(
    case: Case,
    actor: Any,
    now: dt.datetime,
    occurred_at: dt.datetime,
    source: str,
    method: str,
    texts: dict[str, str],
    person_user: Any,
    corrects: Interference | None,
    attachment: dict[str, Any] | None = None,
) -> Interference:
    organ = case.organ
    chain = justice_bureau_for(organ.region) or organ
    with transaction.atomic():
        interference = Interference(
            organ=organ,
            case=case,
            recorded_in=chain,
            recorded_by=actor,
            recorded_at=now,
            corrects=corrects,
            occurred_at=occurred_at,
            source=source,
            method=method,
            person_user=person_user,
            **texts,
            **(attachment or {}),
        )
        interference.digest = content_digest(interference)
        interference.full_clean(exclude=["corrects"])
        try:
            with transaction.atomic():
                interference.save()
        except IntegrityError as exc:  # a concurrent correction of the same record
            raise ValidationError(
                {"corrects": [_("This record has just been corrected by another record.")]}
            ) from exc
        record_change(actor, chain, RECORD_ACTION, interference, recorded_values(interference))
    return interference


def recorded_values(interference: Interference) -> dict[str, Any]:
    """The entry's payload: references and digests only (the module's docstring)."""
    return {
        "case": interference.case_id,
        "organ": interference.organ_id,
        "corrects": interference.corrects_id,
        "digest": interference.digest,
        "attachment_sm3": interference.attachment_sm3,
    }


def acknowledge(interference: Interference, *, actor: Any, note: str) -> Acknowledgement:
    """The organ head or a supervisor of the region acknowledges the record with a note
    (once each). ``PermissionDenied`` for anyone else; ``ValidationError`` on ``note``
    or when already acknowledged."""
    role = policy.acknowledger_role(actor, interference)
    if role is None or not policy.may_see(actor, interference):
        raise PermissionDenied(
            _("Only the organ's head or a supervisor of its region acknowledges the record.")
        )
    errors: dict[str, list[str]] = {}
    text = _text(errors, "note", note, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Acknowledgement.objects.filter(interference=interference, actor=actor).exists():
            raise AlreadyAcknowledged({"note": [_("You have already acknowledged this record.")]})
        try:
            with transaction.atomic():
                ack = Acknowledgement.objects.create(
                    interference=interference,
                    actor=actor,
                    role=role,
                    note=text,
                    acknowledged_at=timezone.now(),
                )
        except IntegrityError as exc:  # acknowledged concurrently
            raise AlreadyAcknowledged(
                {"note": [_("You have already acknowledged this record.")]}
            ) from exc
        record_change(
            actor,
            interference.recorded_in_id,
            ACKNOWLEDGE_ACTION,
            interference,
            {
                "acknowledgement": ack.pk,
                "actor": actor.pk,
                "role": role,
                "note_sm3": sm3_hex(canonical_json(text).encode()),
            },
        )
    return ack


def current(queryset: Any) -> Any:
    """The records not corrected by a later one."""
    return queryset.filter(corrected_by__isnull=True)


def interference_counts(organ: Any, year: int) -> dict[str, Any]:
    """The figures of evaluation (评议考核) for ``organ`` and ``year`` (by the day it
    happened, local time): current records (corrections replace what they correct),
    those by internal personnel (NA 33), by source and method, the cases concerned, and
    how many the head and a supervisor acknowledged. Not scoped: the caller shows the
    figures only to whoever may see the organ's evaluation."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year, 12, 31, 23, 59, 59, 999999, tzinfo=tz)  # year 9999 too
    rows = list(
        current(
            Interference.objects.filter(organ=organ, occurred_at__gte=start, occurred_at__lte=end)
        ).values_list("pk", "case_id", "source", "method")
    )
    acknowledged = Counter(
        Acknowledgement.objects.filter(interference_id__in=[r[0] for r in rows])
        .values_list("interference_id", "role")
        .distinct()
    )
    by_role = Counter(role for (_pk, role) in acknowledged)
    return {
        "organ": organ.pk,
        "year": year,
        "records": len(rows),
        "internal": sum(1 for r in rows if r[2] in INTERNAL_SOURCES),
        "cases": len({r[1] for r in rows}),
        "by_source": {s: sum(1 for r in rows if r[2] == s) for s in Source.values},
        "by_method": {m: sum(1 for r in rows if r[3] == m) for m in Method.values},
        "acknowledged_by_head": by_role.get("organ_head", 0),
        "acknowledged_by_supervisor": by_role.get("supervisor", 0),
    }

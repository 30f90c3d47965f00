"""Every state change of a complaint or report is one function here, writing its record
entry (``zhifa.records``) in the same transaction. The clocks are the engine's
(``zhifa.rules.engine.complaints``); who may act is ``policy``'s.

- ``file_complaint`` — a filing from the public: routed (``routing``), numbered per
  region and year, given a secret access code (returned once, stored hashed), its
  acknowledgement deadline counted (JL-complaint-ack; COMPLAINT-sector and
  NA-promised-deadline where a sector period applies), attachments stored by digest;
- ``accept`` / ``reject`` — the receiving unit tells the filer (reasons required);
- ``add_progress`` — a progress note the filer sees;
- ``close`` — the result;
- ``dispute`` — the filer says the closure did not resolve it ("未解决"), once;
- ``review`` — the supervisor of the region reopens it or confirms the closure;
- ``enter_case`` — an accepted report becomes a case source (``cases.services.open_case``
  with source ``report``), linked both ways;
- ``assign`` — the unit's head assigns the staff who handle it (承办人员), or changes
  them; the assigned staff see the filer (COMPLAINT-confidential, ``policy``);
- ``merge`` / ``reassign`` — handled together with another filing of the unit / handed
  to another unit by the supervisor (the assignment ends with it).

The record entries hold no identity or contact of the filer (COMPLAINT-confidential):
only the digest of what was given, so the row can still be checked against its entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import User as UserModel
from zhifa.cases import services as case_services
from zhifa.cases.models import Procedure
from zhifa.core.services import current_digest_key_id, keyed_digest
from zhifa.core.validation import text_problem, typed_text_problem
from zhifa.documents.rendering import new_code, normal_code
from zhifa.records import evidence_files
from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.services import append_entry
from zhifa.registry.models import Officer, Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.complaints import ack_due

from . import policy, routing
from .models import (
    Complaint,
    ComplaintAssignment,
    ComplaintAttachment,
    ComplaintKind,
    ComplaintNote,
    ComplaintSequence,
    ComplaintStatus,
    NoteKind,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.registry.models import EnforcementSubject

#: The system task under which a public filing is recorded (no user acted).
PUBLIC_TASK = "complaints.public-filing"
FILE = "complaint.file"
ACCEPT = "complaint.accept"
REJECT = "complaint.reject"
PROGRESS = "complaint.progress"
CLOSE = "complaint.close"
DISPUTE = "complaint.dispute"
REOPEN = "complaint.reopen"
CONFIRM = "complaint.confirm"
ENTER_CASE = "complaint.enter_case"
MERGE = "complaint.merge"
ASSIGN = "complaint.assign"
#: On the filing merged into: a filer of a filing handled together disputes its result.
DISPUTE_JOINED = "complaint.dispute_joined"
REASSIGN_OUT = "complaint.reassign_out"
REASSIGN_IN = "complaint.reassign_in"

#: Attachments: at most this many, each at most ATTACHMENT_MAX_BYTES, of these types
#: (judged from the content, never from the name or the browser's claim).
MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
MAX_DESCRIPTION = 5000
MAX_TEXT = 5000


#: What the record holds of a filing's row (``recorded.py`` reads it back for
#: ``zhifa records verify``): the create entry's fields, and what each later action sets.
RECORDED_FIELDS = ("number", "status", "kind", "category", "address", "ack_due_on")


def filer_digest(name: str, contact: str, *, key_id: str | None = None) -> str:
    """What the FILE entry records of the filer: HMAC-SHA256 of the canonical JSON of
    ``[name, contact]`` keyed with the digest key (``core.services.keyed_digest``,
    purpose ``complaint-filer``): the current one, or the one of ``key_id`` (the
    filing's ``filer_key``, recorded beside the digest). ``records verify`` recomputes
    it from the row."""
    return keyed_digest("complaint-filer", canonical_json([name, contact]), key_id=key_id)


@dataclass(frozen=True)
class Filed:
    """A new filing and its access code (shown to the filer once, never stored)."""

    complaint: Complaint
    access_code: str


def _text(
    errors: dict[str, list[str]], field: str, value: Any, *, required: bool, limit: int
) -> str:
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = value.strip()
    problem = typed_text_problem(value)
    if problem:
        errors.setdefault(field, []).append(problem)
    elif required and not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return str(value)


def _entry(
    complaint: Complaint, action: str, payload: Mapping[str, Any], actor: User | None
) -> None:
    append_entry(
        actor=actor,
        organ=complaint.organ_id,
        action=action,
        obj=complaint,
        payload={"number": complaint.number, "status": complaint.status, **payload},
        system_task=None if actor is not None else PUBLIC_TASK,
    )


def _note(complaint: Complaint, kind: str, on: dt.date, text: str, author: User | None) -> None:
    ComplaintNote.objects.create(complaint=complaint, kind=kind, on=on, text=text, author=author)


def _issue_number(region: Region, year: int) -> str:
    """``<region code>-<year>-<six digits>``, unique (a row lock per region and year)."""
    ComplaintSequence.objects.get_or_create(region=region, year=year)
    sequence = ComplaintSequence.objects.select_for_update().get(region=region, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{region.code}-{year}-{sequence.last:06d}"


def attachments_field(index: int | None) -> str:
    """The field an attachment's refusal is named on (the page's: ``attachments``, for
    each file and for the count alike)."""
    return "attachments"


@contextlib.contextmanager
def _on_attachments(upload: Any, field: str) -> Iterator[None]:
    """The upload checker's refusal (on its ``file`` key) named on ``field``, the
    field the filer used, with the file's name."""
    try:
        yield
    except ValidationError as exc:
        name = getattr(upload, "name", "") or ""
        messages = exc.messages
        raise ValidationError({field: [f"{name}: {m}" if name else m for m in messages]}) from exc


def file_complaint(
    *,
    category: str,
    region_code: str,
    address: str,
    description: str,
    filer_name: str = "",
    filer_contact: str = "",
    subject_organ: EnforcementSubject | None = None,
    subject_officer: Officer | None = None,
    attachments: Sequence[Any] = (),
    attachment_field: Callable[[int | None], str] = attachments_field,
) -> Filed:
    """A filing from the public. Raises ValidationError naming the field; nothing is
    written (nor stored) then. ``attachment_field`` names the field of the refusal of
    the ``index``-th attachment (``None``: of their count): the page names them all
    ``attachments``, the API ``files[<index>]``."""
    errors: dict[str, list[str]] = {}
    found = routing.categories().get(category)
    if found is None:
        errors["category"] = [_("Choose one of the listed categories.")]
    region = Region.objects.filter(code=str(region_code or "")).first()
    if region is None:
        errors["region"] = [_("Choose a region (a GB/T 2260 code) of this platform.")]
    address = _text(errors, "address", address, required=True, limit=255)
    description = _text(errors, "description", description, required=True, limit=MAX_DESCRIPTION)
    filer_name = _text(errors, "filer_name", filer_name, required=False, limit=64)
    filer_contact = _text(errors, "filer_contact", filer_contact, required=False, limit=128)
    if (
        found is not None
        and found.kind == ComplaintKind.REPORT
        and (subject_organ or subject_officer)
    ):
        errors["subject_organ"] = [
            _("An organ or officer is named in a complaint about enforcement, not in a report.")
        ]
    if subject_officer is not None:
        if subject_organ is None:
            subject_organ = subject_officer.organ
        elif subject_officer.organ_id != subject_organ.pk:
            errors["subject_officer"] = [_("The officer does not belong to that organ.")]
    if len(attachments) > MAX_ATTACHMENTS:
        errors[attachment_field(None)] = [
            _("At most %(count)d files.") % {"count": MAX_ATTACHMENTS}
        ]
    for index, upload in enumerate(attachments):
        problem = evidence_files.file_name_problem(getattr(upload, "name", "") or "")
        if problem:
            errors.setdefault(attachment_field(index), []).append(problem)
    organ = None
    if found is not None and region is not None:
        try:
            organ = routing.receiving_unit(found, region)
        except routing.NoReceivingUnit:
            errors["region"] = [_("No unit of this platform receives filings for this region yet.")]
    if errors:
        raise ValidationError(errors)
    assert found is not None and region is not None and organ is not None
    now = timezone.now()
    today = timezone.localdate(now)
    deadline = ack_due(database_calendar(), today, found.sector_period)
    code = new_code()
    # Hashed before the transaction: the hasher is slow by design (a quarter of a second
    # with Argon2), and on SQLite the transaction holds the database's one write lock
    # from its start (IMMEDIATE), so every other filing and every rate-limit count
    # would wait for the hash.
    code_hash = make_password(code)
    stored: list[tuple[str, bool]] = []
    try:
        spooled_files = []
        for index, upload in enumerate(attachments):
            with (
                _on_attachments(upload, attachment_field(index)),
                evidence_files.spool_as(
                    upload,
                    allowed=ATTACHMENT_TYPES,
                    limit=ATTACHMENT_MAX_BYTES,
                    label=_("an attachment"),
                    accepted=_("photos (JPEG or PNG) and PDF files"),
                ) as spooled,
            ):
                name, new = evidence_files.store(spooled)
                stored.append((name, new))
                spooled_files.append(
                    (
                        getattr(upload, "name", "") or "",
                        spooled.content_type,
                        spooled.size,
                        spooled.sm3,
                        spooled.sha256,
                        name,
                    )
                )
        with transaction.atomic():
            complaint = Complaint(
                number=_issue_number(region, today.year),
                access_code_hash=code_hash,
                kind=found.kind,
                category=found.key,
                region=region,
                address=address,
                description=description,
                subject_organ=subject_organ,
                subject_officer=subject_officer,
                filer_name=filer_name,
                filer_contact=filer_contact,
                filer_key=current_digest_key_id(),
                organ=organ,
                received_at=now,
                received_on=today,
                ack_due_on=deadline.due.due,
                ack_working_days=deadline.working_days,
                ack_rules=[list(r) for r in deadline.rules],
                ack_unscheduled_years=list(deadline.unscheduled_years),
            )
            complaint.save()
            for original, content_type, size, sm3, sha256, name in spooled_files:
                ComplaintAttachment.objects.create(
                    complaint=complaint,
                    original_name=original,
                    content_type=content_type,
                    size=size,
                    sm3=sm3,
                    sha256=sha256,
                    storage_name=name,
                )
            _entry(
                complaint,
                FILE,
                {
                    "kind": complaint.kind,
                    "category": complaint.category,
                    "region": region.code,
                    "address": address,
                    "description_sm3": sm3_hex(description.encode()),
                    # COMPLAINT-confidential: a keyed digest only, never the identity
                    # (nobody without the site's key confirms a guessed filer), and
                    # the ID of its key (verified with that key after a rotation).
                    "filer_hmac": filer_digest(
                        filer_name, filer_contact, key_id=complaint.filer_key
                    ),
                    "filer_key": complaint.filer_key,
                    "anonymous": complaint.is_anonymous,
                    "subject_organ": complaint.subject_organ_id,
                    "subject_officer": complaint.subject_officer_id,
                    "ack_due_on": complaint.ack_due_on.isoformat(),
                    "ack_rules": [r[0] for r in deadline.rules],
                    "attachments": [f[3] for f in spooled_files],
                    "assignees": [],
                },
                None,
            )
    except BaseException:
        for name, new in stored:
            if new:
                evidence_files.discard(name)
        raise
    return Filed(complaint, code)


def find_by_code(number: str, code: str) -> Complaint | None:
    """The filing with this number whose access code is ``code`` (None otherwise: a
    wrong number and a wrong code are not told apart, in the answer or in its time: a
    number no filing has still hashes the code once, as Django's ``ModelBackend`` does
    for an unknown user, so that the missing comparison does not tell which numbers
    exist)."""
    number = (number or "").strip()
    normal = normal_code(code or "")
    if not number or len(number) > 32 or not normal or text_problem(number):
        return None
    found = (
        Complaint.objects.select_related("organ", "region", "case").filter(number=number).first()
    )
    if found is None:
        make_password(normal)  # the work of a comparison (see above)
        return None
    if not check_password(normal, found.access_code_hash):
        return None
    return found


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("organ", "region", "subject_officer")
        .get(pk=complaint.pk)
    )


def accept(complaint: Complaint, *, actor: User, note: str = "") -> Complaint:
    """JL-complaint-ack: the filing is accepted; the filer is told (``note`` optional)."""
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, required=False, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_acknowledge(actor, complaint))
        today = timezone.localdate()
        complaint.status = ComplaintStatus.ACCEPTED
        complaint.acknowledged_on = today
        complaint.save(update_fields=["status", "acknowledged_on"])
        _note(complaint, NoteKind.ACCEPTED, today, note or _("Your filing was accepted."), actor)
        _entry(
            complaint,
            ACCEPT,
            {"on": today.isoformat(), "late": today > complaint.ack_due_on, "note": note},
            actor,
        )
    return complaint


def reject(complaint: Complaint, *, actor: User, reasons: str) -> Complaint:
    """JL-complaint-ack: not accepted, with the reasons the filer is told."""
    errors: dict[str, list[str]] = {}
    reasons = _text(errors, "reasons", reasons, required=True, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_acknowledge(actor, complaint))
        today = timezone.localdate()
        complaint.status = ComplaintStatus.REJECTED
        complaint.acknowledged_on = today
        complaint.rejection_reasons = reasons
        complaint.save(update_fields=["status", "acknowledged_on", "rejection_reasons"])
        _note(complaint, NoteKind.REJECTED, today, reasons, actor)
        _entry(
            complaint,
            REJECT,
            {"on": today.isoformat(), "late": today > complaint.ack_due_on, "reasons": reasons},
            actor,
        )
    return complaint


def add_progress(complaint: Complaint, *, actor: User, text: str) -> ComplaintNote:
    """A progress note the filer sees."""
    errors: dict[str, list[str]] = {}
    text = _text(errors, "text", text, required=True, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_note(actor, complaint))
        today = timezone.localdate()
        note = ComplaintNote.objects.create(
            complaint=complaint, kind=NoteKind.PROGRESS, on=today, text=text, author=actor
        )
        _entry(complaint, PROGRESS, {"on": today.isoformat(), "text": text}, actor)
    return note


def close(complaint: Complaint, *, actor: User, result: str) -> Complaint:
    """The result, told to the filer."""
    errors: dict[str, list[str]] = {}
    result = _text(errors, "result", result, required=True, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_close(actor, complaint))
        today = timezone.localdate()
        complaint.status = ComplaintStatus.CLOSED
        complaint.result = result
        complaint.closed_on = today
        complaint.save(update_fields=["status", "result", "closed_on"])
        _note(complaint, NoteKind.RESULT, today, result, actor)
        _entry(complaint, CLOSE, {"on": today.isoformat(), "result": result}, actor)
    return complaint


def dispute(complaint: Complaint, *, reason: str) -> Complaint:
    """The filer (number and code checked by the caller) says the closure did not
    resolve it ("未解决"): once; the supervisor of the region takes a second look.

    The filer of a filing merged into another disputes that one's result
    (``policy.can_dispute``): the filing merged into goes to the supervisor's second
    look (or the dispute joins the one pending), its filer is told that a filer of a
    filing handled together says it is not resolved (never who, nor the words), and the
    reason stays on the merged filing, where the unit and the supervisor read it."""
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, required=True, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    if complaint.status == ComplaintStatus.MERGED and complaint.merged_into_id is not None:
        return _dispute_merged(complaint, reason)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_dispute(complaint))
        today = timezone.localdate()
        complaint.status = ComplaintStatus.DISPUTED
        complaint.disputed_on = today
        complaint.dispute_reason = reason
        complaint.save(update_fields=["status", "disputed_on", "dispute_reason"])
        _note(complaint, NoteKind.DISPUTE, today, reason, None)
        _entry(complaint, DISPUTE, {"on": today.isoformat(), "reason": reason}, None)
    return complaint


def _dispute_merged(complaint: Complaint, reason: str) -> Complaint:
    with transaction.atomic():
        first, second = sorted((complaint.pk, complaint.merged_into_id or 0))
        locked = {c.pk: c for c in (_locked(Complaint(pk=first)), _locked(Complaint(pk=second)))}
        complaint = locked[complaint.pk]
        into = locked[complaint.merged_into_id or 0]
        complaint.merged_into = into
        policy.enforce(policy.can_dispute(complaint))
        today = timezone.localdate()
        complaint.disputed_on = today
        complaint.dispute_reason = reason
        complaint.save(update_fields=["disputed_on", "dispute_reason"])
        joined = into.status == ComplaintStatus.DISPUTED
        _note(complaint, NoteKind.DISPUTE, today, reason, None)
        _note(
            complaint,
            NoteKind.DISPUTE_JOINED,
            today,
            _(
                "Your dispute of the result of filing %(number)s is recorded: the "
                "supervisor takes a second look."
            )
            % {"number": into.number},
            None,
        )
        _entry(
            complaint,
            DISPUTE,
            {
                "on": today.isoformat(),
                "reason": reason,
                "of": into.pk,
                "of_number": into.number,
            },
            None,
        )
        if not joined:
            into.status = ComplaintStatus.DISPUTED
            into.save(update_fields=["status"])
        _note(
            into,
            NoteKind.DISPUTE_JOINED,
            today,
            _(
                "The filer of a filing handled together with this one says the result "
                "does not resolve it: the supervisor takes a second look."
            ),
            None,
        )
        _entry(
            into,
            DISPUTE_JOINED,
            {"on": today.isoformat(), "by": complaint.pk, "joined": joined},
            None,
        )
    return complaint


REVIEW_DECISIONS = ("reopen", "confirm")


def review(complaint: Complaint, *, actor: User, decision: str, note: str) -> Complaint:
    """The supervisor's second look at a disputed closure: ``reopen`` (handled again by
    the receiving unit) or ``confirm`` (the closure stands); the note is told to the
    filer."""
    errors: dict[str, list[str]] = {}
    if decision not in REVIEW_DECISIONS:
        errors["decision"] = [_("Choose reopen or confirm.")]
    note = _text(errors, "note", note, required=True, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_review(actor, complaint))
        today = timezone.localdate()
        reopen = decision == "reopen"
        complaint.status = ComplaintStatus.ACCEPTED if reopen else ComplaintStatus.CONFIRMED
        complaint.reviewed_on = today
        complaint.save(update_fields=["status", "reviewed_on"])
        _note(complaint, NoteKind.REOPENED if reopen else NoteKind.CONFIRMED, today, note, actor)
        _entry(
            complaint, REOPEN if reopen else CONFIRM, {"on": today.isoformat(), "note": note}, actor
        )
    return complaint


def merge(complaint: Complaint, *, actor: User, into: Complaint, note: str = "") -> Complaint:
    """The receiving unit handles ``complaint`` together with ``into`` (a duplicate):
    its filer is told (this counts as telling the acceptance) and follows the other
    filing's acceptance, progress and result from its own number and code, and may
    dispute that result once (``dispute``); the other filer sees that a filing was
    merged in, never whose. Filings already merged into
    ``complaint`` follow it to ``into`` (their filers told too): a merge never chains."""
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, required=False, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        first, second = sorted((complaint.pk, into.pk))
        locked = {c.pk: c for c in (_locked(Complaint(pk=first)), _locked(Complaint(pk=second)))}
        complaint, into = locked[complaint.pk], locked[into.pk]
        policy.enforce(policy.can_merge(actor, complaint, into))
        today = timezone.localdate()
        complaint.status = ComplaintStatus.MERGED
        complaint.merged_into = into
        if complaint.acknowledged_on is None:
            complaint.acknowledged_on = today
        complaint.save(update_fields=["status", "merged_into", "acknowledged_on"])
        told = note or _("Your filing is handled together with filing %(number)s.") % {
            "number": into.number
        }
        _note(complaint, NoteKind.MERGED, today, told, actor)
        _note(
            into,
            NoteKind.MERGED,
            today,
            _("Another filing about the same matter is handled together with this one."),
            actor,
        )
        _entry(
            complaint,
            MERGE,
            {"on": today.isoformat(), "into": into.pk, "into_number": into.number, "note": note},
            actor,
        )
        # Filings merged into this one follow it to ``into``: no chain of merges, so
        # their filers see the result ``into``'s filer is told.
        followers = (
            Complaint.objects.select_for_update(of=("self",))
            .filter(merged_into=complaint)
            .order_by("pk")
        )
        for follower in followers:
            follower.merged_into = into
            follower.save(update_fields=["merged_into"])
            _note(
                follower,
                NoteKind.MERGED,
                today,
                _("Your filing is handled together with filing %(number)s.")
                % {"number": into.number},
                actor,
            )
            _entry(
                follower,
                MERGE,
                {
                    "on": today.isoformat(),
                    "into": into.pk,
                    "into_number": into.number,
                    "note": "",
                    "via": complaint.pk,
                },
                actor,
            )
    return complaint


def recorded_snapshot(complaint: Complaint) -> dict[str, Any]:
    """The recorded fields as the entries hold them (a reassigned filing's snapshot)."""
    values: dict[str, Any] = {f: getattr(complaint, f) for f in RECORDED_FIELDS}
    values["ack_due_on"] = complaint.ack_due_on.isoformat()
    values["rejection_reasons"] = complaint.rejection_reasons
    values["result"] = complaint.result
    values["assignees"] = assignee_ids(complaint)
    return values


def assignee_ids(complaint: Complaint) -> list[int]:
    """The assigned staff as the entries record them: user IDs, ascending."""
    return sorted(complaint.assignments.values_list("user_id", flat=True))


def assign(
    complaint: Complaint, *, actor: User, assignees: Sequence[Any], note: str = ""
) -> Complaint:
    """The receiving unit's head (for a justice bureau, also a supervisor of the region)
    assigns the staff who handle the filing (承办人员), or changes them: ``assignees`` is
    the whole new list (users, or their IDs). Each must be in ``policy.assignable``:
    an active officer or head of the unit, never the officer complained about. Raises
    ValidationError naming ``assignees`` (nothing written) or PermissionDenied.
    Recorded as one entry with the new list and what changed; the filer is not told
    (the assignment is the unit's own business), and the record shows no filer."""
    policy.enforce(policy.can_assign(actor, complaint))  # who asks, before what
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, required=False, limit=MAX_TEXT)
    wanted: list[int] = []
    for item in assignees:
        pk = getattr(item, "pk", item)
        if isinstance(pk, bool) or not isinstance(pk, int):
            errors.setdefault("assignees", []).append(_("Choose users of this platform."))
            break
        if pk not in wanted:
            wanted.append(pk)
    if not wanted and "assignees" not in errors:
        errors["assignees"] = [_("Choose at least one of the unit's staff.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_assign(actor, complaint))
        _assignees_problems(complaint, wanted, errors)
        current = assignee_ids(complaint)
        if not errors and sorted(wanted) == current:
            errors["assignees"] = [_("The filing is already assigned to exactly these staff.")]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        added = sorted(set(wanted) - set(current))
        removed = sorted(set(current) - set(wanted))
        complaint.assignments.filter(user_id__in=removed).delete()
        ComplaintAssignment.objects.bulk_create(
            ComplaintAssignment(complaint=complaint, user_id=pk, assigned_by=actor, assigned_at=now)
            for pk in added
        )
        _entry(
            complaint,
            ASSIGN,
            {
                "on": timezone.localdate(now).isoformat(),
                "assignees": sorted(wanted),
                "added": added,
                "removed": removed,
                "note": note,
            },
            actor,
        )
    return complaint


def _assignees_problems(
    complaint: Complaint, wanted: list[int], errors: dict[str, list[str]]
) -> None:
    """Why some of ``wanted`` may not be assigned, each named (on ``assignees``)."""
    allowed = set(policy.assignable(complaint).filter(pk__in=wanted).values_list("pk", flat=True))
    users = {u.pk: u for u in UserModel.objects.filter(pk__in=wanted)}
    officer = complaint.subject_officer
    for pk in wanted:
        if pk in allowed:
            continue
        user = users.get(pk)
        if user is None:
            message = _("No user has the ID %(id)s.") % {"id": pk}
        elif officer is not None and officer.user_id == pk:
            message = _(
                "%(name)s is the officer complained about and never handles this filing."
            ) % {"name": user.get_full_name()}
        elif complaint.subject_organ_id is not None and user.organ_id == complaint.subject_organ_id:
            message = _(
                "%(name)s belongs to the organ complained about and never handles this filing."
            ) % {"name": user.get_full_name()}
        elif not user.is_active:
            message = _("%(name)s is no longer active.") % {"name": user.get_full_name()}
        else:
            message = _("%(name)s is not one of the receiving unit's staff.") % {
                "name": user.get_full_name()
            }
        errors.setdefault("assignees", []).append(message)


def reassign(
    complaint: Complaint, *, actor: User, organ: EnforcementSubject, reason: str
) -> Complaint:
    """The supervisor of the region hands a filing not yet closed to another unit of the
    region (never the organ complained about); the acknowledgement clock runs on from
    the receipt. Recorded in both chains: leaving the old unit's, arriving with its
    snapshot in the new one's."""
    policy.enforce(policy.can_reassign(actor, complaint))  # who asks, before what
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, required=True, limit=MAX_TEXT)
    region = getattr(actor, "region", None)
    if (
        organ is None
        or not organ.active
        or region is None
        or not organ.region.path.startswith(region.path)
    ):
        errors["organ"] = [_("Choose an active unit of your region.")]
    elif organ.pk == complaint.subject_organ_id:
        errors["organ"] = [
            _("%(name)s is the organ complained about: a filing never goes to it.")
            % {"name": organ.name}
        ]
    elif organ.pk == complaint.organ_id:
        errors["organ"] = [_("The filing is already with %(name)s.") % {"name": organ.name}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_reassign(actor, complaint))
        old = complaint.organ_id
        today = timezone.localdate()
        # The old unit's staff no longer handle it: the new unit's head assigns.
        unassigned = sorted(complaint.assignments.values_list("user_id", flat=True))
        complaint.assignments.all().delete()
        _entry(
            complaint,
            REASSIGN_OUT,
            {"on": today.isoformat(), "to": organ.pk, "reason": reason, "unassigned": unassigned},
            actor,
        )
        complaint.organ = organ
        complaint.save(update_fields=["organ"])
        _entry(
            complaint,
            REASSIGN_IN,
            {
                "on": today.isoformat(),
                "from": old,
                "reason": reason,
                **recorded_snapshot(complaint),
            },
            actor,
        )
    return complaint


def enter_case(complaint: Complaint, *, actor: User, arguments: Mapping[str, Any]) -> Case:
    """An accepted report becomes a case source of the receiving organ: the case is
    entered by ``cases.services.open_case`` (general procedure, awaiting registration,
    source ``report``) in the same transaction, and the two are linked."""
    with transaction.atomic():
        complaint = _locked(complaint)
        policy.enforce(policy.can_enter_case(actor, complaint))
        args = dict(arguments)
        args["procedure"] = Procedure.GENERAL
        args["source"] = complaint.kind
        case = case_services.open_case(complaint.organ, actor=actor, **args)
        complaint.case = case
        complaint.save(update_fields=["case"])
        today = timezone.localdate()
        _note(
            complaint,
            NoteKind.CASE,
            today,
            _("The matter was entered as a case source for investigation."),
            actor,
        )
        _entry(complaint, ENTER_CASE, {"on": today.isoformat(), "case": case.pk}, actor)
    return case

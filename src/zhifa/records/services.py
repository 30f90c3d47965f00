"""State changes of the record. Every state-changing service of every app calls
:func:`append_entry` inside its own transaction; views, API and CLI call these."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.organisation import Organ, User
from zhifa.core.roles import Role
from zhifa.core.scope import scoped

from . import evidence_files
from .canonical import (
    GENESIS_HASH,
    CanonicalError,
    canonical_json,
    checkpoint_message,
    entry_content,
    format_time,
    link_hash,
    sm3_hex,
)
from .models import MAX_DURATION_SECONDS, Chain, Checkpoint, Entry, Evidence, EvidenceKind
from .signing import public_key_hex, signing_key

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
#: A scheduled task's name, e.g. ``registry.expire`` or ``records-checkpoint``.
TASK_RE = re.compile(r"^(?=.{1,61}$)[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$")
OBJECT_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

#: An entry records what changed, not documents: large content goes to the evidence
#: store and only its digests into the payload.
MAX_PAYLOAD_BYTES = 64 * 1024

#: Roles that collect and upload evidence.
EVIDENCE_ROLES = frozenset({Role.OFFICER, Role.ORGAN_HEAD})


class RecordError(ValueError):
    """A caller passed something that cannot be recorded (a programming error)."""


@dataclass(frozen=True)
class ObjectRef:
    """A stable reference to the object an entry is about: ``app_label.model`` and the
    primary key as text, so any model (cases, certificates …) can be recorded."""

    object_type: str
    object_id: str

    @classmethod
    def of(cls, obj: models.Model | ObjectRef) -> ObjectRef:
        if isinstance(obj, ObjectRef):
            return obj
        if obj.pk is None:
            raise RecordError("The object must be saved before it is recorded.")
        return cls(obj._meta.label_lower, str(obj.pk))


def _organ_id(organ: Organ | int) -> int:
    organ_id = organ.pk if isinstance(organ, models.Model) else organ
    if not isinstance(organ_id, int):
        raise RecordError("An entry needs the organ whose chain it belongs to.")
    return organ_id


def _lock_chain(organ_id: int) -> tuple[int, str]:
    """The organ's chain head (length, head hash), locked until the transaction ends.

    PostgreSQL: a row lock (SELECT … FOR UPDATE), so appends to one chain queue while
    other organs' chains append in parallel. SQLite: IMMEDIATE transactions already
    hold the database write lock from BEGIN, so writers are serialised. Raw SQL: this
    runs on every state change, and the ORM's query building cost more than the rest
    of the append together.
    """
    connection = transaction.get_connection()
    sql = "SELECT length, head_hash FROM records_chain WHERE organ_id = %s"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [organ_id])
        row = cursor.fetchone()
        if row is None:
            # First entry of this organ: create the head, tolerating a concurrent creator.
            Chain.objects.bulk_create(
                [Chain(organ_id=organ_id, length=0, head_hash=GENESIS_HASH)],
                ignore_conflicts=True,
            )
            cursor.execute(sql, [organ_id])
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _move_head(organ_id: int, length: int, head_hash: str) -> None:
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            "UPDATE records_chain SET length = %s, head_hash = %s WHERE organ_id = %s",
            [length, head_hash, organ_id],
        )


def record_change(
    actor: User | None,
    organ: Organ | int,
    action: str,
    obj: models.Model | ObjectRef,
    payload: Mapping[str, Any] | None,
    system_task: str | None = None,
) -> Entry:
    """:func:`append_entry` with positional arguments: how the apps' services record
    their changes (``record_change(actor, organ, "officer.create", officer, payload)``)."""
    return append_entry(
        actor=actor,
        organ=organ,
        action=action,
        obj=obj,
        payload=payload,
        system_task=system_task,
    )


def append_entry(
    *,
    actor: User | None,
    organ: Organ | int,
    action: str,
    obj: models.Model | ObjectRef,
    payload: Mapping[str, Any] | None = None,
    system_task: str | None = None,
) -> Entry:
    """Append one entry to ``organ``'s chain and return it.

    ``actor`` is the real user who acted; only a scheduled task passes ``actor=None``
    with its name in ``system_task`` (recorded as ``system:<task>``). ``payload`` is
    what changed; it is stored as canonical JSON. Must run inside the caller's
    transaction, so the entry commits or rolls back with the change it records.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "append_entry() must run inside the transaction of the change it records."
        )
    if not isinstance(action, str) or not ACTION_RE.match(action) or len(action) > 64:
        raise RecordError(f"Invalid action {action!r}: use dotted lower-case, e.g. case.register")
    if system_task is not None:
        if actor is not None:
            raise RecordError("Pass either an actor or a system task, not both.")
        if not TASK_RE.match(system_task):
            raise RecordError(f"Invalid system task name {system_task!r}.")
        actor_id, actor_label = None, f"system:{system_task}"
    else:
        if actor is None or actor.pk is None:
            raise RecordError("An entry needs the real user who acted (or a named system task).")
        actor_id, actor_label = actor.pk, actor.get_username()
    ref = ObjectRef.of(obj)
    if not OBJECT_TYPE_RE.match(ref.object_type) or not ref.object_id or len(ref.object_id) > 64:
        raise RecordError(f"Invalid object reference {ref!r}.")
    if payload is None:
        payload = {}
    if not isinstance(payload, Mapping):
        raise RecordError("The payload must be a mapping.")
    try:
        payload_text = canonical_json(dict(payload))
    except CanonicalError as exc:
        raise RecordError(f"The payload has no canonical JSON form: {exc}") from exc
    if len(payload_text.encode()) > MAX_PAYLOAD_BYTES:
        raise RecordError(
            f"The payload is larger than {MAX_PAYLOAD_BYTES} bytes; record what changed "
            "(digests of large content), not the content itself."
        )

    organ_id = _organ_id(organ)
    length, head_hash = _lock_chain(organ_id)
    seq = length + 1
    recorded_at = timezone.now()
    content = entry_content(
        organ=organ_id,
        seq=seq,
        recorded_at=format_time(recorded_at),
        actor=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=ref.object_type,
        object_id=ref.object_id,
        payload=payload_text,
    )
    digest = sm3_hex(content)
    entry_hash = link_hash(head_hash, digest)
    entry = Entry.objects.create(
        organ_id=organ_id,
        seq=seq,
        recorded_at=recorded_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=ref.object_type,
        object_id=ref.object_id,
        payload=payload_text,
        prev_hash=head_hash,
        content_digest=digest,
        entry_hash=entry_hash,
    )
    _move_head(organ_id, seq, entry_hash)
    return entry


# --- checkpoints -----------------------------------------------------------------------

CHECKPOINT_TASK = "records-checkpoint"


@dataclass
class CheckpointResult:
    organ: Organ
    checkpoint: Checkpoint | None
    problem: str = ""


def create_checkpoints(
    organs: Iterable[Organ] | None = None,
) -> list[CheckpointResult]:
    """Sign the head of every chain (or of ``organs``' chains) that grew since its last
    checkpoint. A chain is signed only if the entries since its last checkpoint
    verify, so a checkpoint never vouches for a tampered chain."""
    from .verification import verify_chain

    key = signing_key()
    public_key = public_key_hex(key)
    chains = Chain.objects.select_related("organ").order_by("organ_id")
    if organs is not None:
        chains = chains.filter(organ__in=list(organs))
    results: list[CheckpointResult] = []
    for chain in chains:
        last = Checkpoint.objects.filter(organ_id=chain.organ_id).order_by("-seq").first()
        report = verify_chain(chain.organ, files=False, since=last, rows=False)
        if report.problem is not None:
            results.append(CheckpointResult(chain.organ, None, report.problem.describe()))
            continue
        if report.length == 0 or (last is not None and last.seq == report.length):
            results.append(CheckpointResult(chain.organ, None))
            continue
        signed_at = timezone.now()
        message = checkpoint_message(
            organ=chain.organ_id,
            seq=report.length,
            head_hash=report.head_hash,
            signed_at=format_time(signed_at),
        )
        try:
            with transaction.atomic():
                checkpoint = Checkpoint.objects.create(
                    organ_id=chain.organ_id,
                    seq=report.length,
                    head_hash=report.head_hash,
                    signed_at=signed_at,
                    algorithm="ed25519",
                    public_key=public_key,
                    signature=key.sign(message).hex(),
                )
        except IntegrityError:
            # Another checkpoint run signed the same head at the same moment.
            results.append(CheckpointResult(chain.organ, None))
            continue
        results.append(CheckpointResult(chain.organ, checkpoint))
    return results


# --- evidence --------------------------------------------------------------------------


def _validate_evidence_metadata(
    *,
    actor: User,
    kind: str,
    title: str,
    original_name: str,
    collected_by: list[User],
    collected_at: Any,
    location: str,
    device_id: str,
    duration_seconds: int | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in EvidenceKind.values:
        add("kind", _("Choose one of: photo, document, audio, video."))
    if not isinstance(title, str) or not title.strip():
        add("title", _("Give the evidence a title."))
    elif len(title) > 200:
        add("title", _("The title may have at most 200 characters."))
    name_problem = evidence_files.file_name_problem(original_name)
    if name_problem:
        add("file", name_problem)
    if not collected_by:
        add("collected_by", _("Name at least one officer who collected the evidence."))
    elif any(u.organ_id != actor.organ_id or not u.is_active for u in collected_by):
        add("collected_by", _("Every collecting officer must be an active user of your organ."))
    if not isinstance(collected_at, dt.datetime) or timezone.is_naive(collected_at):
        add("collected_at", _("Give the date and time the evidence was collected."))
    elif collected_at > timezone.now() + dt.timedelta(minutes=5):
        add("collected_at", _("The collection time cannot be in the future."))
    if not isinstance(location, str) or not location.strip():
        add("location", _("Give the place where the evidence was collected."))
    elif len(location) > 255:
        add("location", _("The location may have at most 255 characters."))
    if not isinstance(device_id, str) or len(device_id) > 100:
        add("device_id", _("The device ID may have at most 100 characters."))
    if duration_seconds is not None:
        if not isinstance(duration_seconds, int):
            add("duration_seconds", _("The duration must be a positive number of seconds."))
        elif kind not in (EvidenceKind.AUDIO, EvidenceKind.VIDEO):
            add("duration_seconds", _("Only audio and video recordings have a duration."))
        elif duration_seconds <= 0:
            add("duration_seconds", _("The duration must be a positive number of seconds."))
        elif duration_seconds > MAX_DURATION_SECONDS:
            add("duration_seconds", duration_too_long_message())
    return errors


#: Longest object reference the Entry table stores.
MAX_OBJECT_FIELD = 64


def duration_too_long_message() -> str:
    return _("A recording lasts at most 24 hours (%(limit_value)s seconds).") % {
        "limit_value": MAX_DURATION_SECONDS
    }


def attach_refusal(ref: ObjectRef, *, lock: bool = False) -> str | None:
    """Why no evidence may be attached to the object any more, or ``None``. A model
    says so with a ``record_evidence_refusal()`` method (an archived case: its file was
    sealed with its digest); ``lock`` holds the object's row until the transaction
    ends, so that it cannot be archived while the evidence is recorded."""
    from django.apps import apps

    try:
        model = apps.get_model(ref.object_type)
    except (LookupError, ValueError):
        return None
    if not hasattr(model, "record_evidence_refusal"):
        return None
    rows = model._default_manager.all()
    if lock:
        rows = rows.select_for_update()
    try:
        target = rows.filter(pk=ref.object_id).first()
    except (ValueError, TypeError, OverflowError):
        return None
    return target.record_evidence_refusal() if target is not None else None


def check_attachable(actor: User, ref: ObjectRef) -> None:
    """An object reference that comes from a request (API, upload page) may only name an
    object that exists and lies in the actor's scope. A model opts in by declaring
    ``record_organ_field``, the path from it to its organ (cases do);
    until then evidence is uploaded on its own. The id must be the canonical text of the
    primary key (``1``, not ``01``), the one the object's timeline reads. Service-level
    callers pass the object itself and are trusted."""
    from django.apps import apps

    if len(ref.object_type) > MAX_OBJECT_FIELD or len(ref.object_id) > MAX_OBJECT_FIELD:
        raise ValidationError(
            {"object_id": [_("The object reference is too long (at most 64 characters).")]}
        )
    try:
        model = apps.get_model(ref.object_type)
    except (LookupError, ValueError):
        model = None
    organ_field = getattr(model, "record_organ_field", None) if model is not None else None
    if model is None or organ_field is None:
        raise ValidationError(
            {"object_type": [_("Evidence cannot be attached to this kind of object.")]}
        )
    in_scope = scoped(actor, model._default_manager.all(), organ_field)
    try:
        pk = in_scope.filter(pk=ref.object_id).values_list("pk", flat=True).first()
    except (ValueError, TypeError, OverflowError):
        pk = None
    if pk is None:
        raise ValidationError({"object_id": [_("No such object in your scope.")]})
    if str(pk) != ref.object_id:
        # "01" finds pk 1, but the entry would be stored under "01" and never shown on
        # the object's timeline (read by str(pk)): only the canonical id is accepted.
        raise ValidationError(
            {"object_id": [_("Write the object's id as %(id)s.") % {"id": str(pk)}]}
        )
    refusal = attach_refusal(ref)
    if refusal:
        raise ValidationError({"object_id": [refusal]})


def add_evidence(
    *,
    actor: User,
    upload: Any,
    original_name: str,
    kind: str,
    title: str,
    collected_by: list[User],
    collected_at: Any,
    location: str,
    device_id: str = "",
    duration_seconds: int | None = None,
    obj: models.Model | ObjectRef | None = None,
) -> Evidence:
    """Store an evidence file and record it.

    The file is streamed once: its SM3 and SHA-256 digests and size are computed while
    it is copied to a temporary file, the upload is refused as soon as it exceeds the
    kind's size limit, and its type is detected from its content. Only then is it
    stored, under its SM3 digest, and recorded in the organ's chain with its digests
    and metadata. Raises ValidationError naming the field; nothing is stored then.
    """
    if actor.role not in EVIDENCE_ROLES or actor.organ_id is None:
        raise ValidationError({"actor": [_("Only officers of an organ can add evidence.")]})
    errors = _validate_evidence_metadata(
        actor=actor,
        kind=kind,
        title=title,
        original_name=original_name,
        collected_by=collected_by,
        collected_at=collected_at,
        location=location,
        device_id=device_id,
        duration_seconds=duration_seconds,
    )
    if errors:
        raise ValidationError(errors)
    with evidence_files.spool(upload, kind) as spooled:
        storage_name, newly_stored = evidence_files.store(spooled)
        try:
            evidence = _record_evidence(
                actor,
                obj,
                kind,
                title,
                original_name,
                spooled,
                storage_name,
                collected_by,
                collected_at,
                location,
                device_id,
                duration_seconds,
            )
        except BaseException:
            # Nothing is written when the record fails: drop a file only this upload
            # brought (an identical file already stored stays, others may cite it).
            if newly_stored:
                evidence_files.discard(storage_name)
            raise
    return evidence


def _record_evidence(
    actor: User,
    obj: models.Model | ObjectRef | None,
    kind: str,
    title: str,
    original_name: str,
    spooled: Any,
    storage_name: str,
    collected_by: list[User],
    collected_at: Any,
    location: str,
    device_id: str,
    duration_seconds: int | None,
) -> Evidence:
    organ_id = actor.organ_id
    if organ_id is None:  # add_evidence checked it; keep the type checker informed
        raise RecordError("Evidence needs the actor's organ.")
    with transaction.atomic():
        refusal = attach_refusal(ObjectRef.of(obj), lock=True) if obj is not None else None
        if refusal:
            raise ValidationError({"object_id": [refusal]})
        evidence = Evidence.objects.create(
            organ_id=organ_id,
            kind=kind,
            title=title.strip(),
            object_type=ObjectRef.of(obj).object_type if obj is not None else "",
            object_id=ObjectRef.of(obj).object_id if obj is not None else "",
            original_name=original_name,
            content_type=spooled.content_type,
            extension=spooled.extension,
            size=spooled.size,
            sm3=spooled.sm3,
            sha256=spooled.sha256,
            storage_name=storage_name,
            collected_at=collected_at,
            location=location.strip(),
            device_id=device_id.strip(),
            duration_seconds=duration_seconds,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        evidence.collected_by.set(collected_by)
        append_entry(
            actor=actor,
            organ=organ_id,
            action="evidence.add",
            obj=obj if obj is not None else evidence,
            payload=evidence_payload(evidence, collected_by),
        )
    return evidence


def evidence_payload(evidence: Evidence, collected_by: list[User]) -> dict[str, Any]:
    """What an evidence entry records; ``verify`` re-hashes ``storage_name`` against
    ``sm3``/``sha256``/``size``."""
    return {
        "evidence": evidence.pk,
        "kind": evidence.kind,
        "title": evidence.title,
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sm3": evidence.sm3,
        "sha256": evidence.sha256,
        "storage_name": evidence.storage_name,
        "collected_by": sorted(u.pk for u in collected_by),
        "collected_at": evidence.collected_at,
        "location": evidence.location,
        "device_id": evidence.device_id,
        "duration_seconds": evidence.duration_seconds,
    }

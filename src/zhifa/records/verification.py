"""Recompute the chains. Streams entries in key order in fixed-size batches, so memory
does not grow with the number of entries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from django.db import connection
from django.db.models import Q

from zhifa.core.organisation import Organ, organ_model
from zhifa.core.validation import parse_id

from . import evidence_files
from .canonical import (
    GENESIS_HASH,
    checkpoint_message,
    entry_content,
    format_time,
    link_hash,
    sm3_hex,
)
from .models import Chain, Checkpoint, Entry
from .signing import signature_valid, trusted_public_keys

BATCH = 2000

ROW_FIELDS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "payload",
    "prev_hash",
    "content_digest",
    "entry_hash",
)


@dataclass
class Problem:
    organ_id: int
    organ_name: str
    seq: int
    message: str

    def describe(self) -> str:
        return (
            f"organ {self.organ_id} ({self.organ_name}): first bad sequence number "
            f"{self.seq}: {self.message}"
        )


@dataclass
class ChainReport:
    organ: Organ
    length: int = 0
    head_hash: str = GENESIS_HASH
    checkpoints: int = 0
    evidence_files: int = 0
    problem: Problem | None = None
    notes: list[str] = field(default_factory=list)


def resolve_organ(value: str) -> Organ:
    """An organ by primary key, unified social credit code or exact name."""
    value = value.strip()
    query = Q(uscc=value) | Q(name=value)
    pk = parse_id(value)
    if pk is not None:
        query |= Q(pk=pk)
    matches = list(organ_model().objects.filter(query)[:2])
    if len(matches) != 1:
        raise LookupError(
            f"no single organ has the ID, unified social credit code or name {value!r}"
            if not matches
            else f"{value!r} names more than one organ; use its ID"
        )
    return matches[0]


Row = tuple[int, dt.datetime, int | None, str, str, str, str, str, str, str, str]


def _head_snapshot(organ_id: int) -> tuple[int | None, str | None, int]:
    """(head length, head hash, highest sequence number present), read in ONE statement
    so that both come from the same committed state even while appends go on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.length, c.head_hash, (SELECT MAX(e.seq) FROM records_entry e"
            " WHERE e.organ_id = %s) FROM records_chain c WHERE c.organ_id = %s",
            [organ_id, organ_id],
        )
        row = cursor.fetchone()
        if row is not None:
            return int(row[0]), str(row[1]), int(row[2] or 0)
        cursor.execute("SELECT MAX(seq) FROM records_entry WHERE organ_id = %s", [organ_id])
        found = cursor.fetchone()
    return None, None, int(found[0] or 0) if found else 0


def _rows(organ_id: int, after: int, until: int) -> Iterator[Row]:
    while True:
        batch = list(
            Entry.objects.filter(organ_id=organ_id, seq__gt=after, seq__lte=until)
            .order_by("seq")
            .values_list(*ROW_FIELDS)[:BATCH]
        )
        if not batch:
            return
        yield from cast(list[Row], batch)
        after = int(batch[-1][0])


def verify_chain(
    organ: Organ, *, files: bool = True, since: Checkpoint | None = None
) -> ChainReport:
    """Recompute ``organ``'s chain and stop at the first bad entry.

    Checks each entry's content digest, its link to the previous entry, consecutive
    sequence numbers, the chain head row, every checkpoint (signature, trusted key,
    and the hash at its position), and — with ``files`` — that each evidence file still
    has the digests its entry recorded. ``since`` starts from a trusted checkpoint
    instead of the genesis (used before signing a new checkpoint).
    """
    report = ChainReport(organ)
    trusted = trusted_public_keys()

    def fail(seq: int, message: str) -> ChainReport:
        report.problem = Problem(organ.pk, organ.name, seq, message)
        return report

    checkpoints: dict[int, Checkpoint] = {}
    for cp in Checkpoint.objects.filter(organ_id=organ.pk).order_by("seq"):
        if since is not None and cp.seq < since.seq:
            continue
        message = checkpoint_message(
            organ=organ.pk, seq=cp.seq, head_hash=cp.head_hash, signed_at=format_time(cp.signed_at)
        )
        if cp.public_key.lower() not in trusted:
            return fail(cp.seq, f"checkpoint at {cp.seq} is signed by an untrusted key")
        if not signature_valid(cp.public_key, cp.signature, message):
            return fail(cp.seq, f"checkpoint at {cp.seq} has an invalid signature")
        checkpoints[cp.seq] = cp
    report.checkpoints = len(checkpoints)

    # The head is read after the checkpoints (a checkpoint never goes beyond the head of
    # its time), and the entries only up to it: entries appended while this runs are
    # not mistaken for tampering; the next run covers them.
    head_length, head_hash, max_seq = _head_snapshot(organ.pk)
    until = head_length if head_length is not None else max_seq

    expected = 1
    prev = GENESIS_HASH
    if since is not None:
        expected, prev = since.seq + 1, since.head_hash
    for row in _rows(organ.pk, expected - 1, until):
        (seq, recorded_at, actor_id, actor_label, action, object_type, object_id, payload,
         stored_prev, stored_digest, stored_hash) = row  # fmt: skip
        if seq != expected:
            return fail(expected, f"entry {expected} is missing (the next entry is {seq})")
        digest = sm3_hex(
            entry_content(
                organ=organ.pk,
                seq=seq,
                recorded_at=format_time(recorded_at),
                actor=actor_id,
                actor_label=actor_label,
                action=action,
                object_type=object_type,
                object_id=object_id,
                payload=payload,
            )
        )
        if digest != stored_digest:
            return fail(seq, "the entry's content does not match its digest (edited)")
        if stored_prev != prev:
            return fail(
                seq,
                "the entry does not link to the previous entry (inserted, deleted or reordered)",
            )
        entry_hash = link_hash(prev, digest)
        if entry_hash != stored_hash:
            return fail(seq, "the entry's hash does not match its content and link")
        signed = checkpoints.get(seq)
        if signed is not None and signed.head_hash != entry_hash:
            return fail(seq, f"the chain differs from the signed checkpoint at {seq}")
        if files and action == "evidence.add":
            problem = _check_evidence_file(payload)
            if problem:
                return fail(seq, problem)
            report.evidence_files += 1
        prev = entry_hash
        expected += 1

    length = expected - 1
    report.length, report.head_hash = length, prev
    beyond = [s for s in checkpoints if s > length]
    if beyond:
        return fail(
            length + 1,
            f"the chain ends at {length} but a checkpoint signed {max(beyond)} entries "
            "(the tail was cut)",
        )
    if head_length is None:
        return fail(length, "the chain head row is missing") if length > 0 else report
    if head_length != length:
        return fail(
            min(head_length, length) + 1,
            f"the chain head says {head_length} entries but {length} were found",
        )
    if head_hash != prev:
        return fail(length, "the chain head hash does not match the last entry")
    if max_seq > head_length:
        return fail(
            head_length + 1,
            f"there are entries beyond the chain head at {head_length} (inserted)",
        )
    return report


def _check_evidence_file(payload_text: str) -> str | None:
    payload = json.loads(payload_text)
    name = payload.get("storage_name", "")
    try:
        size, sm3, sha256 = evidence_files.digests_of_stored(name)
    except (FileNotFoundError, OSError):
        return f"evidence file {name} is missing"
    if (size, sm3, sha256) != (payload.get("size"), payload.get("sm3"), payload.get("sha256")):
        return f"evidence file {name} does not match the digests recorded (swapped or altered)"
    return None


def organs_with_chains(organ: Organ | None = None) -> Iterable[Organ]:
    """Every organ that has a chain, entries or checkpoints (or just ``organ``)."""
    if organ is not None:
        return [organ]
    ids = (
        set(Chain.objects.values_list("organ_id", flat=True))
        | set(Entry.objects.order_by().values_list("organ_id", flat=True).distinct())
        | set(Checkpoint.objects.order_by().values_list("organ_id", flat=True).distinct())
    )
    organs: Iterable[Organ] = organ_model().objects.filter(pk__in=ids).order_by("pk")
    return organs


def verify_all(organ: Organ | None = None, *, files: bool = True) -> Iterator[ChainReport]:
    for each in organs_with_chains(organ):
        yield verify_chain(each, files=files)

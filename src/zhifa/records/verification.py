"""Recompute the chains. Streams entries in key order in fixed-size batches, so memory
does not grow with the number of entries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.db import connection
from django.db.models import Max, Q

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
from .domain import DomainCollector
from .models import Chain, Checkpoint, Entry, Evidence
from .signing import signature_valid, trusted_public_keys
from .witness import WitnessCheckpoint

BATCH = 2000

#: Actions other than ``evidence.add`` whose entry records a file of the evidence store
#: (``storage_name``, ``size``, ``sm3``, ``sha256``), re-hashed with ``files`` like
#: evidence; an app registers them (``register_file_action``): records imports no
#: domain app.
_FILE_ACTIONS: set[str] = set()


def register_file_action(action: str) -> None:
    _FILE_ACTIONS.add(action)


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
    witnessed: int = 0
    evidence_files: int = 0
    evidence_rows: int = 0
    cases: int = 0
    steps: int = 0
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
    organ: Organ,
    *,
    files: bool = True,
    since: Checkpoint | None = None,
    witness: Sequence[WitnessCheckpoint] = (),
    rows: bool = True,
) -> ChainReport:
    """Recompute ``organ``'s chain and stop at the first bad entry.

    Checks each entry's content digest, its link to the previous entry, consecutive
    sequence numbers, the chain head row, every checkpoint (signature, trusted key,
    and the hash at its position), and — with ``files`` — that each evidence file still
    has the digests its entry recorded. ``since`` starts from a trusted checkpoint
    instead of the genesis (used before signing a new checkpoint).

    ``witness`` are the organ's checkpoints from a copy kept outside the database
    (``verify --against``): each must still be in the database and match the chain, so
    a tail cut together with its checkpoints, or a chain deleted whole, is seen.

    A full run (no ``since``; ``rows`` off skips this, as signing a checkpoint does:
    it vouches for the chain, not the rows) also checks the evidence rows against their
    entries
    (every row recorded, none deleted, each with the file and digests its entry
    recorded), and that an organ with recorded rows (cases, evidence) has a chain.
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
    signed_heads = {seq: cp.head_hash for seq, cp in checkpoints.items()}
    witness_only: set[int] = set()
    for wcp in witness:
        if since is not None and wcp.seq < since.seq:
            continue
        message = checkpoint_message(
            organ=organ.pk, seq=wcp.seq, head_hash=wcp.head_hash, signed_at=wcp.signed_at
        )
        if wcp.public_key.lower() not in trusted:
            return fail(
                wcp.seq, f"the witness copy's checkpoint at {wcp.seq} is signed by an untrusted key"
            )
        if not signature_valid(wcp.public_key, wcp.signature, message):
            return fail(
                wcp.seq, f"the witness copy's checkpoint at {wcp.seq} has an invalid signature"
            )
        stored = checkpoints.get(wcp.seq)
        if stored is None:
            witness_only.add(wcp.seq)
            signed_heads[wcp.seq] = wcp.head_hash
        elif (stored.head_hash, stored.signature.lower()) != (wcp.head_hash, wcp.signature.lower()):
            return fail(wcp.seq, f"the checkpoint at {wcp.seq} differs from the witness copy")
    report.witnessed = len(witness)

    # Evidence rows are read up to the highest ID committed before the chain head is
    # read: a row and its entry are written in one transaction, so every row up to it
    # has its entry within the head; rows added meanwhile are left for the next run.
    full = since is None and rows
    evidence_until = (
        Evidence.objects.filter(organ_id=organ.pk).aggregate(top=Max("pk"))["top"] or 0
        if full
        else 0
    )
    recorded_evidence: dict[int, tuple[int, dict[str, Any]]] = {}
    domain = DomainCollector() if full else None
    case_until = _max_case_pk(organ.pk) if full else 0
    if domain is not None:
        domain.rows_until(organ.pk)

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
        signed = signed_heads.get(seq)
        if signed is not None and signed != entry_hash:
            source = " (witness copy)" if seq in witness_only else ""
            return fail(seq, f"the chain differs from the signed checkpoint at {seq}{source}")
        if domain is not None:
            domain.feed(seq, action, object_type, object_id, payload, recorded_at)
        if action == "evidence.add":
            recorded = json.loads(payload)
            if full and isinstance(recorded.get("evidence"), int):
                kept = {name: recorded.get(name) for name in EVIDENCE_FIELDS}
                recorded_evidence[recorded["evidence"]] = (seq, kept)
            if files:
                problem = _check_evidence_file(recorded)
                if problem:
                    return fail(seq, problem)
                report.evidence_files += 1
        elif files and action in _FILE_ACTIONS:
            problem = _check_evidence_file(json.loads(payload))
            if problem:
                return fail(seq, problem)
            report.evidence_files += 1
        prev = entry_hash
        expected += 1

    length = expected - 1
    report.length, report.head_hash = length, prev
    beyond = [s for s in signed_heads if s > length]
    if beyond:
        top = max(beyond)
        if top in witness_only and length == 0:
            return fail(
                1,
                f"the chain is missing but the witness copy's checkpoint signed {top} "
                "entries (the chain was deleted)",
            )
        if top in witness_only:
            return fail(
                length + 1,
                f"the chain ends at {length} but the witness copy's checkpoint signed {top} "
                "entries (the tail was cut together with its checkpoints)",
            )
        return fail(
            length + 1,
            f"the chain ends at {length} but a checkpoint signed {top} entries (the tail was cut)",
        )
    if witness_only:
        first = min(witness_only)
        return fail(first, f"the checkpoint at {first} in the witness copy is missing (deleted)")
    if head_length is None:
        if length > 0:
            return fail(length, "the chain head row is missing")
        recorded_rows = _recorded_rows(organ.pk) if full else ""
        if recorded_rows:
            return fail(1, f"the organ has {recorded_rows} but no chain (the chain was deleted)")
        return report
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
    if full:
        row_problem = _check_evidence_rows(organ.pk, recorded_evidence, evidence_until)
        if row_problem is not None:
            return fail(*row_problem)
        report.evidence_rows = len(recorded_evidence)
    if domain is not None:
        domain_problem = domain.check(organ.pk, case_until)
        if domain_problem is not None:
            return fail(*domain_problem)
        report.cases, report.steps = len(domain.cases), len(domain.steps)
    return report


def _max_case_pk(organ_id: int) -> int:
    if not apps.is_installed("zhifa.cases"):
        return 0
    case_model = apps.get_model("cases", "Case")
    top = case_model.objects.filter(organ_id=organ_id).aggregate(top=Max("pk"))["top"]
    return int(top or 0)


#: What an evidence row must still say as its ``evidence.add`` entry recorded it.
EVIDENCE_FIELDS = (
    "storage_name",
    "sm3",
    "sha256",
    "size",
    "kind",
    "title",
    "original_name",
    "content_type",
)


def _check_evidence_rows(
    organ_id: int, recorded: Mapping[int, tuple[int, dict[str, Any]]], until: int
) -> tuple[int, str] | None:
    """Each evidence row of the organ against its entry: none without an entry (up to
    ID ``until``, read before the chain head: rows added since are the next run's),
    none deleted (every entry up to the head has its row, committed with it), and each
    with the file and digests recorded."""
    seen: set[int] = set()
    rows = (
        Evidence.objects.filter(organ_id=organ_id)
        .order_by("pk")
        .values_list("pk", *EVIDENCE_FIELDS)
    )
    for pk, *values in rows.iterator(chunk_size=BATCH):
        found = recorded.get(pk)
        title = values[EVIDENCE_FIELDS.index("title")]
        if found is None:
            if pk > until:
                continue
            return 1, f"evidence {pk} ({title}) has no record entry (added outside the record)"
        seq, payload = found
        changed = [
            name
            for name, value in zip(EVIDENCE_FIELDS, values, strict=True)
            if payload.get(name) != value
        ]
        if changed:
            return seq, (
                f"evidence {pk} ({payload.get('title')}) differs from its record entry: "
                f"{', '.join(changed)} changed (pointed at another file or edited)"
            )
        seen.add(pk)
    for pk in sorted(set(recorded) - seen):
        seq, payload = recorded[pk]
        return seq, f"evidence {pk} ({payload.get('title')}) was deleted"
    return None


def _recorded_rows(organ_id: int) -> str:
    """What the organ has that its chain records (cases, evidence…), or ''."""
    found = []
    for model in apps.get_models():
        organ_field = getattr(model, "record_organ_field", None)
        if model is Evidence:
            organ_field = "organ"
        if not organ_field or "__" in organ_field:
            continue
        if model._default_manager.filter(**{f"{organ_field}_id": organ_id}).exists():
            found.append(model._meta.label_lower)
    return "rows in " + ", ".join(found) if found else ""


def _check_evidence_file(payload: dict[str, Any]) -> str | None:
    name = payload.get("storage_name", "")
    try:
        size, sm3, sha256 = evidence_files.digests_of_stored(name)
    except (FileNotFoundError, OSError):
        return f"evidence file {name} is missing"
    if (size, sm3, sha256) != (payload.get("size"), payload.get("sm3"), payload.get("sha256")):
        return f"evidence file {name} does not match the digests recorded (swapped or altered)"
    return None


def organs_with_chains(organ: Organ | None = None) -> Iterable[Organ]:
    """Every organ that has a chain, entries or checkpoints, or rows its chain records
    (cases, evidence: an organ without its chain is a failure), or just ``organ``."""
    if organ is not None:
        return [organ]
    ids = (
        set(Chain.objects.values_list("organ_id", flat=True))
        | set(Entry.objects.order_by().values_list("organ_id", flat=True).distinct())
        | set(Checkpoint.objects.order_by().values_list("organ_id", flat=True).distinct())
        | set(Evidence.objects.order_by().values_list("organ_id", flat=True).distinct())
    )
    for model in apps.get_models():
        organ_field = getattr(model, "record_organ_field", None)
        if organ_field and "__" not in organ_field:
            ids |= set(
                model._default_manager.order_by()
                .values_list(f"{organ_field}_id", flat=True)
                .distinct()
            )
    organs: Iterable[Organ] = organ_model().objects.filter(pk__in=ids).order_by("pk")
    return organs


def verify_all(
    organ: Organ | None = None,
    *,
    files: bool = True,
    witness: Mapping[int, Sequence[WitnessCheckpoint]] | None = None,
) -> Iterator[ChainReport | Problem]:
    """A report per organ; with a ``witness`` copy, also a :class:`Problem` for each
    organ the copy names that no longer exists."""
    witness = witness or {}
    done: set[int] = set()
    for each in organs_with_chains(organ):
        done.add(each.pk)
        yield verify_chain(each, files=files, witness=witness.get(each.pk, ()))
    if organ is not None:
        return
    missing = sorted(set(witness) - done)
    present = {o.pk: o for o in organ_model().objects.filter(pk__in=missing)}
    for organ_id in missing:
        if organ_id in present:
            yield verify_chain(present[organ_id], files=files, witness=witness[organ_id])
        else:
            top = max(cp.seq for cp in witness[organ_id])
            yield Problem(
                organ_id,
                "?",
                1,
                f"the organ is gone but the witness copy's checkpoint signed {top} entries "
                "(the organ and its chain were deleted)",
            )

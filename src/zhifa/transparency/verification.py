"""``zhifa records verify-publication``: is what the log holds what the database
holds, and is the log what its signed checkpoints say?

1. Every stored checkpoint is a note signed by a trusted key for the log's origin, its
   columns say what its note says, its root is the root of the stored tree at its size,
   and it is consistent (RFC 9162 proof) with the checkpoint before it.
2. Every entry's leaf hashes to its recorded hash and is included (RFC 9162 proof) in
   the tree of the latest signed checkpoint.
3. The latest entry of each object equals the leaf its source recomputes from the
   database now; a source that lists its objects has each of them logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from . import checkpoints as cps
from . import log
from .models import LogEntry, SignedCheckpoint
from .sources import get_source
from .verify_offline import Checkpoint, ProofError, leaf_hash, verify_consistency, verify_inclusion

BATCH = 1000


@dataclass
class Report:
    entries: int = 0
    objects: int = 0
    checkpoints: int = 0
    covered_size: int = 0
    pending: int = 0
    failures: list[str] = field(default_factory=list)


def _label(entry_index: int, source: str, object_id: str) -> str:
    return f"entry {entry_index} ({source} {object_id})"


def _check_checkpoints(report: Report) -> Checkpoint | None:
    """Step 1; the latest checkpoint that verified, or None."""
    previous: Checkpoint | None = None
    latest_good: Checkpoint | None = None
    for stored in SignedCheckpoint.objects.order_by("size").iterator():
        report.checkpoints += 1
        where = f"checkpoint of size {stored.size}"
        try:
            checkpoint = cps.open_note(stored.note)
        except ProofError as exc:
            report.failures.append(f"{where}: its signature does not verify: {exc}")
            continue
        if checkpoint.size != stored.size or checkpoint.root.hex() != stored.root_hash:
            report.failures.append(f"{where}: its columns differ from its signed note")
            continue
        try:
            tree_root = log.root_hash(checkpoint.size)
        except log.MissingNode as exc:
            report.failures.append(f"{where}: {exc}")
            continue
        if tree_root != checkpoint.root:
            report.failures.append(
                f"{where}: its signed root is not the root of the log's tree at that size "
                "(the tree was changed, or the checkpoint forged)"
            )
        if previous is not None:
            try:
                proof = log.consistency_proof(previous.size, checkpoint.size)
            except log.MissingNode as exc:
                report.failures.append(f"{where}: {exc}")
                proof = []
            if not verify_consistency(
                previous.size, checkpoint.size, proof, previous.root, checkpoint.root
            ):
                report.failures.append(
                    f"{where}: not consistent with the checkpoint of size {previous.size} "
                    "before it (the log was rewritten between them)"
                )
        previous = checkpoint
        latest_good = checkpoint
    return latest_good


def _entries(
    source: str | None, object_id: str | None
) -> Iterator[tuple[int, str, str, bytes, str]]:
    rows = LogEntry.objects.order_by("index")
    if source is not None:
        rows = rows.filter(source=source)
    if object_id is not None:
        rows = rows.filter(object_id=object_id)
    for index, src, oid, leaf, digest in rows.values_list(
        "index", "source", "object_id", "leaf", "leaf_hash"
    ).iterator(chunk_size=BATCH):
        yield index, src, oid, bytes(leaf), digest


def _recompute(report: Report, index: int, source: str, object_id: str, leaf: bytes) -> None:
    where = _label(index, source, object_id)
    registered = get_source(source)
    if registered is None:
        report.failures.append(f"{where}: no source {source!r} is registered to recompute it")
        return
    try:
        current = registered.recompute(object_id)
    except Exception as exc:  # a source's bug is a finding, not a traceback
        report.failures.append(f"{where}: recomputing it failed: {type(exc).__name__}: {exc}")
        return
    if current is None:
        report.failures.append(f"{where}: the object is no longer in the database")
    elif not isinstance(current, bytes):
        report.failures.append(f"{where}: the source did not return bytes")
    elif current != leaf:
        report.failures.append(
            f"{where}: the database no longer holds what was logged (leaf "
            f"{leaf_hash(leaf).hex()[:16]}…, database {leaf_hash(current).hex()[:16]}…)"
        )


def verify_publication(source: str | None = None, object_id: str | None = None) -> Report:
    report = Report()
    checkpoint = _check_checkpoints(report)
    if checkpoint is not None:
        report.covered_size = checkpoint.size
    latest: dict[tuple[str, str], tuple[int, bytes]] = {}
    for index, src, oid, leaf, stored_hash in _entries(source, object_id):
        report.entries += 1
        where = _label(index, src, oid)
        digest = leaf_hash(leaf)
        if stored_hash != digest.hex():
            report.failures.append(f"{where}: its leaf does not hash to its recorded hash")
        latest[(src, oid)] = (index, leaf)
        if checkpoint is None or index >= checkpoint.size:
            report.pending += 1
            continue
        try:
            proof = log.inclusion_proof(index, checkpoint.size)
        except log.MissingNode as exc:
            report.failures.append(f"{where}: {exc}")
            continue
        if not verify_inclusion(digest, index, checkpoint.size, proof, checkpoint.root):
            report.failures.append(
                f"{where}: not included in the signed tree of {checkpoint.size} leaves "
                "(the log row was altered)"
            )
    report.objects = len(latest)
    for (src, oid), (index, leaf) in sorted(latest.items(), key=lambda item: item[1][0]):
        _recompute(report, index, src, oid, leaf)
    _check_listed(report, source, object_id, latest)
    return report


def _check_listed(
    report: Report,
    source: str | None,
    object_id: str | None,
    latest: dict[tuple[str, str], tuple[int, bytes]],
) -> None:
    """Objects a source says should be logged but are not."""
    from .sources import source_names

    names = [source] if source is not None else source_names()
    for name in names:
        registered = get_source(name)
        if registered is None or registered.object_ids is None:
            continue
        try:
            wanted = list(registered.object_ids())
        except Exception as exc:
            report.failures.append(f"source {name}: listing its objects failed: {exc}")
            continue
        for oid in wanted:
            if object_id is not None and oid != object_id:
                continue
            if (name, oid) not in latest:
                report.failures.append(f"{name} {oid}: in the database but never logged")

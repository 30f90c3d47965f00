"""Appending to the publication log and reading its tree (the database side of
merkle.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import transaction
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from . import merkle
from .models import LogEntry, LogHead, TreeNode
from .sources import get_source
from .verify_offline import leaf_hash

#: A leaf is a short canonical summary (its source decides), not a document.
MAX_LEAF_BYTES = 64 * 1024
MAX_OBJECT_ID = 64
HEAD_ID = 1

T = TypeVar("T")


class LogError(ValueError):
    """A caller passed something that cannot be logged (a programming error)."""


def _lock_head() -> int:
    """The log's size, locked until the transaction ends (see LogHead)."""
    connection = transaction.get_connection()
    sql = "SELECT size FROM transparency_loghead WHERE id = %s"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEAD_ID])
        row = cursor.fetchone()
        if row is None:
            LogHead.objects.bulk_create([LogHead(id=HEAD_ID, size=0)], ignore_conflicts=True)
            cursor.execute(sql, [HEAD_ID])
            row = cursor.fetchone()
    return int(row[0])


def log_size() -> int:
    return LogHead.objects.filter(id=HEAD_ID).values_list("size", flat=True).first() or 0


def append(source: str, object_id: str, leaf: bytes) -> LogEntry:
    """Append ``leaf`` (the canonical bytes of ``source``'s object ``object_id``) to the
    log and return its entry. Runs inside the caller's transaction, so the entry commits
    or rolls back with the publication it logs; appends are serialised on the log head,
    so every entry gets its own index. A checkpoint task is queued with it."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "append() must run inside the transaction of the change it logs."
        )
    if get_source(source) is None:
        raise LogError(f"Unknown source {source!r}: register it with register_source().")
    if not isinstance(object_id, str) or not object_id or len(object_id) > MAX_OBJECT_ID:
        raise LogError(f"Invalid object ID {object_id!r} (1 to {MAX_OBJECT_ID} characters).")
    if any(c.isspace() for c in object_id) or "/" in object_id:
        raise LogError(f"Invalid object ID {object_id!r}: no spaces or slashes.")
    if not isinstance(leaf, bytes) or not leaf or len(leaf) > MAX_LEAF_BYTES:
        raise LogError(f"A leaf is 1 to {MAX_LEAF_BYTES} bytes.")
    index = _lock_head()
    digest = leaf_hash(leaf)
    nodes = read_nodes(lambda node: merkle.nodes_after_append(index, digest, node))
    TreeNode.objects.bulk_create(
        [TreeNode(level=level, index=i, hash=h.hex()) for level, i, h in nodes]
    )
    entry = LogEntry.objects.create(
        index=index,
        source=source,
        object_id=object_id,
        leaf=leaf,
        leaf_hash=digest.hex(),
        appended_at=timezone.now(),
    )
    LogHead.objects.filter(id=HEAD_ID).update(size=index + 1)
    enqueue_checkpoint()
    return entry


def enqueue_checkpoint() -> None:
    """Queue the checkpoint task in the append's transaction (it runs only if the append
    commits) unless one is already waiting: a burst of appends queues it once."""
    from zhifa.core.schedule import enqueue_once

    from .tasks import issue_checkpoint

    enqueue_once(issue_checkpoint)


# --- reading the tree -----------------------------------------------------------------

#: Per level, a contiguous run of needed indices at most this long is fetched as a
#: range; sparser ones by their list.
_RANGE_SLACK = 64


def fetch_nodes(coords: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of ``coords`` (missing ones are absent from the result)."""
    by_level: dict[int, list[int]] = {}
    for level, index in coords:
        by_level.setdefault(level, []).append(index)
    if not by_level:
        return {}
    query = Q()
    for level, indices in by_level.items():
        lo, hi = min(indices), max(indices)
        if hi - lo <= _RANGE_SLACK + len(indices):
            query |= Q(level=level, index__gte=lo, index__lte=hi)
        else:
            query |= Q(level=level, index__in=sorted(set(indices)))
    return {
        (level, index): bytes.fromhex(h)
        for level, index, h in TreeNode.objects.filter(query).values_list("level", "index", "hash")
    }


class MissingNode(LookupError):
    def __init__(self, level: int, index: int) -> None:
        super().__init__(f"the tree node {level}/{index} is missing")
        self.level, self.index = level, index


def read_nodes(compute: Callable[[merkle.NodeReader], T]) -> T:
    """Run ``compute`` on the stored tree, with every node it needs fetched at once."""
    found = fetch_nodes(merkle.needed_nodes(compute))

    def node(level: int, index: int) -> bytes:
        try:
            return found[(level, index)]
        except KeyError:
            raise MissingNode(level, index) from None

    return compute(node)


def root_hash(size: int) -> bytes:
    return read_nodes(lambda node: merkle.subtree_hash(0, size, node))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return read_nodes(lambda node: merkle.inclusion_proof(index, size, node))


def consistency_proof(first: int, second: int) -> list[bytes]:
    return read_nodes(lambda node: merkle.consistency_proof(first, second, node))


def latest_entry(source: str, object_id: str) -> LogEntry | None:
    return LogEntry.objects.filter(source=source, object_id=object_id).order_by("-index").first()

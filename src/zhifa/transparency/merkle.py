"""Building RFC 6962 trees and proofs from stored subtree hashes (pure, no Django).

The log keeps the hash of every *perfect* subtree: node ``(level, index)`` is the
root of the ``2**level`` leaves ``[index * 2**level, (index + 1) * 2**level)``; level
0 holds the leaf hashes. A leaf's append adds its node and the perfect subtrees it
completes (at most log2(n) of them), so the tree's root at any size and every proof
need only O(log n) (root) or O(log² n) (proofs) stored nodes: the ranges of the RFC's
recursion are always either perfect aligned subtrees or split into them.

Every function takes a ``node(level, index) -> bytes`` reader; :func:`needed_nodes`
runs one with a recording reader, so the database layer fetches all the nodes a
computation needs in one query before running it for real.
"""

from __future__ import annotations

from collections.abc import Callable

from .verify_offline import EMPTY_ROOT, node_hash

NodeReader = Callable[[int, int], bytes]


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1), RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(start: int, end: int, node: NodeReader) -> bytes:
    """MTH(D[start:end]), the whole tree's root when ``start`` is 0."""
    n = end - start
    if n <= 0:
        if start == 0 and end == 0:
            return EMPTY_ROOT
        raise ValueError(f"empty range [{start}, {end})")
    if n & (n - 1) == 0 and start % n == 0:
        level = n.bit_length() - 1
        return node(level, start >> level)
    k = split_point(n)
    return node_hash(subtree_hash(start, start + k, node), subtree_hash(start + k, end, node))


def inclusion_proof(index: int, size: int, node: NodeReader) -> list[bytes]:
    """RFC 6962 §2.1.1 PATH(index, D[0:size])."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of {size} leaves")

    def path(m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return [*path(m, start, start + k), subtree_hash(start + k, end, node)]
        return [*path(m - k, start + k, end), subtree_hash(start, start + k, node)]

    return path(index, 0, size)


def consistency_proof(first: int, second: int, node: NodeReader) -> list[bytes]:
    """RFC 6962 §2.1.2 PROOF(first, D[0:second]); empty when ``first`` is 0 or equal."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    if first in (0, second):
        return []

    def subproof(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [subtree_hash(start, end, node)]
        k = split_point(n)
        if m <= k:
            return [*subproof(m, start, start + k, whole), subtree_hash(start + k, end, node)]
        return [*subproof(m - k, start + k, end, False), subtree_hash(start, start + k, node)]

    return subproof(first, 0, second, True)


def nodes_after_append(index: int, digest: bytes, node: NodeReader) -> list[tuple[int, int, bytes]]:
    """The nodes ``(level, index, hash)`` that appending the leaf hash ``digest`` at
    ``index`` creates: the leaf and every perfect subtree it completes."""
    created = [(0, index, digest)]
    level, i, current = 0, index, digest
    while i & 1:
        current = node_hash(node(level, i - 1), current)
        level += 1
        i >>= 1
        created.append((level, i, current))
    return created


def needed_nodes(compute: Callable[[NodeReader], object]) -> set[tuple[int, int]]:
    """The nodes ``compute`` reads (its reads never depend on the hashes' values)."""
    seen: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        seen.add((level, index))
        return b"\x00" * 32

    compute(record)
    return seen

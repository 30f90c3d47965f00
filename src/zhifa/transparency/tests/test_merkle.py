"""The Merkle tree and its proofs: RFC 6962's test vectors, and (hypothesis) proofs
built from stored subtrees checked against a naive MTH for random sizes."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.transparency import merkle
from zhifa.transparency.verify_offline import (
    EMPTY_ROOT,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex
# The test vectors of RFC 6962's reference implementation (certificate-transparency).
LEAVES = [h(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
ROOTS = [h(x) for x in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]  # fmt: skip


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 written out directly, independent of merkle.py."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


def build(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """The stored nodes after appending ``leaves`` one by one, as the log does."""
    nodes: dict[tuple[int, int], bytes] = {}
    for index, leaf in enumerate(leaves):
        for level, i, digest in merkle.nodes_after_append(
            index, leaf_hash(leaf), lambda lv, ix: nodes[(lv, ix)]
        ):
            nodes[(level, i)] = digest
    return nodes


def reader(nodes):
    return lambda level, index: nodes[(level, index)]


def flip(data: bytes, at: int = 0) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


def test_rfc6962_vectors():
    nodes = build(LEAVES)
    for size in range(1, 9):
        assert merkle.subtree_hash(0, size, reader(nodes)) == ROOTS[size - 1]
    assert merkle.subtree_hash(0, 0, reader(nodes)) == EMPTY_ROOT
    proof = merkle.inclusion_proof(5, 8, reader(nodes))
    assert proof == [
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ]
    assert verify_inclusion(leaf_hash(LEAVES[5]), 5, 8, proof, ROOTS[7])
    assert not verify_inclusion(leaf_hash(LEAVES[5]), 4, 8, proof, ROOTS[7])
    consistency = merkle.consistency_proof(6, 8, reader(nodes))
    assert consistency == [
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ]
    assert verify_consistency(6, 8, consistency, ROOTS[5], ROOTS[7])
    assert not verify_consistency(6, 8, consistency, ROOTS[4], ROOTS[7])


leaves_strategy = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_strategy, data=st.data())
def test_inclusion_proofs_against_the_naive_tree(leaves, data):
    nodes = build(leaves)
    size = data.draw(st.integers(1, len(leaves)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    root = naive_mth(leaves[:size])
    assert merkle.subtree_hash(0, size, reader(nodes)) == root
    proof = merkle.inclusion_proof(index, size, reader(nodes))
    digest = leaf_hash(leaves[index])
    assert verify_inclusion(digest, index, size, proof, root)
    # Any change is detected: another leaf, another place, a changed proof hash.
    assert not verify_inclusion(leaf_hash(leaves[index] + b"x"), index, size, proof, root)
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
        assert not verify_inclusion(digest, other, size, proof, root) or (
            leaves[other] == leaves[index]
            and merkle.inclusion_proof(other, size, reader(nodes)) == proof
        )
        at = data.draw(st.integers(0, len(proof) - 1), label="at")
        bad = [*proof[:at], flip(proof[at]), *proof[at + 1 :]]
        assert not verify_inclusion(digest, index, size, bad, root)
        assert not verify_inclusion(digest, index, size, proof[:-1], root)
    assert not verify_inclusion(digest, index, size, [*proof, root], root)
    assert not verify_inclusion(digest, size, size, proof, root)


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_strategy, data=st.data())
def test_consistency_proofs_against_the_naive_tree(leaves, data):
    nodes = build(leaves)
    second = data.draw(st.integers(1, len(leaves)), label="second")
    first = data.draw(st.integers(0, second), label="first")
    root1, root2 = naive_mth(leaves[:first]), naive_mth(leaves[:second])
    proof = merkle.consistency_proof(first, second, reader(nodes))
    assert verify_consistency(first, second, proof, root1, root2)
    if 0 < first < second:
        assert proof
        # A changed old tree (another leaf among the first ones) is not consistent.
        changed = list(leaves[:second])
        changed[first - 1] = changed[first - 1] + b"!"
        assert not verify_consistency(first, second, proof, naive_mth(changed[:first]), root2)
        assert not verify_consistency(first, second, proof, root1, naive_mth(changed))
        at = data.draw(st.integers(0, len(proof) - 1), label="at")
        bad = [*proof[:at], flip(proof[at], 31), *proof[at + 1 :]]
        assert not verify_consistency(first, second, bad, root1, root2)
        assert not verify_consistency(first, second, [], root1, root2)


def test_needed_nodes_are_few():
    """A proof reads O(log² n) stored nodes, never the whole tree."""
    size = 1_000_003
    for index in (0, 524_287, size - 1):
        needed = merkle.needed_nodes(
            lambda node, index=index: merkle.inclusion_proof(index, size, node)
        )
        assert len(needed) < 20 * 20
    needed = merkle.needed_nodes(lambda node: merkle.consistency_proof(777_777, size, node))
    assert len(needed) < 20 * 20

"""Signed checkpoints of the publication log: C2SP tlog-checkpoint signed notes, made
with the records app's Ed25519 key (``zhifa.records.signing``), each checked to be
consistent with the one before."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.records.signing import signing_key, trusted_public_keys

from . import log
from .models import LogEntry, SignedCheckpoint, TreeNode
from .verify_offline import (
    Checkpoint,
    ProofError,
    checkpoint_body,
    format_vkey,
    leaf_hash,
    node_hash,
    sign_line,
    valid_key_name,
    verify_consistency,
    verify_note,
)

#: Nodes compared with their children per query when a checkpoint is made.
_BATCH = 4096


def origin() -> str:
    """The log's origin line, also the name of its key (C2SP convention)."""
    value = getattr(settings, "TRANSPARENCY_ORIGIN", "")
    # Records checkpoints sign canonical JSON ("{…"); a note never starts with "{", so
    # one key serves both without a signature of one being valid as the other.
    if not valid_key_name(value) or value.startswith("{"):
        raise ImproperlyConfigured(
            f"TRANSPARENCY_ORIGIN {value!r} is not a valid log origin: one word without "
            "spaces or '+', e.g. zhifa.example.gov.cn/transparency"
        )
    return str(value)


def _raw_public_key(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def verifier_key() -> str:
    """The log's current verifier key (``<origin>+<hex key hash>+<base64 key>``)."""
    return format_vkey(origin(), _raw_public_key(signing_key()))


def trusted_keys() -> list[tuple[str, bytes]]:
    """(name, raw public key) of every key whose checkpoints verify: the signing key and
    ``RECORDS_TRUSTED_PUBLIC_KEYS`` (after a rotation)."""
    name = origin()
    return [(name, bytes.fromhex(k)) for k in sorted(trusted_public_keys())]


def open_note(note: str) -> Checkpoint:
    """The checkpoint of a stored note, if a trusted key signed it for our origin."""
    problems = []
    for name, key in trusted_keys():
        try:
            return verify_note(note, name, key)
        except ProofError as exc:
            problems.append(str(exc))
    raise ProofError(problems[-1] if problems else "no trusted key")


def latest() -> SignedCheckpoint | None:
    return SignedCheckpoint.objects.order_by("-size").first()


def covering(index: int) -> SignedCheckpoint | None:
    """The latest checkpoint, if it covers the entry at ``index``."""
    newest = latest()
    return newest if newest is not None and newest.size > index else None


@dataclass
class Outcome:
    checkpoint: SignedCheckpoint | None
    problem: str = ""


def _check_new_nodes(first: int, size: int) -> str:
    """Why the tree's part added since ``first`` leaves does not hash up from its
    leaves ("" when it does): each new leaf node is the hash of its logged leaf, each
    new interior node the hash of its children."""
    for lo in range(first, size, _BATCH):
        hi = min(size, lo + _BATCH)
        leaves = dict(
            TreeNode.objects.filter(level=0, index__gte=lo, index__lt=hi).values_list(
                "index", "hash"
            )
        )
        for index, leaf, stored in LogEntry.objects.filter(index__gte=lo, index__lt=hi).values_list(
            "index", "leaf", "leaf_hash"
        ):
            digest = leaf_hash(bytes(leaf)).hex()
            if stored != digest or leaves.pop(index, None) != digest:
                return f"entry {index}: its leaf does not match its hash in the tree"
        if leaves or TreeNode.objects.filter(level=0, index__gte=lo, index__lt=hi).count() != (
            hi - lo
        ):
            return f"entries {lo}–{hi - 1}: the tree's leaves and the log's entries differ"
    level = 1
    while (size >> level) > 0:
        lo, hi = max(0, (first >> level) - 1), size >> level
        for start in range(lo, hi, _BATCH):
            end = min(hi, start + _BATCH)
            parents = dict(
                TreeNode.objects.filter(level=level, index__gte=start, index__lt=end).values_list(
                    "index", "hash"
                )
            )
            children = dict(
                TreeNode.objects.filter(
                    level=level - 1, index__gte=2 * start, index__lt=2 * end
                ).values_list("index", "hash")
            )
            for i in range(start, end):
                left, right = children.get(2 * i), children.get(2 * i + 1)
                if left is None or right is None or i not in parents:
                    return f"the tree node {level}/{i} or its children are missing"
                if node_hash(bytes.fromhex(left), bytes.fromhex(right)).hex() != parents[i]:
                    return f"the tree node {level}/{i} is not the hash of its children"
        level += 1
    return ""


def issue_checkpoint() -> Outcome:
    """Sign the log's current tree if it grew since the last checkpoint. The tree is
    signed only if its new part hashes up from the logged leaves and it is consistent
    with the last checkpoint (RFC 9162 consistency proof), so a checkpoint never vouches
    for a rewritten log."""
    name = origin()
    key = signing_key()
    size = log.log_size()
    last = latest()
    if size == 0 or (last is not None and last.size >= size):
        return Outcome(None)
    first = 0
    old_root = b""
    if last is not None:
        try:
            previous = open_note(last.note)
        except ProofError as exc:
            return Outcome(None, f"the last checkpoint (size {last.size}) does not verify: {exc}")
        first, old_root = previous.size, previous.root
    problem = _check_new_nodes(first, size)
    if problem:
        return Outcome(None, problem)
    try:
        root = log.root_hash(size)
        proof = log.consistency_proof(first, size)
    except log.MissingNode as exc:
        return Outcome(None, str(exc))
    if last is not None and not verify_consistency(first, size, proof, old_root, root):
        return Outcome(
            None, f"the tree of {size} leaves is not consistent with the checkpoint of {first}"
        )
    body = checkpoint_body(name, size, root)
    public_key = _raw_public_key(key)
    note = body + "\n" + sign_line(name, public_key, key.sign(body.encode()))
    try:
        with transaction.atomic():
            checkpoint = SignedCheckpoint.objects.create(
                size=size,
                root_hash=root.hex(),
                note=note,
                public_key=public_key.hex(),
                signed_at=timezone.now(),
            )
    except IntegrityError:  # another worker signed the same size at the same moment
        return Outcome(None)
    return Outcome(checkpoint)

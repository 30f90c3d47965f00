#!/usr/bin/env python3
"""Check a Zhifa publication proof offline.

Standalone on purpose: this file depends only on the Python standard library and the
``cryptography`` package (for Ed25519), so anyone can download it, read it and run it
on a proof bundle without installing Zhifa::

    pip install cryptography
    python3 verify_offline.py proof.json                 # key taken from the bundle
    python3 verify_offline.py proof.json --key KEY       # key pinned (recommended)

where ``KEY`` is the log's verifier key (``<name>+<hex key hash>+<base64 key>``, as
published at ``/transparency/key``) or ``@FILE`` holding it. Exit status 0: the leaf is
included in the tree the signed checkpoint commits to; 1: it is not (each failure is
named); 2: the bundle or the key could not be read.

Formats (docs/transparency.md):

- Merkle tree: RFC 6962 / RFC 9162 §2.1 with SHA-256: leaf hash
  ``SHA-256(0x00 || leaf)``, interior node ``SHA-256(0x01 || left || right)``.
- Inclusion and consistency proofs: RFC 9162 §2.1.3.2 and §2.1.4.2.
- Checkpoint: C2SP tlog-checkpoint (origin, tree size, base64 root hash) in a C2SP
  signed note, signature line ``— <key name> <base64(key hash || Ed25519 signature)>``
  with key hash ``SHA-256(name || 0x0A || 0x01 || public key)[:4]``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

BUNDLE_FORMAT = "zhifa-transparency-proof/1"
ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash and a space


class ProofError(ValueError):
    """A proof, note or key that does not verify or cannot be read."""


# --- Merkle tree hashing (RFC 6962 §2.1) ------------------------------------------------


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def verify_inclusion(
    leaf_digest: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show that the leaf with hash ``leaf_digest``
    is at ``index`` in the tree of ``size`` leaves whose root is ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf_digest
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show that the tree of ``size1`` leaves with
    root ``root1`` is a prefix of the tree of ``size2`` leaves with root ``root2``?"""
    if size1 < 0 or size2 < size1:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: root1 starts the path
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


# --- C2SP signed notes and checkpoints --------------------------------------------------


def key_hash(name: str, public_key: bytes) -> bytes:
    """C2SP signed-note key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def valid_key_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def format_vkey(name: str, public_key: bytes) -> str:
    """The verifier key text: ``<name>+<hex key hash>+<base64(0x01 || key)>``."""
    encoded = base64.b64encode(bytes([ED25519]) + public_key).decode()
    return f"{name}+{key_hash(name, public_key).hex()}+{encoded}"


def parse_vkey(text: str) -> tuple[str, bytes]:
    """(name, raw Ed25519 public key) of a verifier key; ProofError when malformed."""
    parts = text.strip().split("+", 2)  # the base64 key may contain "+"
    if len(parts) != 3 or not valid_key_name(parts[0]):
        raise ProofError("the key is not of the form <name>+<hex key hash>+<base64 key>")
    name, hash_hex, encoded = parts
    try:
        raw = base64.b64decode(encoded, validate=True)
        declared = bytes.fromhex(hash_hex)
    except (binascii.Error, ValueError) as exc:
        raise ProofError(f"the key cannot be decoded: {exc}") from exc
    if len(raw) != 33 or raw[0] != ED25519:
        raise ProofError("the key is not an Ed25519 key (0x01 followed by 32 bytes)")
    public_key = raw[1:]
    if declared != key_hash(name, public_key):
        raise ProofError("the key's hash does not match its name and key")
    return name, public_key


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: list[str] = field(default_factory=list)


@dataclass
class Note:
    text: str  # the signed body, ending in a newline
    signatures: list[tuple[str, bytes, bytes]]  # (key name, key hash, signature)


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_line(name: str, public_key: bytes, signature: bytes) -> str:
    encoded = base64.b64encode(key_hash(name, public_key) + signature).decode()
    return f"{SIGNATURE_PREFIX}{name} {encoded}\n"


def parse_note(text: str) -> Note:
    """Split a signed note into its body and signature lines (C2SP signed-note)."""
    if not isinstance(text, str) or "\r" in text:
        raise ProofError("the note is not text with LF line endings")
    split = text.rfind("\n\n")
    if split < 0 or not text.endswith("\n"):
        raise ProofError("the note has no blank line before its signatures")
    body, sig_block = text[: split + 1], text[split + 2 :]
    signatures = []
    for line in sig_block.splitlines():
        if not line.startswith(SIGNATURE_PREFIX):
            raise ProofError(f"not a signature line: {line!r}")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise ProofError(f"the signature of {name!r} is not base64") from exc
        if not valid_key_name(name) or len(raw) < 5:
            raise ProofError(f"malformed signature line: {line!r}")
        signatures.append((name, raw[:4], raw[4:]))
    if not signatures:
        raise ProofError("the note has no signature")
    return Note(body, signatures)


def parse_checkpoint(body: str) -> Checkpoint:
    """The tlog-checkpoint fields of a note body."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise ProofError("the checkpoint needs an origin, a tree size and a root hash")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin:
        raise ProofError("the checkpoint's origin is empty")
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise ProofError(f"the checkpoint's tree size {size_text!r} is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise ProofError("the checkpoint's root hash is not base64") from exc
    if len(root) != 32:
        raise ProofError("the checkpoint's root hash is not 32 bytes")
    extensions = lines[3:-1]
    if any(not line for line in extensions):
        raise ProofError("the checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_text), root, extensions)


def open_signed_note(text: str, name: str, public_key: bytes) -> str:
    """The body of a signed note if the key ``name`` signed it; ProofError if not."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    note = parse_note(text)
    wanted = key_hash(name, public_key)
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError as exc:
        raise ProofError("the public key is not an Ed25519 key") from exc
    for sig_name, sig_hash, signature in note.signatures:
        if sig_name != name or sig_hash != wanted:
            continue
        try:
            key.verify(signature, note.text.encode())
        except InvalidSignature:
            raise ProofError(f"the signature of {name} on the note is not valid") from None
        return note.text
    raise ProofError(f"the note carries no signature of the key {name}")


def verify_note(text: str, name: str, public_key: bytes) -> Checkpoint:
    """The checkpoint of a signed note, if ``name``'s key signed it for the log of the
    same name (C2SP: a log's key is named after its origin); ProofError if not."""
    checkpoint = parse_checkpoint(open_signed_note(text, name, public_key))
    if checkpoint.origin != name:
        raise ProofError(
            f"the checkpoint's origin {checkpoint.origin!r} is not the key's name {name!r}"
        )
    return checkpoint


# --- proof bundles ----------------------------------------------------------------------


def _b64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise ProofError(f"{what} is missing or not a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ProofError(f"{what} is not base64") from exc


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProofError(f"{what} is missing or not a non-negative integer")
    return value


@dataclass
class BundleResult:
    origin: str
    index: int
    size: int
    leaf_hash: bytes
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(bundle: Any, key: str | None = None) -> BundleResult:
    """Check a proof bundle; ``key`` (verifier key text) pins the log's key, otherwise
    the bundle's own ``public_key`` is used. ProofError when the bundle is unreadable;
    otherwise every failed check is listed in the result's ``problems``."""
    if not isinstance(bundle, dict):
        raise ProofError("the bundle is not a JSON object")
    if bundle.get("format") != BUNDLE_FORMAT:
        raise ProofError(f"the bundle's format is not {BUNDLE_FORMAT}")
    origin = bundle.get("origin")
    if not isinstance(origin, str) or not origin:
        raise ProofError("origin is missing")
    index = _int(bundle.get("index"), "index")
    size = _int(bundle.get("tree_size"), "tree_size")
    proof_list = bundle.get("inclusion_proof")
    if not isinstance(proof_list, list):
        raise ProofError("inclusion_proof is missing or not a list")
    proof = [_b64(p, f"inclusion_proof[{n}]") for n, p in enumerate(proof_list)]
    note = bundle.get("checkpoint")
    if not isinstance(note, str):
        raise ProofError("checkpoint is missing or not text")
    vkey = key if key is not None else bundle.get("public_key")
    if not isinstance(vkey, str):
        raise ProofError("public_key is missing")
    name, public_key = parse_vkey(vkey)

    problems: list[str] = []
    digest = _b64(bundle.get("leaf_hash"), "leaf_hash")
    if "leaf" in bundle and bundle["leaf"] is not None:
        leaf = _b64(bundle["leaf"], "leaf")
        if leaf_hash(leaf) != digest:
            problems.append("the leaf does not hash to leaf_hash")
            digest = leaf_hash(leaf)
    if name != origin:
        problems.append(f"the key {name!r} is not the key of the log {origin!r}")
    try:
        checkpoint = verify_note(note, name, public_key)
    except ProofError as exc:
        problems.append(str(exc))
        return BundleResult(origin, index, size, digest, problems)
    if checkpoint.origin != origin:
        problems.append(f"the checkpoint is of the log {checkpoint.origin!r}, not {origin!r}")
    if checkpoint.size != size:
        problems.append(
            f"the checkpoint's tree size is {checkpoint.size}, the bundle's tree_size {size}"
        )
    if not verify_inclusion(digest, index, checkpoint.size, proof, checkpoint.root):
        problems.append(
            f"the inclusion proof does not lead from the leaf at index {index} to the "
            f"signed root of the tree of {checkpoint.size} leaves"
        )
    return BundleResult(origin, index, size, digest, problems)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_offline.py",
        description="Check a Zhifa publication proof bundle offline.",
    )
    parser.add_argument("bundle", help="the proof bundle (JSON) downloaded from the portal")
    parser.add_argument(
        "--key",
        help="the log's verifier key, or @FILE holding it (otherwise the bundle's own key "
        "is trusted: get the key from a source you trust to make the check meaningful)",
    )
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            bundle = json.load(handle)
        key = args.key
        if key is not None and key.startswith("@"):
            with open(key[1:], encoding="utf-8") as handle:
                key = handle.read().strip()
        result = verify_bundle(bundle, key)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ProofError) as exc:
        print(f"verify_offline: cannot check {args.bundle}: {exc}", file=sys.stderr)
        return 2
    if result.problems:
        for problem in result.problems:
            print(f"verify_offline: FAILED: {problem}", file=sys.stderr)
        return 1
    if args.key is None:
        print(
            "verify_offline: warning: the key was taken from the bundle itself; pin it with --key"
        )
    print(
        f"verify_offline: OK: leaf {result.leaf_hash.hex()} is entry {result.index} of "
        f"{result.origin}, included in the signed tree of {result.size} leaves"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

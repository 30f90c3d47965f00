"""Canonical JSON and the hash-chain arithmetic of the whole-process record.

Pure Python with no Django import, so that ``verify-export`` and any third party can
recompute an exported record with the standard library alone.

An entry's *content* is the canonical JSON document::

    {"action":…,"actor":…,"actor_label":…,"object_id":…,"object_type":…,
     "organ":…,"payload":{…},"recorded_at":"2026-11-22T14:31:25.123456Z","seq":…}

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8 (no ``\\u`` escapes
for non-ASCII), dates and times in ISO 8601 (times in UTC with microseconds and
``Z``), decimals as strings, no NaN or infinity.

Chain arithmetic (SM3, GB/T 32905-2016)::

    digest_n = SM3(content_n)
    hash_n   = SM3(hash_{n-1} || digest_n)        # raw 32-byte values; hash_0 = 0^32

so each entry's hash covers its content and the previous hash, and a third party can
link an exported entry to a signed checkpoint given only the digests of the entries in
between (which reveal nothing of their content).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

HASH_NAME = "sm3"
GENESIS_HASH = "0" * 64


class CanonicalError(ValueError):
    """A value that has no canonical JSON form."""


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CanonicalError(f"{value} has no canonical JSON form")
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise CanonicalError(f"{type(value).__name__} has no canonical JSON form")


_ENCODER = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    allow_nan=False,
    default=_default,
)


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (see the module docstring)."""
    try:
        return _ENCODER.encode(value)
    except ValueError as exc:  # NaN/infinity, circular references
        raise CanonicalError(str(exc)) from exc
    except TypeError as exc:  # non-string dictionary keys
        raise CanonicalError(str(exc)) from exc


def format_time(value: dt.datetime) -> str:
    """A timezone-aware datetime in UTC with microseconds: 2026-11-22T06:31:25.000123Z."""
    if value.tzinfo is None:
        raise CanonicalError("naive datetimes have no canonical form; use an aware one")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def entry_content(
    *,
    organ: int,
    seq: int,
    recorded_at: str,
    actor: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: str,
) -> bytes:
    """The canonical content of one entry. ``payload`` is already canonical JSON text
    (as stored), so it is spliced in rather than parsed and re-encoded; the result is
    byte-for-byte ``canonical_json`` of the whole document."""
    head = canonical_json(
        {
            "action": action,
            "actor": actor,
            "actor_label": actor_label,
            "object_id": object_id,
            "object_type": object_type,
            "organ": organ,
        }
    )
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise CanonicalError("seq must be an integer")
    # The same bytes as canonical_json({"recorded_at": …, "seq": …}) without the braces.
    tail = f'"recorded_at":{_ENCODER.encode(str(recorded_at))},"seq":{seq}}}'
    return f'{head[:-1]},"payload":{payload},{tail}'.encode()


def sm3_hex(data: bytes) -> str:
    return hashlib.new(HASH_NAME, data).hexdigest()


def link_hash(previous_hash: str, content_digest: str) -> str:
    """hash_n = SM3(hash_{n-1} || digest_n) over the raw 32-byte values."""
    return hashlib.new(
        HASH_NAME, bytes.fromhex(previous_hash) + bytes.fromhex(content_digest)
    ).hexdigest()


def checkpoint_message(*, organ: int, seq: int, head_hash: str, signed_at: str) -> bytes:
    """The bytes an Ed25519 checkpoint signature covers."""
    return canonical_json(
        {
            "format": "zhifa-records-checkpoint/1",
            "head_hash": head_hash,
            "organ": organ,
            "seq": seq,
            "signed_at": signed_at,
        }
    ).encode()

"""The witness copy of the checkpoints: ``zhifa records checkpoints --out FILE`` saves
every signed checkpoint outside the database, and ``zhifa records verify --against FILE``
compares the chains with it, so that a chain cut together with its checkpoints, or
deleted whole, is seen. The format is the one of the public ``/records/checkpoints.json``
(the public portal will publish and keep these copies), so a copy downloaded from
there serves as well."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .canonical import format_time
from .models import Checkpoint

FORMAT = "zhifa-records-checkpoint/1"
#: A witness file larger than this is not a checkpoint list (a checkpoint is ~400 bytes;
#: 64 MiB holds about 150,000 of them, decades of a busy platform's ten-minute runs).
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class WitnessCheckpoint:
    organ: int
    seq: int
    head_hash: str
    signed_at: str
    public_key: str
    signature: str


def checkpoint_dict(cp: Checkpoint, organ_name: str) -> dict[str, Any]:
    return {
        "organ": cp.organ_id,
        "organ_name": organ_name,
        "seq": cp.seq,
        "head_hash": cp.head_hash,
        "signed_at": format_time(cp.signed_at),
        "algorithm": cp.algorithm,
        "public_key": cp.public_key,
        "signature": cp.signature,
    }


def _all_checkpoints() -> Iterator[dict[str, Any]]:
    rows = Checkpoint.objects.select_related("organ").order_by("organ_id", "seq")
    for cp in rows.iterator(chunk_size=2000):
        yield checkpoint_dict(cp, cp.organ.name)


def write_checkpoints(handle: IO[str], *, saved_at: dt.datetime) -> int:
    """Write every checkpoint as JSON to ``handle``; returns how many."""
    header = json.dumps({"format": FORMAT, "saved_at": format_time(saved_at)})
    handle.write(header[:-1] + ', "checkpoints": [')
    count = 0
    for item in _all_checkpoints():
        handle.write(("\n  " if count == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
        count += 1
    handle.write("\n]}\n")
    return count


class WitnessError(ValueError):
    """The witness file cannot be read; the message names the problem."""


def _field(item: dict[str, Any], name: str, kind: type, n: int) -> Any:
    value = item.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise WitnessError(f"checkpoint {n}: {name} is missing or not a {kind.__name__}")
    return value


def load_witness(path: str) -> dict[int, list[WitnessCheckpoint]]:
    """The checkpoints of a witness file, by organ."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise WitnessError("not found") from exc
    except OSError as exc:
        raise WitnessError(exc.strerror or "cannot be read") from exc
    if len(data) > MAX_BYTES:
        raise WitnessError(f"larger than {MAX_BYTES} bytes")
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WitnessError(f"not JSON: {exc}") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise WitnessError(f'not a checkpoint list (expected "format": "{FORMAT}")')
    items = body.get("checkpoints")
    if not isinstance(items, list):
        raise WitnessError("checkpoints is missing or not a list")
    found: dict[int, list[WitnessCheckpoint]] = {}
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise WitnessError(f"checkpoint {n} is not an object")
        cp = WitnessCheckpoint(
            organ=_field(item, "organ", int, n),
            seq=_field(item, "seq", int, n),
            head_hash=_field(item, "head_hash", str, n),
            signed_at=_field(item, "signed_at", str, n),
            public_key=_field(item, "public_key", str, n),
            signature=_field(item, "signature", str, n),
        )
        found.setdefault(cp.organ, []).append(cp)
    return found

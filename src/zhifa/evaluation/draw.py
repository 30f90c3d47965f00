"""The verifiable draw of a campaign's sample (docs/adr/0020-verifiable-evaluation-draw.md).

Pure functions over published text: no database, no clock. Anyone can re-run them from
what the portal publishes (``zhifa evaluation verify-draw``).

- **Roster** of an organ: its eligible case files, one line each,
  ``<file id> TAB <case number> LF``, sorted by file id (code point order, which is
  also the order of the UTF-8 bytes), encoded as UTF-8. Its hash is the SHA-256 of those
  bytes, in lowercase hex.
- **Seed**: the SHA-256 (lowercase hex) of the UTF-8 bytes of ::

      zhifa-evaluation-draw-v1 LF
      <position> TAB <roster sha256> LF        (one line per roster, by position)
      beacon TAB <public value> LF

  where the public value is the text entered, NFC-normalised and stripped of
  surrounding white space.
- **Ticket** of a file: SHA-256( the 32 bytes of the seed ‖ UTF-8 of the file id ),
  read as a big-endian integer (Rivest's consistent sampler). In each roster the files
  with the lowest tickets are drawn, as many as the organ's sample.
- **Sample** of an organ: the size given (at most the roster's size), or the rate given
  in whole percent of the roster, rounded up.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

VERSION_LINE = "zhifa-evaluation-draw-v1"


class DrawError(ValueError):
    """Published input the draw cannot use (a malformed roster line, a bad seed)."""


@dataclass(frozen=True)
class Entry:
    file_id: str
    case_number: str


@dataclass(frozen=True)
class Drawn:
    file_id: str
    case_number: str
    ticket: str  # lowercase hex
    rank: int  # 1 = lowest ticket


def _check_field(value: str, what: str) -> None:
    if not value and what == "file id":
        raise DrawError("a roster entry has an empty file id")
    if any(c in value for c in "\t\r\n"):
        raise DrawError(f"the {what} {value!r} contains a tab or a line break")


def roster_text(entries: Iterable[Entry]) -> str:
    """The canonical roster: one line per file, sorted by file id; ids are unique."""
    ordered = sorted(entries, key=lambda e: e.file_id)
    lines = []
    previous = None
    for entry in ordered:
        _check_field(entry.file_id, "file id")
        _check_field(entry.case_number, "case number")
        if entry.file_id == previous:
            raise DrawError(f"the file id {entry.file_id!r} appears twice")
        previous = entry.file_id
        lines.append(f"{entry.file_id}\t{entry.case_number}\n")
    return "".join(lines)


def parse_roster(text: str) -> list[Entry]:
    """The entries of a roster's text; refuses a text that is not canonical."""
    if text and not text.endswith("\n"):
        raise DrawError("the roster does not end with a line feed")
    entries = []
    for number, line in enumerate(text.split("\n")[:-1] if text else [], start=1):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0]:
            raise DrawError(f"roster line {number} is not 'file id TAB case number'")
        entries.append(Entry(parts[0], parts[1]))
    if roster_text(entries) != text:
        raise DrawError("the roster is not in canonical order (sorted by file id, unique)")
    return entries


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_beacon(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def seed_message(roster_hashes: Sequence[str], beacon: str) -> str:
    """The text whose SHA-256 is the seed (``roster_hashes`` in position order, 1…n)."""
    lines = [VERSION_LINE]
    for position, digest in enumerate(roster_hashes, start=1):
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise DrawError(f"roster {position}: {digest!r} is not a lowercase SHA-256 hex")
        lines.append(f"{position}\t{digest}")
    value = canonical_beacon(beacon)
    if not value or any(c in value for c in "\t\r\n"):
        raise DrawError("the public value is empty or contains a tab or a line break")
    lines.append(f"beacon\t{value}")
    return "".join(f"{line}\n" for line in lines)


def seed(roster_hashes: Sequence[str], beacon: str) -> str:
    return sha256_hex(seed_message(roster_hashes, beacon))


def ticket(seed_hex: str, file_id: str) -> str:
    try:
        raw = bytes.fromhex(seed_hex)
    except ValueError as exc:
        raise DrawError(f"the seed {seed_hex!r} is not hex") from exc
    if len(raw) != 32:
        raise DrawError("the seed is not 32 bytes")
    return hashlib.sha256(raw + file_id.encode("utf-8")).hexdigest()


def sample_size(roster_size: int, size: int | None, rate: int | None) -> int:
    """How many files of a roster of ``roster_size`` are drawn."""
    if size is not None:
        return min(size, roster_size)
    if rate is not None:
        return min(roster_size, (roster_size * rate + 99) // 100)
    raise DrawError("neither a sample size nor a rate")


def select(seed_hex: str, entries: Sequence[Entry], count: int) -> list[Drawn]:
    """The ``count`` entries with the lowest tickets, lowest first."""
    tickets = sorted(
        ((int(t, 16), t, e) for e in entries for t in [ticket(seed_hex, e.file_id)]),
        key=lambda row: (row[0], row[2].file_id),
    )
    return [
        Drawn(e.file_id, e.case_number, t, rank)
        for rank, (_n, t, e) in enumerate(tickets[:count], start=1)
    ]

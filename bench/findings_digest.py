"""Digests of the engine's findings on the generated case files of bench/audit.py.

The equivalence test (bench/test_audit_equivalence.py) compares the engine's findings on
the 10,000 files ``bench/audit.py`` generates (seed 20251001) with the digests stored in
``bench/findings_digests.txt``: one SHA-256 per block of ``BLOCK`` consecutive files
(over each file's findings JSON in Chinese and in English, or its validation error), and
a last line ``all <digest>`` over every block.

    .venv/bin/python bench/findings_digest.py --check      # compare all 10,000 files
    .venv/bin/python bench/findings_digest.py --write      # regenerate the stored digests
    .venv/bin/python bench/findings_digest.py --diff BLOCK # the files of a block, by digest

Regenerate (``--write``) only when a rule change is meant to change findings, and list
in the commit message (and the CHANGELOG) the rules that changed them: run ``--check``
first, then ``--diff`` on the failing blocks to see which files and findings changed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit import generate

from zhifa.rules.engine import InvalidCaseFile, WorkCalendar, audit, render
from zhifa.rules.engine.validation import load_case_file

FILES = 10_000
BLOCK = 100
DIGESTS = Path(__file__).with_name("findings_digests.txt")


def findings(text: str, calendar: WorkCalendar) -> str:
    """What the engine says of one file: the findings JSON in both languages, or the
    validation errors."""
    try:
        case = load_case_file(text)
    except InvalidCaseFile as exc:
        return "invalid: " + str(exc) + "\n"
    result = audit(case, calendar=calendar)
    return render(result, "zh") + render(result, "en")


def file_digest(text: str, calendar: WorkCalendar) -> str:
    return hashlib.sha256(findings(text, calendar).encode("utf-8")).hexdigest()


def block_digests(texts: Sequence[str], blocks: Iterable[int]) -> dict[int, str]:
    calendar = WorkCalendar()
    out: dict[int, str] = {}
    for b in blocks:
        h = hashlib.sha256()
        for text in texts[b * BLOCK : (b + 1) * BLOCK]:
            h.update(file_digest(text, calendar).encode("ascii"))
        out[b] = h.hexdigest()
    return out


def combined(digests: dict[int, str]) -> str:
    return hashlib.sha256("".join(digests[b] for b in sorted(digests)).encode()).hexdigest()


def stored() -> tuple[dict[int, str], str]:
    blocks: dict[int, str] = {}
    total = ""
    for line in DIGESTS.read_text("ascii").splitlines():
        if not line or line.startswith("#"):
            continue
        key, digest = line.split()
        if key == "all":
            total = digest
        else:
            blocks[int(key)] = digest
    return blocks, total


def differing(texts: Sequence[str], blocks: Iterable[int]) -> list[int]:
    """The blocks whose findings differ from the stored digests."""
    expected, _total = stored()
    got = block_digests(texts, blocks)
    return [b for b in sorted(got) if got[b] != expected.get(b)]


def main(argv: list[str]) -> int:
    texts = generate(FILES)
    if argv[:1] == ["--write"]:
        digests = block_digests(texts, range(FILES // BLOCK))
        lines = [
            f"# findings digests of bench/audit.py's {FILES} generated files, {BLOCK} a block "
            "(bench/findings_digest.py)",
            *(f"{b} {d}" for b, d in sorted(digests.items())),
            f"all {combined(digests)}",
        ]
        DIGESTS.write_text("\n".join(lines) + "\n", "ascii")
        print(f"wrote {DIGESTS}")
        return 0
    if argv[:1] == ["--check"]:
        bad = differing(texts, range(FILES // BLOCK))
        print("findings identical" if not bad else f"findings differ in blocks {bad}")
        return 1 if bad else 0
    if argv[:1] == ["--diff"] and len(argv) == 2:
        b = int(argv[1])
        calendar = WorkCalendar()
        for n, text in enumerate(texts[b * BLOCK : (b + 1) * BLOCK], start=b * BLOCK):
            print(f"BENCH-{n:05d} {file_digest(text, calendar)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

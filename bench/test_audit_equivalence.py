"""The engine's findings on bench/audit.py's generated case files equal those stored in
bench/findings_digests.txt, computed with the engine before the speed work of issue #11
(item 7): any change of a finding, a deadline, an amount or a validation error fails.

The suite checks a deterministic 2,000-file subset (every fifth block of 100 files of
the 10,000); ``.venv/bin/python bench/findings_digest.py --check`` checks all 10,000.

Regenerating the digests: ``.venv/bin/python bench/findings_digest.py --write`` — only
when a rule change is meant to change findings (or the legal tests the generator uses as
templates change), after ``--check`` and ``--diff BLOCK`` showed which findings changed;
the commit that regenerates them must list the rules that changed the findings.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import findings_digest


def test_findings_of_generated_files_are_unchanged() -> None:
    texts = findings_digest.generate(findings_digest.FILES)
    subset = range(0, findings_digest.FILES // findings_digest.BLOCK, 5)
    assert findings_digest.differing(texts, subset) == []


def test_stored_digests_are_complete() -> None:
    blocks, total = findings_digest.stored()
    assert sorted(blocks) == list(range(findings_digest.FILES // findings_digest.BLOCK))
    assert total == findings_digest.combined(blocks)

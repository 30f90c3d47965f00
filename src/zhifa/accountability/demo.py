"""Demo accountability matters: the demo cases whose decision a reconsideration or
litigation revoked or confirmed unlawful get their matter, as the hourly job would open
it (``services.open_from_remedies``). Runs after the cases demo (INSTALLED_APPS order);
idempotent (one matter per case and ground). The cases demo has no such case yet, so
this opens none and says so; the demo's matter is opened later by the evaluation demo,
whose second scored file fails a veto item (``evaluation.demo.load_scores``)."""

from __future__ import annotations

from typing import TextIO

from zhifa.records.services import create_checkpoints

from . import services


def load(out: TextIO) -> None:
    opened = services.open_from_remedies()
    if opened:
        create_checkpoints()
    out.write(f"demo: {len(opened)} accountability matter(s)\n")

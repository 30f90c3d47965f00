"""Demo record: the entries come from the registry and catalogue demos, which run
before this one and record every change they make with the demo user who acted (and
the expiry task as ``system:registry.expire``). This demo only signs a checkpoint of
every chain that grew, so the verification, the supervisor's browser and the export
have something to show. Idempotent: a run that changed nothing signs nothing.

The demo cases (``cases/demo.py``) run after this one, record their steps as the
organs' users and sign the chains again. The demo evidence is theirs: a few demo
cases carry real files (``cases/demo_evidence.py``: photos, a scanned record, an audio
clip), uploaded through ``services.add_evidence``; a certificate or an entrustment
instrument is not evidence.
"""

from __future__ import annotations

from typing import TextIO

from .models import Chain, Entry
from .services import create_checkpoints


def load(out: TextIO) -> None:
    signed = [r for r in create_checkpoints() if r.checkpoint is not None]
    out.write(
        f"records: {Entry.objects.count()} entries in {Chain.objects.count()} chain(s), "
        f"{len(signed)} newly signed checkpoint(s)\n"
    )

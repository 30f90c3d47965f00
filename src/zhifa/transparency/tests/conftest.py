"""Fixtures of the publication log's tests: the signing key in a temporary directory, a
test source over organ rows (what a source does: recompute a leaf from its row)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from zhifa.registry.models import EnforcementSubject
from zhifa.transparency import checkpoints as cps
from zhifa.transparency.log import append
from zhifa.transparency.models import LogEntry
from zhifa.transparency.sources import register_source, unregister_source

SOURCE = "test.organ"
ORIGIN = "zhifa.test/transparency"


@pytest.fixture(autouse=True)
def _log_settings(tmp_path: Path, settings: Any) -> None:
    settings.RECORDS_SIGNING_KEY = ""
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    settings.RECORDS_TRUSTED_PUBLIC_KEYS = []
    settings.TRANSPARENCY_ORIGIN = ORIGIN


def organ_leaf(object_id: str) -> bytes | None:
    organ = EnforcementSubject.objects.filter(pk=object_id).first()
    if organ is None:
        return None
    return json.dumps(
        {"id": organ.pk, "name": organ.name}, ensure_ascii=False, sort_keys=True
    ).encode()


@pytest.fixture
def source() -> Iterator[str]:
    register_source(SOURCE, organ_leaf)
    yield SOURCE
    unregister_source(SOURCE)


@pytest.fixture
def log_organ(source: str) -> Callable[[EnforcementSubject], LogEntry]:
    """Append an organ's current leaf to the log, in its own transaction."""

    def _log(organ: EnforcementSubject) -> LogEntry:
        leaf = organ_leaf(str(organ.pk))
        assert leaf is not None
        with transaction.atomic():
            return append(source, str(organ.pk), leaf)

    return _log


@pytest.fixture
def signed(log_organ, organ_a, organ_b, organ_c) -> list[LogEntry]:
    """Three organs logged and a checkpoint signed over them."""
    entries = [log_organ(o) for o in (organ_a, organ_b, organ_c)]
    outcome = cps.issue_checkpoint()
    assert outcome.checkpoint is not None and outcome.checkpoint.size == 3, outcome
    return entries

"""Fixtures for the record's tests: evidence files and the signing key live in a
temporary directory, never in the repository's ./var."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from zhifa.accounts.models import User
from zhifa.records.models import Entry
from zhifa.records.services import ObjectRef, append_entry
from zhifa.registry.models import EnforcementSubject


@pytest.fixture(autouse=True)
def _records_tmp(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_SIGNING_KEY = ""
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    settings.RECORDS_TRUSTED_PUBLIC_KEYS = []
    return tmp_path


@pytest.fixture
def record() -> Callable[..., list[Entry]]:
    """record(actor, organ, n=1, obj=ObjectRef(...), action=...) appends n entries."""

    def _record(
        actor: User,
        organ: EnforcementSubject,
        n: int = 1,
        obj: ObjectRef | None = None,
        action: str = "test.step",
    ) -> list[Entry]:
        entries = []
        for i in range(n):
            with transaction.atomic():
                entries.append(
                    append_entry(
                        actor=actor,
                        organ=organ,
                        action=action,
                        obj=obj or ObjectRef("cases.case", "1"),
                        payload={"step": i},
                    )
                )
        return entries

    return _record

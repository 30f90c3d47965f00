"""Test helpers for the entries a service appends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .models import Entry


class Appended(list[Entry]):
    """The entries appended inside a :func:`appended` block, in order."""

    def one(self) -> Entry:
        assert len(self) == 1, [(e.action, e.payload) for e in self]
        return self[0]


@contextmanager
def appended() -> Iterator[Appended]:
    """Collect the entries appended while the block runs (also when it raises)."""
    last = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found = Appended()
    try:
        yield found
    finally:
        found.extend(Entry.objects.filter(pk__gt=last).order_by("pk"))


def payload(entry: Entry) -> Any:
    return json.loads(entry.payload)

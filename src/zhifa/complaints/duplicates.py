"""Duplicate suggestions (issue #16 item 3): open filings of the same receiving unit that
resemble one — same category and region, and the same address or a similar description.
Only a suggestion for the staff: nothing is merged."""

from __future__ import annotations

import difflib
from typing import Any

from .models import ENDED, Complaint

#: At most this many candidates are compared (the newest open ones).
CANDIDATES = 50
#: How alike two descriptions must be (difflib's ratio, 0–1).
SIMILAR = 0.6


def _normal(text: str) -> str:
    return "".join(text.split())


def similar_open(complaint: Complaint, visible: Any) -> list[tuple[Complaint, float]]:
    """The open filings among ``visible`` (a queryset the user may see) that resemble
    ``complaint``, most alike first, each with its likeness."""
    candidates = (
        visible.filter(
            organ_id=complaint.organ_id,
            category=complaint.category,
            region_id=complaint.region_id,
        )
        .exclude(pk=complaint.pk)
        .exclude(status__in=ENDED)
        .order_by("-received_at", "-pk")[:CANDIDATES]
    )
    text = _normal(complaint.description)
    address = _normal(complaint.address)
    found = []
    for other in candidates:
        ratio = difflib.SequenceMatcher(None, text, _normal(other.description)).ratio()
        if ratio >= SIMILAR or (address and _normal(other.address) == address):
            found.append((other, round(ratio, 2)))
    found.sort(key=lambda pair: -pair[1])
    return found

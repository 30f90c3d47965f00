"""Duplicate suggestions (issue #16 item 3): open filings of the same receiving unit that
resemble one — same category and region, and the same address or a similar description.
Only a suggestion for the staff: nothing is merged."""

from __future__ import annotations

from typing import Any

from .models import ENDED, Complaint, ComplaintStatus

#: Filings no longer open: ended, or closed with a result (a closed one may still be
#: disputed, but a new filing is not handled together with it).
NOT_OPEN = (*ENDED, ComplaintStatus.CLOSED)

#: At most this many candidates are compared (the newest open ones).
CANDIDATES = 50
#: How alike two descriptions must be (the Dice coefficient of their bigram sets, 0–1).
SIMILAR = 0.6
#: Only the beginning of a description is compared (bounded cost per candidate).
COMPARED = 2000


def _normal(text: str) -> str:
    return "".join(text.split())


def _bigrams(text: str) -> frozenset[str]:
    """The set of adjacent character pairs of (the beginning of) a normalised text; a
    one-character text is its own single "pair"."""
    text = text[:COMPARED]
    if len(text) < 2:
        return frozenset((text,)) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def likeness(first: frozenset[str], second: frozenset[str]) -> float:
    """The Dice coefficient ``2|A∩B| / (|A|+|B|)`` of two bigram sets: linear in their
    size whatever the text (difflib's matcher is quadratic on repetitive text), and on
    the same 0–1 scale as difflib's ratio for ordinary sentences."""
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


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
        .exclude(status__in=NOT_OPEN)
        .order_by("-received_at", "-pk")[:CANDIDATES]
    )
    text = _bigrams(_normal(complaint.description))
    address = _normal(complaint.address)
    found = []
    for other in candidates:
        ratio = likeness(text, _bigrams(_normal(other.description)))
        if ratio >= SIMILAR or (address and _normal(other.address) == address):
            found.append((other, round(ratio, 2)))
    found.sort(key=lambda pair: -pair[1])
    return found

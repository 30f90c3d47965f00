"""Filtering review requests: one function serves the queue page and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import ReviewRequest, ReviewStatus


def filter_requests(
    queryset: QuerySet[ReviewRequest],
    *,
    status: str = "",
    case: int | None = None,
    q: str = "",
) -> QuerySet[ReviewRequest]:
    """``status`` is one of ``ReviewStatus`` (anything else: no narrowing); ``q`` a
    substring of the case number or the party's name (Chinese works as typed)."""
    if status in ReviewStatus.values:
        queryset = queryset.filter(status=status)
    if case is not None:
        queryset = queryset.filter(case_id=case)
    text = q.strip()
    if text:
        queryset = queryset.filter(
            Q(case__case_id__icontains=text) | Q(case__party_name__icontains=text)
        )
    return queryset

"""Filtering cases: one function serves the case pages and the API (style.md: one
filterset for UI and API)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Case, CaseStep


def filter_cases(
    queryset: QuerySet[Case],
    *,
    q: str = "",
    status: str = "",
    procedure: str = "",
) -> QuerySet[Case]:
    """``q`` is a substring (Chinese works as typed) of the source number (``case_id``) or
    case number (立案号), the party's name,
    the power item's code or name (案由) or a document number issued in the case."""
    text = q.strip()
    if text:
        numbered = CaseStep.objects.filter(case=OuterRef("pk"), document_number__icontains=text)
        queryset = queryset.filter(
            Q(case_id__icontains=text)
            | Q(registration_number__icontains=text)
            | Q(party_name__icontains=text)
            | Q(power__icontains=text)
            | Q(power_item__name__icontains=text)
            | Exists(numbered)
        )
    if status:
        queryset = queryset.filter(status=status)
    if procedure:
        queryset = queryset.filter(procedure=procedure)
    return queryset

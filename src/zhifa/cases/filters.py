"""Filtering cases: one function serves the case pages and the API (style.md: one
filterset for UI and API)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Case, CaseStep

#: The steps the case list narrows to with ``with`` (cases that had one).
WITH_STEPS = ("legal_review", "hearing")


def filter_cases(
    queryset: QuerySet[Case],
    *,
    q: str = "",
    status: str = "",
    procedure: str = "",
    decided: int | None = None,
    paid: int | None = None,
    with_step: str = "",
) -> QuerySet[Case]:
    """``q`` is a substring (Chinese works as typed) of the source number (``case_id``) or
    case number (立案号), the party's name,
    the power item's code or name (案由) or a document number issued in the case.
    ``decided``/``paid``: a year in which the case has a ``decision``/``paid`` step;
    ``with_step``: a step the case has (one of ``WITH_STEPS``) — the supervision
    dashboard's figures link to the cases they count with these."""
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
    for step, year in (("decision", decided), ("paid", paid)):
        if year is not None:
            dated = CaseStep.objects.filter(case=OuterRef("pk"), step=step, on__year=year)
            queryset = queryset.filter(Exists(dated))
    if with_step in WITH_STEPS:
        queryset = queryset.filter(
            Exists(CaseStep.objects.filter(case=OuterRef("pk"), step=with_step))
        )
    return queryset

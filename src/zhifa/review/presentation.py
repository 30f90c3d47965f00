"""How review pages show a case: step names, the decision deadline, the case link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from zhifa.cases import services as case_services
from zhifa.cases.models import Case

DECISION_DEADLINE = "APL-60-decision-deadline"

#: The format's step names (case-file-format.md), as the review pages show them.
STEP_LABELS: dict[str, Any] = {
    "registered": _("Registration"),
    "investigation": _("Investigation and evidence"),
    "preservation": _("Preservation of evidence"),
    "preservation_decided": _("Preservation decided"),
    "seizure": _("Sealing or seizure"),
    "seizure_extended": _("Seizure extended"),
    "seizure_ended": _("Seizure ended"),
    "prior_notice": _("Prior notice"),
    "statement": _("Statement and defence"),
    "waiver": _("Waiver of statement"),
    "hearing_requested": _("Hearing requested"),
    "hearing_notice": _("Hearing notice"),
    "hearing": _("Hearing"),
    "legal_review": _("Legal review"),
    "collective_discussion": _("Collective discussion"),
    "decision": _("Decision"),
    "served": _("Service"),
    "paid": _("Payment"),
    "deferral_approved": _("Deferral approved"),
    "demand": _("Demand"),
    "court_application": _("Court application"),
    "disclosed": _("Disclosure"),
    "decision_changed": _("Decision changed"),
    "closed": _("Closure"),
}


DEADLINE_STATUS: dict[str, Any] = {
    "open": _("open"),
    "overdue": _("overdue"),
    "met": _("met"),
    "missed": _("missed"),
}


def step_label(step: str) -> Any:
    return STEP_LABELS.get(step, step)


def case_url(case: Case) -> str:
    """The case page; a plain path while the case pages are not installed."""
    try:
        return reverse("cases:case_detail", args=[case.pk])
    except NoReverseMatch:
        return f"/cases/{case.pk}/"


def decision_deadline(case: Case, today: dt.date) -> dict[str, Any] | None:
    """The APL-60 decision deadline of ``case`` as the engine computes it (due date and
    its status on ``today``), or ``None`` when the case has none (e.g. decided)."""
    for item in case_services.deadlines(case, today):
        if item.rule == DECISION_DEADLINE:
            status = item.status(today)
            return {
                "due": item.due.due,
                "status": status,
                "status_label": DEADLINE_STATUS.get(status, status),
            }
    return None

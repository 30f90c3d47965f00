"""How review pages show a case: step names, the decision deadline, the case link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.rules.engine.workdays import WorkCalendar

DECISION_DEADLINE = "APL-60-decision-deadline"

DEADLINE_STATUS: dict[str, Any] = {
    "open": _("open"),
    "overdue": _("overdue"),
    "met": _("met"),
    "missed": _("missed"),
}


def case_url(case: Case) -> str:
    """The case page."""
    return reverse("cases:detail", args=[case.pk])


def decision_deadline(
    case: Case, today: dt.date, calendar: WorkCalendar | None = None
) -> dict[str, Any] | None:
    """The APL-60 decision deadline of ``case`` as the engine computes it (due date and
    its status on ``today``), or ``None`` when the case has none (e.g. decided). A list
    page passes one ``calendar`` for all its rows."""
    for item in case_services.deadlines(case, today, calendar):
        if item.rule == DECISION_DEADLINE:
            status = item.status(today)
            return {
                "due": item.due.due,
                "status": status,
                "status_label": DEADLINE_STATUS.get(status, status),
            }
    return None

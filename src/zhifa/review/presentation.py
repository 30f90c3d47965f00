"""How review pages show a case: step names, the decision deadline, the case link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.cases import services as case_services
from zhifa.cases.models import ENDED_STATUSES, Case, CaseStatus, CaseStep, Procedure
from zhifa.rules.engine.workdays import WorkCalendar

from .models import ReviewRequest, ReviewStatus
from .services import SUBMIT_ROLES

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


def case_review_context(user: Any, case: Case, steps: Sequence[CaseStep]) -> dict[str, Any]:
    """The review app's part of the case page (``cases.extensions``): the case's legal
    review requests and whether the user may submit the case for review: an officer or
    head of a general-procedure case with a prior notice, no decision and no pending
    request (``services.submit_for_review`` checks it again)."""
    reviews = list(ReviewRequest.objects.filter(case=case).order_by("submitted_on", "pk"))
    names = {s.step for s in steps}
    can_submit = (
        user.role in SUBMIT_ROLES
        and case.procedure == Procedure.GENERAL
        and "prior_notice" in names
        and "decision" not in names
        and case.status not in (CaseStatus.DECIDED, CaseStatus.EXECUTION, *ENDED_STATUSES)
        and not any(r.status == ReviewStatus.PENDING for r in reviews)
    )
    return {"reviews": reviews, "can_submit_review": can_submit}

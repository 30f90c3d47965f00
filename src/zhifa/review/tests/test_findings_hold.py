"""Issue #11 item 5: a legal review recorded as passed while a checklist item says 存在问题
is refused by REVIEW-findings-hold — through the review page and the review API — and
nothing is written. The checklist goes into the case's legal_review step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhifa.cases.models import CaseStep
from zhifa.core.testing import client_for
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest

from .conftest import OPINION, all_ok, complete, state

PROBLEM = "evidence"  # not the crime item: only the engine's rule refuses it


def test_a_passed_review_with_a_problem_is_refused_by_the_api(submitted, ready) -> None:
    before = state(submitted)
    response = client_for(ready.p.reviewer_user).post(
        f"/api/v1/review/requests/{submitted.pk}/complete",
        {
            "on": "2026-03-25",
            "checklist": all_ok(**{PROBLEM: "询问笔录未经当事人签字。"}),
            "opinion": OPINION,
            "result": "passed",
            "expected_steps": submitted.case.steps.count(),
        },
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.json()
    assert "REVIEW-findings-hold" in response.content.decode()
    assert state(submitted) == before


def test_a_passed_review_with_a_problem_is_refused_on_the_page(submitted, ready) -> None:
    before = state(submitted)
    data: dict[str, Any] = {
        "on": "2026-03-25",
        "opinion": OPINION,
        "result": "passed",
        "expected_steps": submitted.case.steps.count(),
    }
    for code in CHECKLIST_CODES:
        data[f"{code}_ok"] = "problem" if code == PROBLEM else "ok"
        data[f"{code}_comment"] = "询问笔录未经当事人签字。" if code == PROBLEM else ""
    response = client_for(ready.p.reviewer_user).post(
        reverse("review:detail", args=[submitted.pk]), data
    )
    assert response.status_code in (200, 400)  # the form again, with the refusal
    assert "REVIEW-findings-hold" in response.content.decode()
    assert state(submitted) == before


def test_the_checklist_and_opinion_go_into_the_step(submitted, ready) -> None:
    complete(submitted, ready.p.reviewer_user)
    step = CaseStep.objects.get(case=ready.case, step="legal_review")
    assert step.data["checklist"] == dict.fromkeys(CHECKLIST_CODES, "ok")
    assert step.data["opinion"] == ReviewRequest.objects.get(pk=submitted.pk).opinion

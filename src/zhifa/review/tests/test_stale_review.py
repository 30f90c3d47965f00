"""A review is written against the case file the reviewer saw (issue #12): when the case
took a step meanwhile, completing the review is refused as a conflict and nothing of it
is written. ``complete_review`` used to pass the case's current step count to the guard,
which made its optimistic-concurrency check always pass."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases import services as case_services
from zhifa.core.testing import client_for
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest

from .conftest import OPINION, D, all_ok, complete, state

pytestmark = pytest.mark.django_db


def _meanwhile(ready) -> int:  # type: ignore[no-untyped-def]
    """The steps the reviewer saw; then an officer adds a step (a later investigation)."""
    seen: int = ready.case.steps.count()
    ready(
        case_services.record_investigation,
        on=D("2026-03-19"),
        officers=[ready.p.o1, ready.p.o2],
        evidence=["documentary"],
    )
    return seen


def test_the_service_refuses_a_review_of_a_stale_case(submitted: ReviewRequest, ready) -> None:  # type: ignore[no-untyped-def]
    seen = _meanwhile(ready)
    before = state(submitted)
    with pytest.raises(case_services.CaseConflict):
        complete(submitted, ready.p.reviewer_user, expected_steps=seen)
    assert state(submitted) == before
    # Against the case as it is now, the review is recorded.
    done = complete(submitted, ready.p.reviewer_user, expected_steps=seen + 1)
    assert done.status == "passed" and done.step is not None and done.step.index == seen + 1


def test_the_api_answers_409_to_a_stale_review(submitted: ReviewRequest, ready) -> None:  # type: ignore[no-untyped-def]
    seen = _meanwhile(ready)
    before = state(submitted)
    response = client_for(ready.p.reviewer_user).post(
        f"/api/v1/review/requests/{submitted.pk}/complete",
        {
            "on": "2026-03-25",
            "checklist": all_ok(),
            "opinion": OPINION,
            "result": "passed",
            "expected_steps": seen,
        },
        content_type="application/json",
    )
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "conflict"
    assert state(submitted) == before


def test_the_page_refuses_a_review_of_a_stale_case(submitted: ReviewRequest, ready) -> None:  # type: ignore[no-untyped-def]
    client = client_for(ready.p.reviewer_user)
    url = reverse("review:detail", args=[submitted.pk])
    shown = client.get(url)
    seen = shown.context["form"]["expected_steps"].value()
    assert seen == ready.case.steps.count()
    _meanwhile(ready)
    before = state(submitted)
    data = {"opinion": OPINION, "result": "passed", "expected_steps": seen}
    for code in CHECKLIST_CODES:
        data[f"{code}_ok"] = "ok"
        data[f"{code}_comment"] = ""
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the conflict
    assert response.context["form"].non_field_errors()
    assert state(submitted) == before

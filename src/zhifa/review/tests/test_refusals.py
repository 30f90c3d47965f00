"""Refusals added after the security and legal reviews: a suspected crime cannot pass
the review (APL Art. 27), no date later than today, ids and offsets the database cannot
hold are a 400 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases import services as case_services
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import client_for
from zhifa.review import services
from zhifa.review.models import ReviewRequest, ReviewStatus

from .conftest import D, all_ok, complete, state

CRIME = "涉案食品货值金额较大，可能构成生产、销售不符合安全标准的食品罪。"
CRIME_OPINION = "本案涉嫌犯罪，应当依法移送司法机关。"
TOO_BIG = 2**70


@pytest.fixture
def tomorrow(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=1)


def test_a_suspected_crime_cannot_pass_the_review(submitted, ready) -> None:
    before = state(submitted)
    with pytest.raises(ValidationError) as exc:
        complete(
            submitted,
            ready.p.reviewer_user,
            checklist=all_ok(crime=CRIME),
            opinion=CRIME_OPINION,
            result="passed",
        )
    # Issue #12: a review with a problem item is not passed — the engine's
    # REVIEW-findings-hold, refused with its ID.
    assert isinstance(exc.value, case_services.RuleViolation)
    assert [f["rule"] for f in exc.value.findings] == ["REVIEW-findings-hold"]
    assert state(submitted) == before
    done = complete(
        submitted,
        ready.p.reviewer_user,
        checklist=all_ok(crime=CRIME),
        opinion=CRIME_OPINION,
        result="returned",
    )
    assert done.status == ReviewStatus.RETURNED


def test_a_suspected_crime_cannot_pass_through_the_api(submitted, ready) -> None:
    before = state(submitted)
    response = client_for(ready.p.reviewer_user).post(
        f"/api/v1/review/requests/{submitted.pk}/complete",
        {
            "on": "2026-03-25",
            "checklist": all_ok(crime=CRIME),
            "opinion": CRIME_OPINION,
            "result": "passed",
            "expected_steps": submitted.case.steps.count(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "REVIEW-findings-hold" in response.content.decode()  # issue #12: the rule's ID
    assert state(submitted) == before


def test_a_review_dated_after_today_is_refused(submitted, ready, tomorrow) -> None:
    before = state(submitted)
    with pytest.raises(ValidationError) as exc:
        complete(submitted, ready.p.reviewer_user, on=tomorrow)
    assert list(exc.value.message_dict) == ["on"]
    assert state(submitted) == before


def test_a_submission_dated_after_today_is_refused(ready, tomorrow) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(
            ready.case, actor=ready.p.officer_user, on=tomorrow, note="拟罚款十五万元。"
        )
    assert list(exc.value.message_dict) == ["on"]
    assert not ReviewRequest.objects.exists()
    response = client_for(ready.p.officer_user).post(
        "/api/v1/review/requests",
        {"case": ready.case.pk, "note": "拟罚款十五万元。", "on": tomorrow.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.on"]
    assert not ReviewRequest.objects.exists()


def _paths(response: Any) -> list[str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return [e["path"] for e in body["errors"]]


def test_ids_and_offsets_beyond_the_database_are_400(submitted, ready) -> None:
    client = client_for(ready.p.reviewer_user)
    assert _paths(client.get(f"/api/v1/review/requests?case={TOO_BIG}")) == ["query.case"]
    assert _paths(client.get("/api/v1/review/requests?case=0")) == ["query.case"]
    assert _paths(client.get(f"/api/v1/review/requests?offset={TOO_BIG}")) == ["query.offset"]
    assert _paths(client.get(f"/api/v1/cases?offset={TOO_BIG}")) == ["query.offset"]
    assert _paths(client.get(f"/api/v1/review/requests/{TOO_BIG}")) == ["path.request_id"]
    complete_url = f"/api/v1/review/requests/{TOO_BIG}/complete"
    assert _paths(client.post(complete_url, {}, content_type="application/json"))[0] == (
        "path.request_id"
    )
    submit = client_for(ready.p.officer_user).post(
        "/api/v1/review/requests",
        {"case": TOO_BIG, "note": "x"},
        content_type="application/json",
    )
    assert _paths(submit) == ["body.case"]
    # The largest offset the database holds is a valid, empty page.
    last = client.get(f"/api/v1/review/requests?offset={2**63 - 1}")
    assert last.status_code == 200 and last.json()["items"] == []
    assert client.get(f"/api/v1/review/requests?case={ready.case.pk}").json()["count"] == 1


def _submit_cases(n: int, organ, power_item, p) -> None:
    """``n`` registered and notified general cases of organ A, each waiting for legal
    review."""
    for _ in range(n):
        case = case_services.open_case(
            organ,
            actor=p.officer_user,
            on=D("2026-03-02"),
            procedure="general",
            power_item=power_item,
            party=cases_conftest.PARTY,
            violation=cases_conftest.VIOLATION,
            basis=cases_conftest.BASIS,
            benchmark=cases_conftest.BENCHMARK,
        )
        case_services.register_case(
            case,
            actor=p.head_user,
            on=D("2026-03-03"),
            by=[p.o1, p.o2],
            expected_steps=case.steps.count(),
        )
        case_services.serve_prior_notice(
            case,
            actor=p.officer_user,
            on=D("2026-03-16"),
            intended=cases_conftest.FINE,
            expected_steps=case.steps.count(),
        )
        services.submit_for_review(case, actor=p.officer_user, on=D("2026-03-20"), note="x")


def _queue_queries(user) -> tuple[int, int]:
    client = client_for(user)
    client.get(reverse("review:queue"))  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


def test_the_queue_query_count_does_not_grow_with_its_rows(organ_a, power_item, people) -> None:
    _submit_cases(2, organ_a, power_item, people)
    few, rows = _queue_queries(people.reviewer_user)
    assert rows == 2
    _submit_cases(8, organ_a, power_item, people)
    many, rows = _queue_queries(people.reviewer_user)
    assert rows == 10
    assert many == few

"""The review API: the same services as the pages, the one error shape, scope."""

from __future__ import annotations

from typing import Any

from zhifa.cases.models import CaseStep
from zhifa.core.testing import client_for
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest

from .conftest import OPINION, all_ok, state


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def body(**kw: Any) -> dict[str, Any]:
    """A review as the page shows it now: ``expected_steps`` is the steps of the tests'
    one case."""
    return {
        "on": "2026-03-25",
        "checklist": all_ok(),
        "opinion": OPINION,
        "result": "passed",
        "expected_steps": CaseStep.objects.count(),
        **kw,
    }


def test_submit_list_and_complete(ready) -> None:
    officer = client_for(ready.p.officer_user)
    created = post(
        officer,
        "/api/v1/review/requests",
        {"case": ready.case.pk, "note": "拟罚款十五万元。", "on": "2026-03-20"},
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    assert created.json()["status"] == "pending"
    reviewer = client_for(ready.p.reviewer_user)
    listed = reviewer.get("/api/v1/review/requests?status=pending").json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    assert listed["items"][0]["case_number"] == ready.case.number
    done = post(reviewer, f"/api/v1/review/requests/{request_id}/complete", body())
    assert done.status_code == 200, done.json()
    out = done.json()
    assert out["status"] == "passed" and out["reviewer_id"] == ready.p.reviewer.pk
    assert set(out["checklist"]) == set(CHECKLIST_CODES) and out["warnings"] == []
    assert out["step_index"] == CaseStep.objects.get(step="legal_review").index
    assert reviewer.get(f"/api/v1/review/requests/{request_id}").json()["status"] == "passed"


def test_a_problem_without_comment_gives_the_field_path(submitted, ready) -> None:
    before = state(submitted)
    checklist = all_ok(evidence="x")
    checklist["evidence"]["comment"] = ""
    response = post(
        client_for(ready.p.reviewer_user),
        f"/api/v1/review/requests/{submitted.pk}/complete",
        body(checklist=checklist, result="failed"),
    )
    assert response.status_code == 400
    error = response.json()
    assert error["status"] == 400 and error["code"] == "invalid"
    assert [e["path"] for e in error["errors"]] == ["body.checklist.evidence.comment"]
    assert state(submitted) == before


def test_a_missing_item_and_a_bad_result_are_named(submitted, ready) -> None:
    checklist = all_ok()
    del checklist["crime"]
    response = post(
        client_for(ready.p.reviewer_user),
        f"/api/v1/review/requests/{submitted.pk}/complete",
        body(checklist=checklist, result="maybe"),
    )
    assert response.status_code == 400
    paths = {e["path"] for e in response.json()["errors"]}
    assert paths == {"body.checklist.crime.ok", "body.result"}


def test_a_suspected_crime_comes_with_the_transfer_warning(submitted, ready) -> None:
    response = post(
        client_for(ready.p.reviewer_user),
        f"/api/v1/review/requests/{submitted.pk}/complete",
        body(
            checklist=all_ok(crime="可能构成犯罪"),
            opinion="涉嫌犯罪，移送司法机关。",
            result="failed",
        ),
    )
    assert response.status_code == 200
    assert [w["rule"] for w in response.json()["warnings"]] == ["APL-27-transfer"]


def test_organ_b_gets_404_and_an_officer_403(submitted, ready, reviewer_b, officer_b) -> None:
    before = state(submitted)
    url = f"/api/v1/review/requests/{submitted.pk}"
    other = client_for(reviewer_b)
    assert other.get("/api/v1/review/requests").json()["items"] == []
    assert other.get(url).status_code == 404
    assert post(other, url + "/complete", body()).json()["status"] == 404
    officer = post(client_for(ready.p.officer_user), url + "/complete", body())
    assert officer.status_code == 403 and officer.json()["code"] == "forbidden"
    submit_b = post(
        client_for(officer_b), "/api/v1/review/requests", {"case": ready.case.pk, "note": "x"}
    )
    assert submit_b.status_code == 404
    assert state(submitted) == before


def test_a_reviewer_cannot_submit_and_duplicates_are_refused(submitted, ready) -> None:
    payload = {"case": ready.case.pk, "note": "x"}
    as_reviewer = post(client_for(ready.p.reviewer_user), "/api/v1/review/requests", payload)
    assert as_reviewer.status_code == 403
    again = post(client_for(ready.p.officer_user), "/api/v1/review/requests", payload)
    assert again.status_code == 400 and again.json()["errors"][0]["path"] == "body"
    assert ReviewRequest.objects.count() == 1


def test_an_unqualified_reviewer_is_refused_by_the_case_service(submitted, ready) -> None:
    from zhifa.registry.models import Officer

    Officer.objects.filter(pk=ready.p.reviewer.pk).update(legal_qualification=False)
    before = state(submitted)
    response = post(
        client_for(ready.p.reviewer_user),
        f"/api/v1/review/requests/{submitted.pk}/complete",
        body(),
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert state(submitted) == before


def test_expected_steps_is_a_strict_integer(submitted, ready) -> None:
    """``true`` and ``"2"`` were taken for 1 and 2 (pydantic's lax mode)."""
    before = state(submitted)
    steps = CaseStep.objects.count()
    for bad in (True, str(steps), float(steps)):
        response = post(
            client_for(ready.p.reviewer_user),
            f"/api/v1/review/requests/{submitted.pk}/complete",
            body(expected_steps=bad),
        )
        assert response.status_code == 400, (bad, response.json())
        assert [e["path"] for e in response.json()["errors"]] == ["body.expected_steps"]
    assert state(submitted) == before

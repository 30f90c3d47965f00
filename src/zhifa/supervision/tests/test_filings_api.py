"""The filings API (NA-major-filing, NA 30): the same rows as the filings page, filing
by the organ's head with the field named on refusal, scope (another organ's head and
another region's supervisor see and file nothing), and nothing written on a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import Walker
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import filing as rule
from zhifa.supervision import filings
from zhifa.supervision.models import Filing

from .test_filings import decided  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MAJORS = "/api/v1/supervision/filings/major-decisions"
QUARTERS = "/api/v1/supervision/filings/quarters"


def post(user: User, url: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(url, body, content_type="application/json")


def test_majors_and_quarters_listed_then_filed_by_the_head(
    decided: Case,  # noqa: F811
    walk: Walker,
    head_a: User,
    supervisor_city: User,
    today: dt.date,
) -> None:
    walk.close("2026-04-08")
    due = rule.filing_due(dt.date(2026, 3, 27), database_calendar()).due
    listed = client_for(supervisor_city).get(MAJORS).json()
    assert listed["count"] == 1
    (row,) = listed["items"]
    assert (row["case_id"], row["status"], row["due_on"], row["filed_on"]) == (
        decided.pk,
        "overdue",
        due.isoformat(),
        None,
    )
    assert row["rule"] == "NA-major-filing" and row["citation"] == rule.CITATION
    assert client_for(supervisor_city).get(MAJORS, {"status": "filed"}).json()["count"] == 0
    quarters = client_for(supervisor_city).get(QUARTERS, {"missing": "true"}).json()
    assert [(q["year"], q["quarter"], q["filing_id"]) for q in quarters["items"]] == [
        (2026, 2, None),
        (2026, 3, None),
    ]

    filed = post(head_a, MAJORS, {"case": decided.pk})
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["kind"] == "major_decision" and body["case_id"] == decided.pk
    assert body["filed_on"] == today.isoformat() and body["due_on"] == due.isoformat()
    assert body["catalogue"] == Filing.objects.get(pk=body["id"]).catalogue
    assert body["catalogue"], "the catalogue lists the case's issued documents"
    again = post(head_a, MAJORS, {"case": decided.pk})
    assert again.status_code == 400 and "case" in again.content.decode()

    quarter = post(head_a, QUARTERS, {"organ": decided.organ_id, "year": 2026, "quarter": 2})
    assert quarter.status_code == 201, quarter.content
    assert [c["case"] for c in quarter.json()["catalogue"]] == [decided.pk]
    one = client_for(supervisor_city).get(f"/api/v1/supervision/filings/{quarter.json()['id']}")
    assert one.status_code == 200 and one.json()["quarter"] == 2

    after = client_for(supervisor_city).get(MAJORS).json()["items"][0]
    assert after["status"] == "late" and after["filed_on"] == today.isoformat()
    assert [(r.case.pk, r.status) for r in filings.major_rows(supervisor_city, today)] == [
        (after["case_id"], after["status"])
    ]
    assert Entry.objects.filter(action=filings.FILE_ACTION).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"organ": 0, "year": 2026, "quarter": 2}, "organ"),
        ({"year": 2026, "quarter": 2}, "organ"),
        ({"organ": 1, "year": 2026, "quarter": 5}, "quarter"),
        ({"organ": 1, "year": 1900, "quarter": 2}, "year"),
        ({"organ": 1, "year": 2026, "quarter": 2, "filed_on": "2026-02-30"}, "filed_on"),
    ],
)
def test_bad_quarter_bodies_name_their_field(
    head_a: User, body: dict[str, Any], field: str
) -> None:
    if body.get("organ") == 1:
        body = {**body, "organ": head_a.organ_id}
    response = post(head_a, QUARTERS, body)
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert not Filing.objects.exists()


def test_refusals_by_the_services_name_the_field(
    walk: Walker, head_a: User, today: dt.date
) -> None:
    # Not a major decision (and no decision yet): the case field.
    response = post(head_a, MAJORS, {"case": walk.case.pk})
    assert response.status_code == 400 and "case" in response.content.decode()
    # The quarter has not ended.
    response = post(head_a, QUARTERS, {"organ": head_a.organ_id, "year": today.year, "quarter": 4})
    assert response.status_code == 400 and "quarter" in response.content.decode()
    # A filing day in the future.
    future = (today + dt.timedelta(days=1)).isoformat()
    response = post(
        head_a, QUARTERS, {"organ": head_a.organ_id, "year": 2026, "quarter": 1, "filed_on": future}
    )
    assert response.status_code == 400 and "filed_on" in response.content.decode()
    assert not Filing.objects.exists()


def test_scope_and_roles(
    decided: Case,  # noqa: F811
    walk: Walker,
    head_a: User,
    officer_a: User,
    supervisor_county_c: User,
    supervisor_city: User,
    organ_b: EnforcementSubject,
) -> None:
    walk.close("2026-04-08")
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b)
    for user in (supervisor_county_c, head_b):
        assert client_for(user).get(MAJORS).json()["count"] == 0
        assert client_for(user).get(QUARTERS).json()["count"] == 0
        assert client_for(user).get(MAJORS, {"organ": decided.organ_id}).json()["count"] == 0
    # Another organ's head: the case and the organ are not found.
    assert post(head_b, MAJORS, {"case": decided.pk}).status_code == 404
    body = {"organ": decided.organ_id, "year": 2026, "quarter": 2}
    assert post(head_b, QUARTERS, body).status_code == 404
    # A supervisor and an officer do not file; an officer does not list.
    assert post(supervisor_city, MAJORS, {"case": decided.pk}).status_code == 403
    assert post(officer_a, QUARTERS, body).status_code == 403
    assert client_for(officer_a).get(MAJORS).status_code == 403
    assert not Filing.objects.exists()
    # A filing of organ A is not found by organ B's head or another region's supervisor.
    filing = filings.file_major_decision(decided, actor=head_a)
    for user in (supervisor_county_c, head_b):
        assert client_for(user).get(f"/api/v1/supervision/filings/{filing.pk}").status_code == 404
    assert (
        client_for(supervisor_city).get(f"/api/v1/supervision/filings/{filing.pk}").status_code
        == 200
    )

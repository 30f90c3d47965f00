"""The read-only case API: the user's scope only, steps, deadlines and the export."""

from __future__ import annotations

from typing import Any

from zhifa.cases import services
from zhifa.core.testing import client_for

from .conftest import D, Walker


def test_the_case_api_shows_the_organs_cases_only(walk: Walker, officer_b: Any) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    client = client_for(walk.p.officer_user)
    listed = client.get("/api/v1/cases").json()
    assert [c["case_id"] for c in listed["items"]] == [walk.case.case_id]
    detail = client.get(f"/api/v1/cases/{walk.case.pk}").json()
    assert [s["step"] for s in detail["steps"]] == ["registered"]
    assert "APL-60-decision-deadline" in [d["rule"] for d in detail["deadlines"]]
    exported = client.get(f"/api/v1/cases/{walk.case.pk}/casefile").json()
    assert exported["format"] == "zhifa-casefile/1" and exported["case_id"] == walk.case.case_id
    other = client_for(officer_b)
    assert other.get("/api/v1/cases").json()["items"] == []
    assert other.get(f"/api/v1/cases/{walk.case.pk}").status_code == 404
    assert other.get(f"/api/v1/cases/{walk.case.pk}/casefile").status_code == 404

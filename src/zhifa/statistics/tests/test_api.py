"""The public statistics API: published snapshots only, every error in the one shape."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from zhifa.accounts.models import User
from zhifa.statistics import services

from .conftest import decision, make_case

D = dt.date


@pytest.mark.django_db
def test_the_published_figures_and_their_lists(
    time_machine, organ_a, organ_b, head_a: User
) -> None:
    make_case(organ_a, head_a, [decision(D(2026, 2, 1), ("fine", 100.5), ("confiscation", 3))])
    make_case(organ_a, head_a, [decision(D(2026, 3, 1), ("warning", None))])
    time_machine.move_to(dt.datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    services.publish(organ_a, 2026, actor=head_a)
    api = Client()  # no login: public
    body = api.get(f"/api/v1/statistics/organs/{organ_a.pk}/2026").json()
    figures = body["figures"]
    assert figures["penalty"]["decisions"] == 2
    assert figures["penalty"]["categories"]["confiscation"] == 1
    assert figures["penalty"]["categories"]["warning"] == 1
    assert figures["penalty"]["fines"] == {"decisions": 1, "amount": "100.50"}
    assert figures["licensing"] is None and body["version"] == 1
    listed = api.get(f"/api/v1/statistics/organs/{organ_a.pk}/2026/lists/penalty").json()
    assert listed["count"] == 2 and len(listed["items"]) == 2
    assert set(listed["items"][0]) == {
        "document_number",
        "organ",
        "date",
        "kind",
        "kind_label",
        "fine",
        "confiscation",
    }
    region = api.get("/api/v1/statistics/regions/330400/2026").json()
    assert region["figures"]["penalty"]["decisions"] == 2
    assert region["not_published"] == [organ_b.name]
    assert api.get("/api/v1/statistics/regions/330400/2026/lists/warning").json()["count"] == 1
    found = api.get("/api/v1/statistics/published?year=2026").json()
    assert [p["organ_id"] for p in found["items"]] == [organ_a.pk]

    def error(url: str, status: int) -> dict[str, object]:
        response = api.get(url)
        assert response.status_code == status, (url, response.content)
        body = response.json()
        assert body["status"] == status
        return body

    error(f"/api/v1/statistics/organs/{organ_b.pk}/2026", 404)  # not published
    error(f"/api/v1/statistics/organs/{organ_a.pk}/2025", 404)
    error(f"/api/v1/statistics/organs/{organ_a.pk}/2026?version=2", 404)
    error(f"/api/v1/statistics/organs/{organ_a.pk}/2026/lists/nothing", 404)
    error("/api/v1/statistics/regions/999999/2026", 404)
    error("/api/v1/statistics/regions/abc/2026", 404)
    bad = error(f"/api/v1/statistics/organs/{organ_a.pk}/1999", 400)
    assert bad["errors"][0]["path"] == "path.year"
    bad = error(f"/api/v1/statistics/organs/{organ_a.pk}/2026?version=0", 400)
    assert bad["errors"][0]["path"] == "query.version"
    error("/api/v1/statistics/published?year=abc", 400)

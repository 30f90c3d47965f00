"""The interference API: multipart recording with the field named on bad input, the
lists, the acknowledgement (409 the second time) and the evaluation figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.core.testing import client_for
from zhifa.rules.engine.interference import INTERFERENCE
from zhifa.supervision.models import Interference

from .conftest import record_kwargs

pytestmark = pytest.mark.django_db


def form(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values = record_kwargs(frozen_clock, **kw)
    values["occurred_at"] = values["occurred_at"].isoformat()
    return values


def test_record_by_api_with_an_attachment(
    general_case: Any, officer_a: Any, head_a: Any, frozen_clock: dt.datetime
) -> None:
    data = form(frozen_clock, person_username="head_a")
    data["file"] = SimpleUploadedFile("note.txt", "他说要关照。".encode(), "text/plain")
    response = client_for(officer_a).post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["rule"] == "NA-interference" and out["citation"] == INTERFERENCE.citation
    assert out["person_name"] == "钱某" and out["intact"] is True
    assert out["attachment_name"] == "note.txt" and out["attachment_size"] == 18
    assert out["recorded_by"] == "officer_a" and out["acknowledgements"] == []
    # The head named in it does not see it.
    assert client_for(head_a).get(f"/api/v1/supervision/interference/{out['id']}").status_code == (
        404
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("source", "x"), ("method", "x"), ("person_name", " "), ("person_username", "nobody")],
)
def test_bad_input_names_the_field(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime, field: str, value: str
) -> None:
    response = client_for(officer_a).post(
        f"/api/v1/cases/{general_case.pk}/interference", form(frozen_clock, **{field: value})
    )
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert not Interference.objects.exists()


def test_a_missing_field_and_a_future_time(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    data = form(frozen_clock)
    del data["request"]
    response = client_for(officer_a).post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 400
    assert any(e["path"].endswith("request") for e in response.json()["errors"])
    future = (frozen_clock + dt.timedelta(days=1)).isoformat()
    response = client_for(officer_a).post(
        f"/api/v1/cases/{general_case.pk}/interference",
        {**form(frozen_clock), "occurred_at": future},
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.occurred_at"]


def test_who_may_record_by_api(
    general_case: Any, colleague: Any, officer_b: Any, frozen_clock: dt.datetime
) -> None:
    url = f"/api/v1/cases/{general_case.pk}/interference"
    assert client_for(colleague).post(url, form(frozen_clock)).status_code == 403
    assert client_for(officer_b).post(url, form(frozen_clock)).status_code == 404
    assert not Interference.objects.exists()


def test_acknowledge_by_api(recorded: Interference, head_a: Any, officer_a: Any) -> None:
    url = f"/api/v1/supervision/interference/{recorded.pk}/acknowledgements"
    head = client_for(head_a)
    first = head.post(url, {"note": "已阅。"}, content_type="application/json")
    assert first.status_code == 201, first.json()
    assert first.json()["role"] == "organ_head"
    again = head.post(url, {"note": "再阅。"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    blank = client_for(officer_a).post(url, {"note": "x"}, content_type="application/json")
    assert blank.status_code == 403
    listed = head.get("/api/v1/supervision/interference?year=2026").json()["items"]
    assert [a["note"] for a in listed[0]["acknowledgements"]] == ["已阅。"]
    assert head.get("/api/v1/supervision/interference?year=2025").json()["items"] == []


def test_counts_by_api(
    recorded: Interference,
    head_a: Any,
    supervisor_city: Any,
    officer_a: Any,
    supervisor_county_c: Any,
) -> None:
    url = f"/api/v1/supervision/interference-counts?organ={recorded.organ_id}&year=2026"
    for user in (head_a, supervisor_city):
        out = client_for(user).get(url)
        assert out.status_code == 200, out.json()
        assert out.json()["records"] == 1 and out.json()["internal"] == 1
        assert out.json()["rule"] == "NA-interference"
    assert client_for(officer_a).get(url).status_code == 403
    assert client_for(supervisor_county_c).get(url).status_code == 404
    bad = client_for(head_a).get("/api/v1/supervision/interference-counts?organ=1&year=x")
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "query.year"


def test_counts_of_the_last_year_and_an_unknown_organ(recorded: Interference, head_a: Any) -> None:
    """Found by the API fuzz: year 9999 was a 500; an organ outside the scope a 404."""
    client = client_for(head_a)
    url = "/api/v1/supervision/interference-counts"
    last = client.get(url, {"organ": recorded.organ_id, "year": 9999})
    assert last.status_code == 200 and last.json()["records"] == 0
    assert client.get(url, {"organ": 10**12, "year": 2026}).status_code == 404

"""The desk API: the same services and policy as the pages, errors in the one shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhifa.complaints import services
from zhifa.complaints.models import ComplaintStatus
from zhifa.core.testing import client_for

from .conftest import FILER_NAME, assign, file_report, fresh

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_desk_api_walks_a_filing(
    units: None, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    filed = file_report()
    c = filed.complaint
    assign(c, officer_a)
    officer = client_for(officer_a)
    listed = officer.get("/api/v1/complaints").json()
    assert listed["count"] == 1 and listed["items"][0]["filer_name"] == FILER_NAME
    assert listed["items"][0]["clock"]["due_on"] == "2026-12-01"
    base = f"/api/v1/complaints/{c.pk}"
    refused = _post(officer, f"{base}/close", {"result": "x"})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert (
        _post(officer, f"{base}/reject", {"reasons": ""}).json()["errors"][0]["path"]
        == "body.reasons"
    )
    assert (
        _post(officer, f"{base}/accept", {"note": "已受理"}).json()["status"]
        == ComplaintStatus.ACCEPTED
    )
    note = _post(officer, f"{base}/progress", {"text": "已核查"})
    assert note.status_code == 201 and note.json()["kind"] == "progress"
    assert _post(officer, f"{base}/close", {"result": "已处理"}).json()["status"] == "closed"
    assert _post(officer, f"{base}/review", {"decision": "reopen", "note": "x"}).status_code == 403
    assert _post(officer, f"{base}/review", {"decision": "maybe", "note": "x"}).status_code == 400
    assert fresh(c).status == ComplaintStatus.CLOSED
    assert officer.get(base).json()["reopened"] is False
    # the filer disputes the result, the supervisor's second look reopens it
    services.dispute(fresh(c), reason="问题仍然存在。")
    reopened = _post(
        client_for(supervisor_city), f"{base}/review", {"decision": "reopen", "note": "请复查。"}
    ).json()
    assert reopened["status"] == ComplaintStatus.ACCEPTED and reopened["reopened"] is True
    assert officer.get(base).json()["reopened"] is True
    public = Client().post(
        "/api/v1/public/complaints/lookup",
        json.dumps({"number": c.number, "code": filed.access_code}),
        content_type="application/json",
    )
    assert public.status_code == 200 and public.json()["reopened"] is True


def test_anonymous_desk_api_is_401(units: None, today: Any) -> None:
    from django.test import Client

    c = file_report().complaint
    assert Client().get("/api/v1/complaints").status_code == 401
    assert _post(Client(), f"/api/v1/complaints/{c.pk}/accept", {"note": ""}).status_code == 401


def test_the_supervisor_reassigns_by_api(
    units: None, officer_a: Any, organ_b: Any, supervisor_city: Any, today: Any
) -> None:
    c = file_report().complaint
    url = f"/api/v1/complaints/{c.pk}/reassign"
    assert (
        _post(client_for(officer_a), url, {"organ_id": organ_b.pk, "reason": "x"}).status_code
        == 403
    )
    missing = _post(client_for(supervisor_city), url, {"organ_id": 999999, "reason": "x"})
    assert missing.status_code == 400 and missing.json()["errors"][0]["path"] == "body.organ_id"
    done = _post(client_for(supervisor_city), url, {"organ_id": organ_b.pk, "reason": "属地管辖。"})
    assert done.status_code == 200 and done.json()["receiving_unit_id"] == organ_b.pk


def test_the_list_costs_the_same_for_more_filings(units: None, officer_a: Any, today: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer_a)
    file_report()
    client.get("/api/v1/complaints")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/complaints").status_code == 200
    for _ in range(4):
        c = file_report().complaint
        _post(client, f"/api/v1/complaints/{c.pk}/accept", {"note": "x"})
    with CaptureQueriesContext(connection) as more:
        assert client.get("/api/v1/complaints").json()["count"] == 5
    assert len(more) == len(few)

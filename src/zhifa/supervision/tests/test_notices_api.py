"""The supervision notices API (SUP-notice): issue (400 naming the field, nothing
written; 403 for an officer), reply (multipart), return and accept (409 out of turn),
and scope (404 for another organ, a supervisor of another region; 401 anonymous)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.testing import client_for
from zhifa.supervision.models import Notice

from .notice_fixtures import api_body, issued

pytestmark = pytest.mark.django_db
__all__ = ["issued"]
URL = "/api/v1/supervision/notices"


def test_the_whole_flow_by_api(
    general_case: Case,
    supervisor_city: User,
    justice_city: Any,
    head_a: User,
    today: dt.date,
) -> None:
    supervisor = client_for(supervisor_city)
    created = supervisor.post(URL, api_body(general_case, today), content_type="application/json")
    assert created.status_code == 201, created.json()
    out = created.json()
    assert out["number"] == f"嘉司监建〔{today.year}〕1号" and out["rule"] == "SUP-notice"
    assert out["reply_due"] == out["deadline"] and out["status"] == "awaiting_reply"
    assert out["cases"] == [general_case.pk] and out["intact"] is True
    head = client_for(head_a)
    early = supervisor.post(f"{URL}/{out['id']}/accept")
    assert early.status_code == 409
    reply = head.post(
        f"{URL}/{out['id']}/replies",
        {
            "text": "已建立台账。",
            "files": [SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        },
    )
    assert reply.status_code == 201, reply.json()
    assert reply.json()["number"].endswith("-复1") and reply.json()["late"] is False
    again = head.post(f"{URL}/{out['id']}/replies", {"text": "再次回复"})
    assert again.status_code == 409
    returned = supervisor.post(
        f"{URL}/{out['id']}/return", {"reasons": " "}, content_type="application/json"
    )
    assert returned.status_code == 400
    assert [e["path"] for e in returned.json()["errors"]] == ["body.reasons"]
    returned = supervisor.post(
        f"{URL}/{out['id']}/return", {"reasons": "缺附件"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    head.post(f"{URL}/{out['id']}/replies", {"text": "补充台账。"})
    accepted = supervisor.post(f"{URL}/{out['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "closed"
    assert [r["decision"] for r in accepted.json()["replies"]] == ["returned", "accepted"]
    listed = head.get(URL, {"status": "closed"}).json()
    assert [n["id"] for n in listed["items"]] == [out["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": "2026-01-01"}, "deadline"),
        ({"findings": ""}, "findings"),
        ({"kind": "order"}, "kind"),
        ({"cases": [999_999]}, "cases"),
        ({"cases": []}, "pattern"),
        ({"organ": 999_999}, "organ"),
    ],
)
def test_bad_input_names_the_field(
    general_case: Case,
    supervisor_city: User,
    justice_city: Any,
    today: dt.date,
    change: dict[str, Any],
    field: str,
) -> None:
    response = client_for(supervisor_city).post(
        URL, api_body(general_case, today, **change), content_type="application/json"
    )
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert not Notice.objects.exists()


def test_scope(
    issued: Notice,
    officer_a: User,
    officer_b: User,
    supervisor_county_c: User,
    general_case: Case,
    today: dt.date,
) -> None:
    assert client_for(officer_a).get(f"{URL}/{issued.pk}").status_code == 200
    for user in (officer_b, supervisor_county_c):
        client = client_for(user)
        assert client.get(f"{URL}/{issued.pk}").status_code == 404
        assert client.get(URL).json()["items"] == []
        assert client.post(f"{URL}/{issued.pk}/replies", {"text": "x"}).status_code == 404
        assert client.post(f"{URL}/{issued.pk}/accept").status_code == 404
    denied = client_for(officer_a).post(
        URL, api_body(general_case, today), content_type="application/json"
    )
    assert denied.status_code == 403
    assert client_for(officer_a).post(f"{URL}/{issued.pk}/accept").status_code == 403
    assert Client().get(URL).status_code == 401
    assert Client().get(f"{URL}/{issued.pk}").status_code == 401

"""Text typed into a filing, a note, a dispute or a review holds no bidirectional control
(U+202E turns what the handler reads around) and no control character but tab and line
breaks: refused naming the field, on the page, in the API and in the service, nothing
written (``core.validation.typed_text_problem``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintNote

from .conftest import assign, file_report, fresh

pytestmark = pytest.mark.django_db

RLO = "\u202e"
BAD = [RLO, "\u200e", "\u200f", "\u202a", "\u202d", "\u2066", "\u2069", "\x1b", "\x07"]
FILING = {
    "category": "food_safety",
    "region": "330400",
    "address": "嘉兴市南湖区某路1号",
    "description": "某饭店出售过期食品。",
    "filer_name": "钱多多",
    "filer_contact": "13800138000",
}


@pytest.mark.parametrize("char", BAD)
@pytest.mark.parametrize("field", ["address", "description", "filer_name", "filer_contact"])
def test_the_filing_service_refuses_it_on_the_field(
    units: None, today: Any, field: str, char: str
) -> None:
    args = {k: v for k, v in FILING.items() if k != "region"}
    args[field] = "某路" + char + "1号"
    with pytest.raises(ValidationError) as refused:
        services.file_complaint(region_code="330400", **args)
    assert list(refused.value.message_dict) == [field]
    assert f"U+{ord(char):04X}" in refused.value.message_dict[field][0]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("field", ["address", "description", "filer_name", "filer_contact"])
def test_the_filing_api_and_page_name_the_field(units: None, today: Any, field: str) -> None:
    client = Client()
    body = {**FILING, field: "金额 " + RLO + "001"}
    api = client.post(
        "/api/v1/public/complaints", json.dumps(body), content_type="application/json"
    )
    assert api.status_code == 400, api.content
    assert [e["path"] for e in api.json()["errors"]] == [f"body.{field}"]
    assert "U+202E" in api.json()["errors"][0]["message"]
    page = client.post(reverse("complaints:file"), body)
    assert page.status_code == 400
    assert page.context["form"].errors[field][0].count("U+202E") == 1
    assert not Complaint.objects.exists()


def test_notes_disputes_and_reviews_refuse_it(
    units: None, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    c = assign(file_report().complaint, officer_a)
    bad = "已处理" + RLO + "完毕"
    calls = [
        ("note", lambda: services.accept(c, actor=officer_a, note=bad)),
        ("reasons", lambda: services.reject(c, actor=officer_a, reasons=bad)),
    ]
    for field, call in calls:
        with pytest.raises(ValidationError) as refused:
            call()
        assert list(refused.value.message_dict) == [field]
    c = services.accept(c, actor=officer_a, note="已受理")
    for field, call in [
        ("text", lambda: services.add_progress(c, actor=officer_a, text=bad)),
        ("result", lambda: services.close(c, actor=officer_a, result=bad)),
    ]:
        with pytest.raises(ValidationError) as refused:
            call()
        assert list(refused.value.message_dict) == [field]
    c = services.close(c, actor=officer_a, result="已处理")
    with pytest.raises(ValidationError) as refused:
        services.dispute(c, reason="没有" + "\u2067" + "解决")
    assert list(refused.value.message_dict) == ["reason"]
    c = services.dispute(c, reason="没有解决")
    with pytest.raises(ValidationError) as refused:
        services.review(c, actor=supervisor_city, decision="reopen", note=bad)
    assert list(refused.value.message_dict) == ["note"]
    assert fresh(c).status == "disputed"
    assert not ComplaintNote.objects.filter(text__contains=RLO).exists()


def test_the_public_dispute_names_the_reason(units: None, officer_a: Any, today: Any) -> None:
    filed = file_report()
    c = services.accept(assign(filed.complaint, officer_a), actor=officer_a)
    services.close(c, actor=officer_a, result="已处理")
    keys = {"number": filed.complaint.number, "code": filed.access_code}
    client = Client()
    api = client.post(
        "/api/v1/public/complaints/dispute",
        json.dumps({**keys, "reason": "没有" + RLO + "解决"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["errors"][0]["path"] == "body.reason"
    page = client.post(reverse("complaints:dispute"), {**keys, "reason": "没有" + RLO + "解决"})
    assert page.status_code == 400 and "U+202E" in page.context["dispute_form"].errors["reason"][0]
    assert fresh(c).status == "closed"

"""Every API error has one JSON shape with a field path and message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhifa.core.management.commands.export_openapi import openapi_json
from zhifa.core.testing import client_for

SHAPE = {"status", "code", "message", "errors"}


@pytest.mark.django_db
class TestApiErrors:
    def test_validation_error_names_the_field(self, officer_a):
        response = client_for(officer_a).get("/api/v1/organs?region=33x")
        assert response.status_code == 400
        body = response.json()
        assert set(body) == SHAPE and body["code"] == "invalid"
        assert body["errors"][0]["path"] == "query.region"
        assert body["errors"][0]["message"]

    def test_bad_enum_value(self, officer_a):
        body = client_for(officer_a).get("/api/v1/organs?subject_type=nonsense").json()
        assert body["status"] == 400 and body["errors"][0]["path"] == "query.subject_type"

    def test_unknown_api_url_is_json_404(self, officer_a):
        response = client_for(officer_a).get("/api/v1/no-such-thing")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and set(response.json()) == SHAPE

    def test_messages_are_chinese_by_default(self, client):
        assert client.get("/api/v1/me").json()["message"] == "请先登录再使用接口。"

    def test_me(self, supervisor_city):
        body = client_for(supervisor_city).get("/api/v1/me").json()
        assert body["role"] == "supervisor" and body["region_code"] == "330400"
        assert body["organ_id"] is None


def test_openapi_document_is_served_and_committed(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert "/api/v1/organs" in served.json()["paths"]
    committed = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(openapi_json()), (
        "docs/openapi.json is out of date: run `make openapi`"
    )


@pytest.mark.django_db
def test_method_not_allowed_keeps_the_shape(officer_a):
    response = client_for(officer_a).delete("/api/v1/organs")
    assert response.status_code == 405
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "path", "zh", "en"),
    [
        ({"year": "x", "quarter": 2}, "body.year", "请填写整数。", "Give a whole number."),
        (
            {"year": 2026, "quarter": 5},
            "body.quarter",
            "取值不能大于 4。",
            "Give a value of at most 4.",
        ),
        (
            {"year": 1900, "quarter": 2},
            "body.year",
            "取值不能小于 1949。",
            "Give a value of at least 1949.",
        ),
        ({"quarter": 2}, "body.year", "此项为必填项。", "This field is required."),
        (
            {"year": 2026, "quarter": 2, "filed_on": "2026-13-01"},
            "body.filed_on",
            "日期须为 YYYY-MM-DD 格式。",
            "Give a date as YYYY-MM-DD.",
        ),
        (
            {"year": 2026, "quarter": 2, "later": 1},
            "body.later",
            "此处不应有该字段。",
            "This field is not expected here.",
        ),
    ],
)
def test_schema_errors_speak_the_users_language(head_a, body, path, zh, en):
    """pydantic's English sentences are translated, the bound filled in (the filings API
    stands for every body: one handler words them all)."""
    body = {"organ": head_a.organ_id, **body}
    url = "/api/v1/supervision/filings/quarters"
    for language, expected in (("zh-hans", zh), ("en", en)):
        client = client_for(head_a)
        client.cookies["django_language"] = language
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        errors = {e["path"]: e["message"] for e in response.json()["errors"]}
        assert errors.get(path) == expected, errors


def test_an_unknown_error_type_keeps_pydantics_words():
    from zhifa.core.api_messages import message

    assert message({"type": "no_such_type", "msg": "Something odd"}) == "Something odd"
    assert message({"type": "value_error", "msg": "Value error, 年份不对"}) == "年份不对"
    # A bound missing from the context: pydantic's sentence, never an empty one.
    assert (
        message({"type": "less_than_equal", "msg": "Input should be ≤ 4"}) == "Input should be ≤ 4"
    )

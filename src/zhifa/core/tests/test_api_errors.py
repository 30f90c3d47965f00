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

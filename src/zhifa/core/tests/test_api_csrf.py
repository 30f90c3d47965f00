"""The API decides authentication before CSRF (issue #10 follow-up): a request with
neither a Bearer token nor a logged-in session is unauthenticated (401); a logged-in
session's unsafe request still needs its CSRF token, and its refusal has the API's
error shape and a translated message instead of django-ninja's "CSRF check Failed"."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.accounts.services import create_api_token

SHAPE = {"status", "code", "message", "errors"}
TOKEN = "a" * 32  # a CSRF secret, as the csrftoken cookie carries it

pytestmark = pytest.mark.django_db


def test_an_anonymous_post_is_unauthenticated() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "unauthenticated"
    assert body["message"] == "请先登录再使用接口。"


def test_an_anonymous_post_with_a_csrf_token_is_unauthenticated_too() -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = TOKEN
    response = client.post(
        "/api/v1/cases", {}, content_type="application/json", HTTP_X_CSRFTOKEN=TOKEN
    )
    assert response.status_code == 401


def test_a_session_post_without_the_csrf_token_is_refused_in_the_api_shape(officer_a) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "forbidden"
    assert "CSRF 令牌" in body["message"] and "Failed" not in body["message"]


def test_a_session_post_with_the_csrf_token_passes(officer_a) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    client.cookies["csrftoken"] = TOKEN
    response = client.post(
        "/api/v1/cases", {}, content_type="application/json", HTTP_X_CSRFTOKEN=TOKEN
    )
    assert response.status_code == 400  # past authentication and CSRF: the body is checked
    assert response.json()["code"] == "invalid"


def test_a_bearer_token_needs_no_csrf_token(officer_a) -> None:
    token = create_api_token(officer_a, "ci", 30).plaintext
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/cases", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_a_session_get_needs_no_csrf_token(officer_a) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    assert client.get("/api/v1/me").status_code == 200

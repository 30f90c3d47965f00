"""``POST /api/v1/audit``: the same audit as the command, for any logged-in user."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.core.testing import client_for
from zhifa.rules.engine.limits import MAX_BYTES

from .conftest import LEGAL_TESTS

URL = "/api/v1/audit"


def post(user: User | None, body: bytes, query: str = "") -> Any:
    from django.test import Client

    client = client_for(user) if user is not None else Client()
    return client.post(URL + query, data=body, content_type="application/json")


@pytest.mark.django_db
def test_the_api_returns_the_same_bytes_as_the_command(officer_a: User) -> None:
    for name in ("spring_festival_notice_breaks", "year_without_schedule"):
        response = post(officer_a, (LEGAL_TESTS / f"{name}.json").read_bytes())
        assert response.status_code == 200
        assert response.content == (LEGAL_TESTS / f"{name}.expected.json").read_bytes()


@pytest.mark.django_db
def test_any_role_may_audit(supervisor_city: User, reviewer_a: User) -> None:
    body = (LEGAL_TESTS / "summary_clean.json").read_bytes()
    for user in (supervisor_city, reviewer_a):
        assert post(user, body).status_code == 200


@pytest.mark.django_db
def test_anonymous_gets_401_in_the_error_shape() -> None:
    response = post(None, b"{}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_as_of_and_lang_query_parameters(officer_a: User) -> None:
    body = (LEGAL_TESTS / "personnel_entrustment_breaks.json").read_bytes()
    response = post(officer_a, body, "?as_of=2026-04-14&lang=en")
    out = io.StringIO()
    path = str(LEGAL_TESTS / "personnel_entrustment_breaks.json")
    call_command("audit", path, "--as-of", "2026-04-14", "--lang", "en", stdout=out)
    assert response.content.decode("utf-8") == out.getvalue()
    assert response.json()["as_of"] == "2026-04-14"
    bad = post(officer_a, body, "?as_of=14.04.2026&lang=fr")
    assert bad.status_code == 400
    assert [e["path"] for e in bad.json()["errors"]] == ["query.as_of", "query.lang"]


@pytest.mark.django_db
def test_invalid_file_gives_400_with_json_paths(officer_a: User, clean_case: Any) -> None:
    clean_case["steps"][3]["on"] = "2025-02-30"
    clean_case["steps"][10]["penalties"][0]["amount"] = "lots"
    del clean_case["format"]
    response = post(officer_a, json.dumps(clean_case, ensure_ascii=False).encode())
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert (body["status"], body["code"]) == (400, "invalid")
    paths = [e["path"] for e in body["errors"]]
    assert paths == ["$.format", "$.steps[10].penalties[0].amount", "$.steps[3].on"]


@pytest.mark.django_db
def test_not_json_gives_400(officer_a: User) -> None:
    response = post(officer_a, b"{oops")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "$"


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_gives_413(officer_a: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post(officer_a, (LEGAL_TESTS / "summary_clean.json").read_bytes())
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["errors"] == [
        {"path": "$", "message": f"the request body is too large: at most {MAX_BYTES} bytes"}
    ]

"""Following a filing: a number no filing has costs the same hashing as a wrong code for
a number that exists (a dummy hash, as Django's ModelBackend does for an unknown user),
on the page, in the API and in the service. Not a timing test: the hasher's calls are
counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services

from .conftest import file_report

pytestmark = pytest.mark.django_db

WRONG_CODE = "0" * 12
UNKNOWN = "JX-2099-99999"


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The passwords the configured hasher hashed (``encode``: making a hash, and
    checking one with the test settings' hasher)."""
    hasher = get_hasher()
    calls: list[str] = []
    real = type(hasher).encode

    def encode(self: Any, password: str, salt: str, *args: Any, **kwargs: Any) -> str:
        calls.append(password)
        return real(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(type(hasher), "encode", encode)
    yield calls


def test_an_unknown_number_hashes_the_code_like_a_wrong_code(
    units: None, today: Any, hashed: list[str]
) -> None:
    number = file_report().complaint.number
    hashed.clear()
    assert services.find_by_code(number, WRONG_CODE) is None
    for_a_wrong_code = len(hashed)
    assert for_a_wrong_code >= 1
    hashed.clear()
    assert services.find_by_code(UNKNOWN, WRONG_CODE) is None
    assert len(hashed) == for_a_wrong_code and hashed == [WRONG_CODE] * len(hashed)


def test_the_follow_page_and_the_api_hash_for_an_unknown_number(
    units: None, today: Any, hashed: list[str]
) -> None:
    number = file_report().complaint.number
    client = Client()

    def page(n: str) -> int:
        hashed.clear()
        answer = client.post(reverse("complaints:follow"), {"number": n, "code": WRONG_CODE})
        assert answer.status_code == 404
        return len(hashed)

    def api(n: str) -> int:
        hashed.clear()
        answer = client.post(
            "/api/v1/public/complaints/lookup",
            json.dumps({"number": n, "code": WRONG_CODE}),
            content_type="application/json",
        )
        assert answer.status_code == 404
        return len(hashed)

    assert page(number) == page(UNKNOWN) >= 1
    assert api(number) == api(UNKNOWN) >= 1

"""Signing in with a case number no case has does the work of a wrong code for a case
that exists: one comparison of the code's digest, and the same queries for the accesses
and their codes (the failure counter that follows a wrong code is the difference, and
the lockout that tells a number exists after MAX_FAILURES is deliberate). Counted, not
timed; on the page and in the API as in the service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifa.cases.tests.conftest import People, Walker
from zhifa.party import services

pytestmark = pytest.mark.django_db

WRONG = "ZZZZ-ZZZZ-ZZZZ"
UNKNOWN = "嘉市监立〔2099〕999号"


def _lookups(number: str) -> list[str]:
    """The SELECTs of one failed sign-in."""
    with CaptureQueriesContext(connection) as done, pytest.raises(services.SignInFailed):
        services.sign_in(number, WRONG)
    return [
        q["sql"].split(" FROM ")[1].split()[0]
        for q in done.captured_queries
        if q["sql"].startswith("SELECT") and " FROM " in q["sql"]
    ][:2]


def test_an_unknown_number_makes_the_same_lookups(notified_walk: Walker, people: People) -> None:
    services.reissue_code(notified_walk.case, actor=people.officer_user)
    known = _lookups(notified_walk.case.registration_number)
    unknown = _lookups(UNKNOWN)
    assert len(known) == 2 and unknown == known, (known, unknown)
    assert "accesscode" in known[1]


def test_the_page_and_the_api_compare_once_for_an_unknown_number(
    notified_walk: Walker, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.reissue_code(notified_walk.case, actor=people.officer_user)
    calls: list[Any] = []
    real = services.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append(a)
        return real(a, b)

    monkeypatch.setattr(services.hmac, "compare_digest", spy)
    client = Client()
    for number in (notified_walk.case.registration_number, UNKNOWN):
        calls.clear()
        page = client.post("/party/", {"number": number, "code": WRONG})
        assert page.status_code == 400 and len(calls) == 2  # current, legacy
        calls.clear()
        api = client.post(
            "/api/v1/party/case",
            json.dumps({"number": number, "code": WRONG}),
            content_type="application/json",
        )
        assert api.status_code == 401 and len(calls) == 2


def test_a_code_printed_before_a_rotation_signs_in_while_its_key_is_kept(
    notified_walk: Walker, people: People
) -> None:
    """Codes are keyed with ``ZHIFA_DIGEST_KEY`` (never ``SECRET_KEY``) and compared under
    every configured key, so a rotation that keeps the old key lets the printed codes
    in; one comparison per key whether or not a case has the number."""
    from django.test import override_settings

    old, new = "old-digest-key-" + "o" * 40, "new-digest-key-" + "n" * 40
    case = notified_walk.case
    with override_settings(ZHIFA_DIGEST_KEY=old):
        code = services.reissue_code(case, actor=people.officer_user)
    with override_settings(SECRET_KEY="rotated-secret-" + "s" * 50, ZHIFA_DIGEST_KEY=old):
        assert services.sign_in(case.registration_number, code)[0].case_id == case.pk
    with override_settings(ZHIFA_DIGEST_KEY=new, ZHIFA_DIGEST_OLD_KEYS=[old]):
        assert services.sign_in(case.registration_number, code)[0].case_id == case.pk
    with (
        override_settings(ZHIFA_DIGEST_KEY=new, ZHIFA_DIGEST_OLD_KEYS=[]),
        pytest.raises(services.SignInFailed),
    ):
        services.sign_in(case.registration_number, code)


def test_each_configured_key_is_compared_for_an_unknown_number_too(
    notified_walk: Walker, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import override_settings

    services.reissue_code(notified_walk.case, actor=people.officer_user)
    calls: list[Any] = []
    real = services.hmac.compare_digest
    monkeypatch.setattr(services.hmac, "compare_digest", lambda a, b: calls.append(a) or real(a, b))
    with override_settings(ZHIFA_DIGEST_OLD_KEYS=["old-digest-key-" + "o" * 40]):
        for number in (notified_walk.case.registration_number, UNKNOWN):
            calls.clear()
            with pytest.raises(services.SignInFailed):
                services.sign_in(number, WRONG)
            assert len(calls) == 3, number  # current, old, legacy (SECRET_KEY)


def test_a_code_printed_before_the_digest_key_existed_still_signs_in(
    notified_walk: Walker, people: People
) -> None:
    """Codes stored before ``ZHIFA_DIGEST_KEY`` were keyed with ``SECRET_KEY`` (the legacy
    key ID): they sign in while ``SECRET_KEY`` is unchanged, not after it is rotated."""
    from django.test import override_settings

    from zhifa.core.services import LEGACY_KEY_ID
    from zhifa.party.models import AccessCode

    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    row = AccessCode.objects.filter(access__case=case).order_by("-pk").first()
    assert row is not None
    AccessCode.objects.filter(pk=row.pk).update(digest=services.digest(code, LEGACY_KEY_ID))
    assert services.sign_in(case.registration_number, code)[0].case_id == case.pk
    with (
        override_settings(SECRET_KEY="rotated-secret-" + "s" * 50),
        pytest.raises(services.SignInFailed),
    ):
        services.sign_in(case.registration_number, code)

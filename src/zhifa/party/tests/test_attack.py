"""Adversarial checks of the party's view (issue #16 item 6, attack pass): the party's
acting user never signs in as staff (even if an administrator activates it), the
session is new on sign-in, the forms need their CSRF token, the rate limit ignores a
forged X-Forwarded-For, odd input and odd ids are clear errors (never a 500), a second
hearing request or rating is refused cleanly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts import services as accounts
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import People, Walker
from zhifa.party import services
from zhifa.party.models import ConductRating, PartyAccess

from .conftest import decided

pytestmark = pytest.mark.django_db

SIGN_IN = "/party/"
CASE = "/party/case/"


def _signed_in(case: Case, code: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(SIGN_IN, {"number": case.registration_number, "code": code})
    assert response.status_code == 302 and response["Location"] == CASE
    return client


def _api(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post("/api/v1" + path, json.dumps(body), content_type="application/json")


def _activated_principal(case: Case, people: People) -> Any:
    services.reissue_code(case, actor=people.officer_user)
    principal = PartyAccess.objects.get(case=case).principal
    # An administrator (by mistake, or a hostile one) activates the party's acting user
    # and gives it a password in the administration site.
    principal.is_active = True
    principal.set_password("Party-pass-2026!")
    principal.save()
    return principal


def test_an_activated_party_user_still_cannot_sign_in_as_staff(
    notified_walk: Walker, people: People
) -> None:
    principal = _activated_principal(notified_walk.case, people)
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": principal.username, "password": "Party-pass-2026!"},
    )
    assert "_auth_user_id" not in client.session
    # A session that holds the party user (however it got there) is not a signed-in user.
    forced = Client()
    forced.force_login(principal, backend="zhifa.accounts.backends.RoleBackend")
    assert forced.get("/api/v1/cases").status_code == 401


def test_an_api_token_of_the_party_user_is_refused(notified_walk: Walker, people: People) -> None:
    principal = _activated_principal(notified_walk.case, people)
    token = accounts.create_api_token(principal, "x", 30)
    assert accounts.authenticate_api_token(token.plaintext) is None
    response = Client().get(
        f"/api/v1/cases/{notified_walk.case.pk}",
        HTTP_AUTHORIZATION=f"Bearer {token.plaintext}",
    )
    assert response.status_code == 401


def test_sign_in_gives_a_new_session(notified_walk: Walker, people: People) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = Client()
    client.get(SIGN_IN)
    session = client.session
    session["planted"] = "1"
    session.save()
    before = session.session_key
    _signed_in(notified_walk.case, code, client)
    assert client.session.session_key != before


def test_the_party_forms_need_the_csrf_token(walk: Walker, people: People) -> None:
    decided(walk)
    code = services.reissue_code(walk.case, actor=people.officer_user)
    client = Client(enforce_csrf_checks=True)
    page = client.get(SIGN_IN)
    token = page.cookies["csrftoken"].value
    signed = client.post(
        SIGN_IN,
        {"number": walk.case.registration_number, "code": code, "csrfmiddlewaretoken": token},
    )
    assert signed.status_code == 302
    for url, data in (
        ("/party/case/statement/", {"statement": "陈述"}),
        ("/party/case/hearing/", {"confirm": "on"}),
        ("/party/case/consent/", {"signed_name": "张三", "address": "a@b.cn", "agree": "on"}),
        ("/party/case/consent/withdraw/", {"signed_name": "张三", "confirm": "on"}),
        ("/party/case/rating/", {"score": "1"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert not ConductRating.objects.exists()


def test_a_forged_forwarded_for_does_not_reset_the_rate_limit(settings: Any, db: None) -> None:
    settings.ZHIFA_PARTY_RATE_LIMIT = 2
    client = Client()
    answers = [
        client.post(
            SIGN_IN,
            {"number": "x", "code": "0000-0000-0000"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
            HTTP_X_REAL_IP=f"10.0.1.{i}",
        ).status_code
        for i in range(3)
    ]
    assert answers == [400, 400, 429]


def test_number_spelled_with_spaces_still_counts_towards_the_lock(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    number = case.registration_number
    for spelled in (number, f" {number}", f"{number} ", f"\t{number}\n", f"  {number}  "):
        with pytest.raises(services.SignInFailed):
            services.sign_in(spelled, "0000-0000-0000")
    with pytest.raises(services.SignInFailed) as locked:
        services.sign_in(number, code)
    assert locked.value.locked_until is not None


@pytest.mark.parametrize(
    "body",
    [
        {"statement": "陈述\x00申辩"},
        {"statement": "陈\x1b[31m述"},
        {"statement": "x" * (services.STATEMENT_MAX + 1)},
        {"statement": "   "},
    ],
)
def test_odd_statements_in_the_api_name_the_field(
    notified_walk: Walker, people: People, body: dict[str, str]
) -> None:
    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    response = _api(
        Client(),
        "/party/case/statement",
        {"number": case.registration_number, "code": code, **body},
    )
    assert response.status_code == 400, response.content[:300]
    assert "body.statement" in [e["path"] for e in response.json()["errors"]], response.json()
    assert not case.steps.filter(step="statement").exists()


@pytest.mark.parametrize(
    "creds",
    [
        {"number": "\x00", "code": "\x00"},
        {"number": "案" * 65, "code": "x"},
        {"number": 1, "code": []},
    ],
)
def test_odd_credentials_in_the_api_are_400_or_401(db: None, creds: dict[str, Any]) -> None:
    response = _api(Client(), "/party/case", creds)
    assert response.status_code in (400, 401), response.content[:300]


def test_odd_statement_on_the_page_is_a_field_error(notified_walk: Walker, people: People) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = _signed_in(notified_walk.case, code)
    for text in ("陈述\x00申辩", "😀" * 10 + "\u202e", "x" * (services.STATEMENT_MAX + 1)):
        response = client.post("/party/case/statement/", {"statement": text})
        assert response.status_code in (302, 400), (text[:10], response.status_code)


def test_a_second_hearing_request_is_refused_cleanly(notified_walk: Walker, people: People) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = _signed_in(notified_walk.case, code)
    assert client.post("/party/case/hearing/", {"confirm": "on"}).status_code == 302
    again = client.post("/party/case/hearing/", {"confirm": "on"})
    assert again.status_code == 400
    assert "您已于2026-11-24申请听证" in again.content.decode()
    api = _api(
        Client(),
        "/party/case/hearing-request",
        {"number": notified_walk.case.registration_number, "code": code},
    )
    assert api.status_code == 409, api.content[:300]
    assert "2026-11-24" in api.json()["message"]
    assert notified_walk.case.steps.filter(step="hearing_requested").count() == 1


def test_rating_before_the_decision_and_twice_on_the_page(walk: Walker, people: People) -> None:
    from .conftest import notify

    notify(walk)
    code = services.reissue_code(walk.case, actor=people.officer_user)
    client = _signed_in(walk.case, code)
    assert client.post("/party/case/rating/", {"score": "5"}).status_code == 400
    assert not ConductRating.objects.exists()


def test_rating_twice_on_the_page(walk: Walker, people: People) -> None:
    decided(walk)
    code = services.reissue_code(walk.case, actor=people.officer_user)
    client = _signed_in(walk.case, code)
    assert client.post("/party/case/rating/", {"score": "5"}).status_code == 302
    assert client.post("/party/case/rating/", {"score": "1"}).status_code == 400
    assert ConductRating.objects.get().score == 5


@pytest.mark.parametrize(
    "url",
    [
        "/party/case/documents/99999999999999999999/",
        "/party/case/documents/9223372036854775808/",
    ],
)
def test_a_huge_document_id_is_404(notified_walk: Walker, people: People, url: str) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = _signed_in(notified_walk.case, code)
    assert client.get(url).status_code == 404


def test_a_huge_case_id_on_the_reissue_page_is_404(people: People) -> None:
    from zhifa.core.testing import client_for

    client = client_for(people.officer_user)
    assert client.get("/party/organ/cases/99999999999999999999/code/").status_code == 404


def test_consents_are_bounded_like_the_partys_other_filings(
    notified_walk: Walker, people: People
) -> None:
    """Every consent is a row and an entry in the organ's chain; a signed-in party (or a
    script holding its code) must not add them without end."""
    import datetime as dt

    from zhifa.party.models import ServiceConsent

    services.reissue_code(notified_walk.case, actor=people.officer_user)
    access = PartyAccess.objects.get(case=notified_walk.case)
    today = dt.date(2026, 11, 24)
    refused = 0
    for i in range(services.MAX_PARTY_STEPS + 5):
        try:
            services.give_consent(
                access, signed_name="张三", address=f"a{i}@b.cn", agreed=True, today=today
            )
        except services.ValidationError:
            refused += 1
    assert ServiceConsent.objects.filter(access=access).count() <= services.MAX_PARTY_STEPS
    assert refused == 5


def test_a_body_over_the_upload_limit_is_413_not_500(db: None, settings: Any) -> None:
    """The party's API is public: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is the
    client's error, answered in the one error shape."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"number": "x", "code": "y", "statement": "陈" * 2000}
    response = _api(Client(), "/party/case/statement", body)
    assert response.status_code == 413, response.content[:300]
    assert response.json()["code"] == "too_large"


def test_the_party_users_are_not_in_the_administration_site(
    notified_walk: Walker, people: People
) -> None:
    """The acting user carries the party's name: it is not an account an administrator
    lists, opens, activates or gives a password."""
    from zhifa.accounts.models import Role
    from zhifa.core.testing import client_for, make_user

    services.reissue_code(notified_walk.case, actor=people.officer_user)
    principal = PartyAccess.objects.get(case=notified_walk.case).principal
    admin = make_user("platform_admin", Role.ADMINISTRATOR)
    client = client_for(admin)
    listed = client.get("/admin/accounts/user/")
    assert listed.status_code == 200
    assert principal.username not in listed.content.decode()
    searched = client.get("/admin/accounts/user/", {"q": principal.full_name[:4]})
    assert principal.username not in searched.content.decode()
    opened = client.get(f"/admin/accounts/user/{principal.pk}/change/")
    assert opened.status_code in (302, 404)

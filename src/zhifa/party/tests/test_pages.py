"""The party's pages and API: sign-in (CSRF, rate limit, wrong code), one case per
session, expiry, re-issue ending the session, the acts on the page, the served documents,
and nothing of another case or of the organ's internal work shown."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services as cases
from zhifa.cases.documents import render_document
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import D, People, Walker
from zhifa.core.testing import FROZEN_NOW, client_for
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.party import services

from .conftest import decided

pytestmark = pytest.mark.django_db

SIGN_IN = "/party/"
CASE = "/party/case/"


def _signed_in(case: Case, code: str) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"number": case.registration_number, "code": code})
    assert response.status_code == 302 and response["Location"] == CASE
    return client


def test_the_urls() -> None:
    assert reverse("party:sign_in") == SIGN_IN and reverse("party:case") == CASE


def test_sign_in_page_is_public_and_wrong_code_is_a_clear_error(
    notified_walk: Walker, people: People
) -> None:
    services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = Client()
    page = client.get(SIGN_IN)
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    wrong = client.post(
        SIGN_IN, {"number": notified_walk.case.registration_number, "code": "0000-0000-0000"}
    )
    assert wrong.status_code == 400
    assert "案号或者查询码不正确" in wrong.content.decode() or (
        "The case number or the access code is wrong." in wrong.content.decode()
    )
    assert client.get(CASE)["Location"] == SIGN_IN
    empty = client.post(SIGN_IN, {"number": "", "code": ""})
    assert empty.status_code == 400


def test_sign_in_needs_the_csrf_token(notified_walk: Walker, people: People) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        SIGN_IN, {"number": notified_walk.case.registration_number, "code": code}
    )
    assert response.status_code == 403


def test_sign_in_is_rate_limited_per_client(
    notified_walk: Walker, people: People, settings: Any
) -> None:
    settings.ZHIFA_PARTY_RATE_LIMIT = 2
    client = Client()
    answers = [
        client.post(SIGN_IN, {"number": "x", "code": "0000-0000-0000"}).status_code
        for _i in range(3)
    ]
    assert answers == [400, 400, 429]


def test_the_case_page_shows_this_case_only(
    notified_walk: Walker, other_case: Case, people: People
) -> None:
    case = notified_walk.case
    case.party_name = "甲方公司"
    Case.objects.filter(pk=case.pk).update(party_name="甲方公司")
    Case.objects.filter(pk=other_case.pk).update(party_name="乙方公司")
    code = services.reissue_code(case, actor=people.officer_user)
    services.reissue_code(other_case, actor=people.officer_user)
    client = _signed_in(case, code)
    page = client.get(CASE)
    html = page.content.decode()
    assert page.status_code == 200
    assert case.registration_number in html and "甲方公司" in html
    assert other_case.registration_number not in html and "乙方公司" not in html
    assert "APL-64-hearing-request" in html and "2026-11-27" in html
    # the officers by name and certificate only (no phone, no ID number, no username)
    assert people.o1.name in html
    assert people.officer_user.username not in html
    assert 'name="viewport"' in html  # the portal's mobile layout
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def test_internal_content_is_not_shown(walk: Walker, people: People) -> None:
    walk.until_review()  # legal review and collective discussion
    review = walk.case.steps.get(step="legal_review")
    review.data = {**review.data, "content": {"opinion": "内部审核意见机密"}}
    review.save(update_fields=["data"])
    code = services.reissue_code(walk.case, actor=people.officer_user)
    html = _signed_in(walk.case, code).get(CASE).content.decode()
    assert "内部审核意见机密" not in html
    assert walk.p.reviewer.name not in html


def test_the_party_files_its_statement_on_the_page_and_the_case_page_shows_it(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    response = client.post("/party/case/statement/", {"statement": "我方对事实无异议。"})
    assert response.status_code == 302
    step = case.steps.get(step="statement")
    assert step.actor.role == "party"
    staff = client_for(people.officer_user).get(reverse("cases:detail", args=[case.pk]))
    assert f'id="by-party-{step.index}"' in staff.content.decode()


def test_a_refused_hearing_request_shows_the_rule(walk: Walker, people: People) -> None:
    from .conftest import notify

    notify(walk, on="2026-11-10")
    client = _signed_in(walk.case, services.reissue_code(walk.case, actor=people.officer_user))
    page = client.get(CASE).content.decode()
    assert 'action="/party/case/hearing/' not in page and "APL-64-hearing-request" in page
    response = client.post("/party/case/hearing/", {"confirm": "on"})  # posted anyway
    assert response.status_code == 400
    assert "APL-64-hearing-request" in response.content.decode()
    assert not walk.case.steps.filter(step="hearing_requested").exists()


def test_reissue_ends_the_open_session(notified_walk: Walker, people: People) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    assert client.get(CASE).status_code == 200
    services.reissue_code(case, actor=people.officer_user)
    assert client.get(CASE)["Location"] == SIGN_IN


def test_the_session_expires(notified_walk: Walker, people: People, time_machine: Any) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    time_machine.move_to(FROZEN_NOW + dt.timedelta(minutes=31), tick=False)
    assert client.get(CASE)["Location"] == SIGN_IN


def test_the_party_downloads_its_served_documents_only(
    notified_walk: Walker, other_case: Case, people: People
) -> None:
    case = notified_walk.case
    mine = render_document(case, DocumentType.PRIOR_NOTICE, actor=people.officer_user)
    theirs = render_document(other_case, DocumentType.PRIOR_NOTICE, actor=people.officer_user)
    internal = render_document(case, DocumentType.REGISTRATION_APPROVAL, actor=people.officer_user)
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    html = client.get(CASE).content.decode()
    assert f"/party/case/documents/{mine.pk}/" in html
    assert f"/party/case/documents/{internal.pk}/" not in html
    pdf = client.get(f"/party/case/documents/{mine.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/party/case/documents/{theirs.pk}/").status_code == 404
    assert client.get(f"/party/case/documents/{internal.pk}/").status_code == 404
    assert IssuedDocument.objects.count() == 3


def test_reissue_page_is_for_the_organs_officers(
    notified_walk: Walker, people: People, officer_b: Any
) -> None:
    url = reverse("party:reissue", args=[notified_walk.case.pk])
    assert client_for(officer_b).get(url).status_code == 404
    assert Client().get(url).status_code in (302, 403)
    page = client_for(people.officer_user).post(url)
    assert page.status_code == 200
    code = page.context["code"]
    services.sign_in(notified_walk.case.registration_number, code)


def test_rating_and_consent_on_the_page(walk: Walker, people: People) -> None:
    decided(walk)
    client = _signed_in(walk.case, services.reissue_code(walk.case, actor=people.officer_user))
    assert client.post("/party/case/rating/", {"score": "9"}).status_code == 400
    assert client.post("/party/case/rating/", {"score": "5", "comment": "好"}).status_code == 302
    assert client.post("/party/case/rating/", {"score": "1"}).status_code == 400
    bad = client.post("/party/case/consent/", {"signed_name": "张三", "address": ""})
    assert bad.status_code == 400
    good = client.post(
        "/party/case/consent/", {"signed_name": "张三", "address": "a@b.cn", "agree": "on"}
    )
    assert good.status_code == 302
    # the officer who records the service sees it on the case page
    staff = client_for(people.officer_user).get(reverse("cases:detail", args=[walk.case.pk]))
    assert (
        'id="electronic-consent"' in staff.content.decode() and "a@b.cn" in staff.content.decode()
    )


# --- the API ---------------------------------------------------------------------------------


def _api(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_api_view_and_errors(notified_walk: Walker, other_case: Case, people: People) -> None:
    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    client = Client()
    ok = _api(client, "/party/case", {"number": case.registration_number, "code": code})
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["number"] == case.registration_number
    assert [d["rule"] for d in body["deadlines"]] == ["APL-64-hearing-request"]
    assert body["may_state"] is True and body["money"] is None
    wrong = _api(client, "/party/case", {"number": other_case.registration_number, "code": code})
    assert wrong.status_code == 401 and wrong.json()["code"] == "wrong_code"
    bad = _api(client, "/party/case", {"number": case.registration_number})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_the_api_files_a_statement_and_refuses_a_late_hearing(walk: Walker, people: People) -> None:
    from .conftest import notify

    notify(walk, on="2026-11-10")
    case = walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    client = Client()
    filed = _api(
        client,
        "/party/case/statement",
        {"number": case.registration_number, "code": code, "statement": "陈述"},
    )
    assert filed.status_code == 201, filed.content
    assert filed.json()["step"] == "statement" and filed.json()["by_party"] is True
    late = _api(
        client, "/party/case/hearing-request", {"number": case.registration_number, "code": code}
    )
    assert late.status_code == 422
    assert late.json()["errors"] == [{"path": "rule", "message": "APL-64-hearing-request"}]


def test_the_api_is_rate_limited(settings: Any, db: None) -> None:
    settings.ZHIFA_PARTY_RATE_LIMIT = 1
    client = Client()
    first = _api(client, "/party/case", {"number": "x", "code": "y"})
    second = _api(client, "/party/case", {"number": "x", "code": "y"})
    assert (first.status_code, second.status_code) == (401, 429)
    assert second.json()["code"] == "rate_limited"


def test_the_decided_case_in_the_api(walk: Walker, people: People) -> None:
    decided(walk)
    walk(cases.record_payment, on=D("2026-04-01"), amount=50000)
    code = services.reissue_code(walk.case, actor=people.officer_user)
    body = _api(
        Client(), "/party/case", {"number": walk.case.registration_number, "code": code}
    ).json()
    assert body["money"]["paid"] == "50000" or float(body["money"]["paid"]) == 50000
    assert {d["rule"] for d in body["deadlines"]} >= {"APL-67-payment", "REMEDY-periods"}
    assert body["decided"] is True and body["rated"] is None

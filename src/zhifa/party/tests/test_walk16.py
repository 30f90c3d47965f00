"""The findings of the walk of issue #16 on the party's view: the consent's address is an
e-mail address or a mainland mobile number, a new consent supersedes the one in force
and a withdrawal ends it (each the party's recorded act); the hearing request needs a
confirmation and, once made, the page says when; the party's documents are the ones its
case's steps numbered, issued or not; the payment deadline says why it is not set; the
rating's scale has words; the demo prints codes a visitor can sign in with."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.cases import services as cases
from zhifa.cases.documents import render_document
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import D, People, Walker
from zhifa.core.testing import client_for
from zhifa.documents.models import DocumentType
from zhifa.party import queries, services
from zhifa.party.models import PartyAccess, ServiceConsent
from zhifa.records.models import Entry
from zhifa.records.verification import verify_chain

from .conftest import decided

pytestmark = pytest.mark.django_db

CASE = "/party/case/"
CONSENT = "/party/case/consent/"
WITHDRAW = "/party/case/consent/withdraw/"
HEARING = "/party/case/hearing/"


def _signed_in(case: Case, code: str) -> Client:
    client = Client()
    response = client.post("/party/", {"number": case.registration_number, "code": code})
    assert response.status_code == 302
    return client


def _access(walk: Walker) -> PartyAccess:
    services.reissue_code(walk.case, actor=walk.p.officer_user)
    return PartyAccess.objects.select_related("case__organ", "principal").get(case=walk.case)


def _api(body: dict[str, Any], path: str = "/party/case") -> Any:
    return Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_urls() -> None:
    assert reverse("party:consent") == CONSENT
    assert reverse("party:withdraw_consent") == WITHDRAW
    assert reverse("party:hearing") == HEARING


# --- the consent's address --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("zhangsan@example.cn", "zhangsan@example.cn"),
        ("  a@b.cn ", "a@b.cn"),
        ("13800000000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("008619912345678", "19912345678"),
        ("１３８００００００００", "13800000000"),  # full-width digits
    ],
)
def test_an_email_address_or_a_mobile_number_is_an_address(typed: str, stored: str) -> None:
    assert services.service_address(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "not-an-address",
        "a@",
        "@example.cn",
        "a b@example.cn",
        "1380000000",  # 10 digits
        "138000000001",  # 12 digits
        "12800000000",  # no mobile network begins 12
        "0573-82000000",  # a landline
        "86 12800000000",
        "嘉兴市南湖区某某路88号",
    ],
)
def test_anything_else_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.service_address(typed)
    assert (
        "电子送达地址" in refused.value.messages[0]
        or "Electronic address" in (refused.value.messages[0])
    )


def test_the_service_refuses_a_bad_address_and_writes_nothing(
    notified_walk: Walker, today: dt.date
) -> None:
    access = _access(notified_walk)
    with pytest.raises(ValidationError) as refused:
        services.give_consent(
            access, signed_name="张三", address="not-an-address", today=today, agreed=True
        )
    assert set(refused.value.message_dict) == {"address"}
    assert not ServiceConsent.objects.exists()
    assert not Entry.objects.filter(action="party.consent").exists()
    consent = services.give_consent(
        access, signed_name="张三", address="+86 138-0000-0000", today=today, agreed=True
    )
    assert consent.address == "13800000000"


def test_the_page_refuses_a_bad_address_at_its_field(notified_walk: Walker, people: People) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    page = client.post(
        CONSENT,
        {"signed_name": "浙江禾丰食品有限公司 王某", "address": "not-an-address", "agree": "on"},
    )
    assert page.status_code == 400
    assert page.context["consent_form"].errors.keys() == {"address"}
    html = page.content.decode()
    assert 'id="id_address-error"' in html and "电子送达地址：请填写电子邮箱" in html
    assert 'aria-describedby="id_address-error"' in html
    assert not ServiceConsent.objects.exists()


# --- superseding and withdrawing ----------------------------------------------------------------


def test_a_new_consent_supersedes_and_a_withdrawal_ends_it(
    notified_walk: Walker, today: dt.date
) -> None:
    access = _access(notified_walk)
    first = services.give_consent(
        access, signed_name="张三", address="a@b.cn", today=today, agreed=True
    )
    second = services.give_consent(
        access, signed_name="张三", address="13800000000", today=today, agreed=True
    )
    assert access.current_consent() == second and services.has_consent(access.case)
    entry = Entry.objects.filter(action="party.consent").order_by("pk").last()
    assert entry is not None and json.loads(entry.payload)["supersedes"] == first.pk
    view = queries.party_view(access, today)
    assert view.consents == [second] and view.consent_history == [first, second]
    withdrawal = services.withdraw_consent(access, signed_name="张三", today=today)
    assert withdrawal.withdrawn and withdrawal.address == ""
    assert access.current_consent() is None and not services.has_consent(access.case)
    entry = Entry.objects.get(action="party.consent_withdrawn")
    assert entry.actor_id == access.principal_id
    payload = json.loads(entry.payload)
    assert payload["withdraws"] == second.pk and payload["consent"] == withdrawal.pk
    with pytest.raises(ValidationError):
        services.withdraw_consent(access, signed_name="张三", today=today)
    with pytest.raises(ValidationError) as unsigned:
        services.withdraw_consent(access, signed_name=" ", today=today)
    assert set(unsigned.value.message_dict) == {"signed_name"}
    # consenting again after a withdrawal
    third = services.give_consent(
        access, signed_name="张三", address="c@d.cn", today=today, agreed=True
    )
    assert access.current_consent() == third
    report = verify_chain(notified_walk.case.organ, files=False)
    assert report.problem is None, report.problem


def test_change_and_withdraw_on_the_page_and_what_the_officer_sees(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    staff_page = reverse("cases:detail", args=[case.pk])
    staff = client_for(people.officer_user)
    assert (
        client.post(
            CONSENT, {"signed_name": "张三", "address": "old@example.cn", "agree": "on"}
        ).status_code
        == 302
    )
    html = client.get(CASE).content.decode()
    assert 'id="withdraw-form"' in html and "更改送达地址" in html
    assert (
        client.post(
            CONSENT, {"signed_name": "张三", "address": "new@example.cn", "agree": "on"}
        ).status_code
        == 302
    )
    html = client.get(CASE).content.decode()
    assert "new@example.cn" in html and "old@example.cn" in html  # the history
    assert html.count("已失效") == 1 and html.count(">有效<") == 1
    officer = staff.get(staff_page).content.decode()
    assert "new@example.cn" in officer and "old@example.cn" not in officer
    body = {
        "number": case.registration_number,
        "code": services.reissue_code(case, actor=people.officer_user),
    }
    client = _signed_in(case, body["code"])
    assert _api(body).json()["electronic_service_consent"] is True
    # the withdrawal needs its confirmation and a signature
    unconfirmed = client.post(WITHDRAW, {"signed_name": "张三"})
    assert unconfirmed.status_code == 400
    assert unconfirmed.context["withdraw_form"].errors.keys() == {"confirm"}
    assert client.post(WITHDRAW, {"signed_name": "张三", "confirm": "on"}).status_code == 302
    html = client.get(CASE).content.decode()
    assert "撤回电子送达同意，签名“张三”" in html
    assert 'id="withdraw-form"' not in html and "签署确认书" in html
    assert 'id="electronic-consent"' not in staff.get(staff_page).content.decode()
    assert _api(body).json()["electronic_service_consent"] is False
    # nothing left to withdraw: a clear error, not a 500
    again = client.post(WITHDRAW, {"signed_name": "张三", "confirm": "on"})
    assert again.status_code == 400 and "您没有可撤回的电子送达同意" in again.content.decode()


# --- the hearing request ------------------------------------------------------------------------


def test_the_hearing_request_needs_its_confirmation_then_shows_its_day(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    html = client.get(CASE).content.decode()
    assert 'id="hearing-form"' in html and 'name="confirm"' in html
    unconfirmed = client.post(HEARING, {})
    assert unconfirmed.status_code == 400
    assert unconfirmed.context["hearing_form"].errors.keys() == {"confirm"}
    assert "请勾选确认后再申请听证" in unconfirmed.content.decode()
    assert not case.steps.filter(step="hearing_requested").exists()
    assert client.post("/party/case/statement/", {"statement": "我方无异议。"}).status_code == 302
    assert client.post(HEARING, {"confirm": "on"}).status_code == 302
    assert case.steps.filter(step="hearing_requested").count() == 1
    html = client.get(CASE).content.decode()
    acts = html[html.index('id="party-acts"') :]
    acts = acts[: acts.index("</ul>")]
    assert "2026-11-24</span> 您提交了陈述和申辩" in acts
    assert "2026-11-24</span> 您申请了听证" in acts
    assert 'id="hearing-form"' not in html and "不能办理“申请听证”" not in html


def test_a_hearing_request_recorded_by_the_organ_is_shown_and_not_asked_again(
    notified_walk: Walker, people: People, today: dt.date
) -> None:
    notified_walk(cases.request_hearing, on=today)
    access = _access(notified_walk)
    view = queries.party_view(access, today)
    assert not view.may_request_hearing and view.hearing_requested_on == today
    assert [(a.act, a.by_party) for a in view.acts] == [("hearing_requested", False)]
    with pytest.raises(services.PartyRefusal) as refused:
        services.request_hearing(access, today=today)
    assert today.isoformat() in refused.value.text
    body = {
        "number": notified_walk.case.registration_number,
        "code": services.reissue_code(notified_walk.case, actor=people.officer_user),
    }
    answer = _api(body, "/party/case/hearing-request")
    assert answer.status_code == 409 and today.isoformat() in answer.json()["message"]


# --- documents and the payment deadline ------------------------------------------------------


def test_the_numbered_documents_are_listed_issued_or_not(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    notice = case.steps.get(step="prior_notice")
    assert notice.document_number
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    html = client.get(CASE).content.decode()
    section = html[html.index('id="documents"') :]
    section = section[: section.index("</section>")]
    assert notice.document_number in section and "行政处罚事先告知书" in section
    assert "本平台尚无该文书的电子文本" in section and "/party/case/documents/" not in section
    assert "本案尚未向您出具文书" not in section
    issued = render_document(case, DocumentType.PRIOR_NOTICE, actor=people.officer_user)
    client = _signed_in(case, services.reissue_code(case, actor=people.officer_user))
    section = client.get(CASE).content.decode()
    section = section[section.index('id="documents"') :]
    section = section[: section.index("</section>")]
    assert section.count(notice.document_number) == 1
    assert f"/party/case/documents/{issued.pk}/" in section
    assert "本平台尚无该文书的电子文本" not in section


def test_a_decision_not_yet_served_says_why_there_is_no_payment_deadline(
    walk: Walker, people: People, today: dt.date
) -> None:
    walk.until_review()
    walk.decide(on="2026-03-27")
    access = _access(walk)
    view = queries.party_view(access, today)
    assert view.money is not None and view.money.deadline is None
    assert view.money.served_on is None
    client = _signed_in(walk.case, services.reissue_code(walk.case, actor=people.officer_user))
    html = client.get(CASE).content.decode()
    pay_by = html[html.index('id="pay-by"') :]
    assert pay_by.index("尚未确定") < pay_by.index("</dd>")
    documents = html[html.index('id="documents"') :]
    decision = walk.case.steps.get(step="decision").document_number
    assert decision and decision in documents[: documents.index("</section>")]
    walk(cases.serve_decision, on=D("2026-03-27"), method="direct", signed_by="recipient")
    view = queries.party_view(access, today)
    assert view.money is not None and view.money.deadline is not None
    html = (
        _signed_in(walk.case, services.reissue_code(walk.case, actor=people.officer_user))
        .get(CASE)
        .content.decode()
    )
    pay_by = html[html.index('id="pay-by"') :]
    assert pay_by[: pay_by.index("</dd>")].endswith(view.money.deadline.isoformat())


# --- the rating's scale -------------------------------------------------------------------------


def test_the_rating_scale_has_words(walk: Walker, people: People) -> None:
    decided(walk)
    client = _signed_in(walk.case, services.reissue_code(walk.case, actor=people.officer_user))
    html = client.get(CASE).content.decode()
    rating = html[html.index('id="rating"') :]
    words = ["非常满意", "满意", "一般", "不满意", "非常不满意"]
    positions = [rating.index(f"> {w} <small") for w in words]
    assert positions == sorted(positions)
    assert client.post("/party/case/rating/", {"score": "4"}).status_code == 302
    assert "评价为“满意”（4分，满分5分）" in client.get(CASE).content.decode()


# --- the demo's party codes -------------------------------------------------------------------


def test_the_demo_prints_party_codes_that_sign_in(today: dt.date) -> None:
    from zhifa.party import demo

    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "party: 2 demo access code(s) added" in text
    printed = text[text.index("Party's own view at /party/") :]
    cases_shown = demo.demo_cases()
    assert len(cases_shown) == 2
    for case, code in zip(cases_shown, demo.DEMO_CODES, strict=True):
        assert f"{case.number}  {services.display(code)}" in printed
        access, _row = services.sign_in(case.number, services.display(code))
        assert access.case == case
    notified, decided_case = cases_shown
    view = queries.party_view(services.ensure_access(notified), today)
    assert view.may_state and view.may_request_hearing
    view = queries.party_view(services.ensure_access(decided_case), today)
    assert view.money is not None and view.money.deadline is not None and view.may_rate
    from zhifa.records.tests.test_tamper_suite import run_verify

    code, report = run_verify()
    assert code == 0, report
    again = StringIO()
    call_command("demo", stdout=again)
    assert "party: 0 demo access code(s) added" in again.getvalue()
    assert (
        printed.splitlines()[:3]
        == again.getvalue()[again.getvalue().index("Party's own view at /party/") :].splitlines()[
            :3
        ]
    )

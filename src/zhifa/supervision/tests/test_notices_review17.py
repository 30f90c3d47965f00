"""Findings of the issue #17 review of the supervision notices (SUP-notice): a huge case
ID is a field error (not a 500); only the supervisors of the issuing bureau's own region
issue in its name and review its notices (a county without a bureau of its own issues
none); only the organ's head submits its written reply; a second return tells the state;
typed text is refused at its own field; attachments must be what their name says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.supervision import notices
from zhifa.supervision.models import Notice, NoticeReply, NoticeStatus

from .notice_fixtures import api_body, issued, notice_kwargs

pytestmark = pytest.mark.django_db
__all__ = ["issued"]
URL = "/api/v1/supervision/notices"


@pytest.fixture
def supervisor_jiashan(regions: Any) -> User:
    """A supervisor of 嘉善县 (330421), a county without a justice bureau of its own, in
    the city's subtree: organ B's region."""
    return make_user("supervisor_js", Role.SUPERVISOR, region=regions["330421"], full_name="钱进")


def _paths(response: Any) -> list[str]:
    return [e["path"] for e in response.json()["errors"]]


# --- 1. a huge case ID ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["99999999999999999999999", str(2**63), "0", "-1", "1e3"])
def test_a_huge_case_id_is_an_error_at_cases_on_the_page(
    value: str, supervisor_city: User, general_case: Case, justice_city: Any, today: dt.date
) -> None:
    response = client_for(supervisor_city).post(
        reverse("supervision:notice_new") + f"?organ={general_case.organ_id}",
        {
            "organ": general_case.organ_id,
            "kind": "notice",
            "cases": [value],
            "findings": "问题。",
            "rectification": "整改。",
            "deadline": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert 'id="error-cases"' in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("value", [2**63, 10**30, 0, -1])
def test_a_huge_case_id_is_an_error_at_cases_by_api(
    value: int, supervisor_city: User, general_case: Case, justice_city: Any, today: dt.date
) -> None:
    response = client_for(supervisor_city).post(
        URL,
        api_body(general_case, today, kind="notice", cases=[value]),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert _paths(response) and all(p.startswith("body.cases") for p in _paths(response))


# --- 3. the issuing bureau's region -----------------------------------------------------------


def test_a_county_supervisor_without_a_bureau_issues_nothing(
    supervisor_jiashan: User, organ_b: Any, justice_city: Any, today: dt.date
) -> None:
    assert not notices.may_issue(supervisor_jiashan)
    with pytest.raises(PermissionDenied) as refused:
        notices.issue_notice(
            actor=supervisor_jiashan, organ=organ_b, **notice_kwargs(today, pattern="多起超期")
        )
    assert "没有本级司法局" in str(refused.value)
    client = client_for(supervisor_jiashan)
    page = client.get(reverse("supervision:notice_new"), {"organ": organ_b.pk})
    assert page.status_code == 403
    listed = client.get(reverse("supervision:notice_list")).content.decode()
    assert 'id="issue-refusal"' in listed and 'id="issue-notice"' not in listed
    api = client.post(
        URL,
        {
            "organ": organ_b.pk,
            "kind": "notice",
            "pattern": "多起超期",
            "findings": "问题。",
            "rectification": "整改。",
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not Notice.objects.exists()


def test_a_county_supervisor_does_not_review_the_city_notice(
    supervisor_jiashan: User,
    supervisor_city: User,
    organ_b: Any,
    justice_city: Any,
    today: dt.date,
) -> None:
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b, full_name="周敏")
    notice = notices.issue_notice(
        actor=supervisor_city, organ=organ_b, **notice_kwargs(today, pattern="多起超期")
    )
    notices.submit_reply(notice, actor=head_b, text="已整改。")
    notice.refresh_from_db()
    # The county's supervisor sees the notice to an organ of his county …
    assert notices.visible(supervisor_jiashan).filter(pk=notice.pk).exists()
    # … but neither accepts nor returns the reply to the city's notice.
    assert not notices.may_review(supervisor_jiashan, notice)
    with pytest.raises(PermissionDenied):
        notices.accept_reply(notice, actor=supervisor_jiashan)
    with pytest.raises(PermissionDenied):
        notices.return_reply(notice, actor=supervisor_jiashan, reasons="不全。")
    client = client_for(supervisor_jiashan)
    detail = client.get(reverse("supervision:notice_detail", args=[notice.pk])).content.decode()
    assert 'id="accept-form"' not in detail
    assert client.post(reverse("supervision:notice_accept", args=[notice.pk])).status_code == 403
    assert (
        client.post(
            reverse("supervision:notice_return", args=[notice.pk]), {"reasons": "不全。"}
        ).status_code
        == 403
    )
    assert client.post(f"{URL}/{notice.pk}/accept").status_code == 403
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REPLIED
    # The city's supervisor does.
    notices.accept_reply(notice, actor=supervisor_city)


# --- 8. the organ's head submits the reply ----------------------------------------------------


def test_only_the_head_submits_the_organs_reply(
    issued: Notice, officer_a: User, reviewer_a: User, head_a: User
) -> None:
    for user in (officer_a, reviewer_a):
        assert not notices.may_reply(user, issued)
        with pytest.raises(PermissionDenied):
            notices.submit_reply(issued, actor=user, text="已整改。")
        client = client_for(user)
        detail = client.get(reverse("supervision:notice_detail", args=[issued.pk]))
        assert detail.status_code == 200
        page = detail.content.decode()
        assert 'id="reply-form"' not in page and 'id="head-replies"' in page
        assert (
            client.post(
                reverse("supervision:notice_reply", args=[issued.pk]), {"text": "已整改。"}
            ).status_code
            == 403
        )
        assert client.post(f"{URL}/{issued.pk}/replies", {"text": "已整改。"}).status_code == 403
    assert not NoticeReply.objects.exists()
    assert notices.may_reply(head_a, issued)
    assert (
        client_for(head_a).post(f"{URL}/{issued.pk}/replies", {"text": "已整改。"}).status_code
        == 201
    )


# --- 7. a second return -----------------------------------------------------------------------


def test_a_second_return_tells_the_state_like_a_second_acceptance(
    issued: Notice, head_a: User, supervisor_city: User
) -> None:
    notices.submit_reply(issued, actor=head_a, text="已整改。")
    client = client_for(supervisor_city)
    url = reverse("supervision:notice_return", args=[issued.pk])
    first = client.post(url, {"reasons": "材料不全。"})
    assert first.status_code == 302
    second = client.post(url, {"reasons": "材料不全。"}, follow=True)
    assert second.status_code == 200
    again = client.post(reverse("supervision:notice_accept", args=[issued.pk]), follow=True)
    messages = [str(m) for m in second.context["messages"]]
    assert messages[-1].startswith("没有待您审查的回复"), messages
    assert [str(m) for m in again.context["messages"]][-1:] == messages[-1:]
    api = client.post(
        f"{URL}/{issued.pk}/return", {"reasons": "再退回。"}, content_type="application/json"
    )
    assert api.status_code == 409
    assert Entry.objects.filter(action=notices.RETURN_ACTION).count() == 1


# --- 4. bidirectional controls at their own field; 10. empty text is required -----------------

RLO = "\u202e"


@pytest.mark.parametrize("field", ["findings", "rectification", "pattern"])
def test_a_bidi_control_is_refused_at_its_field_when_issuing(
    field: str, supervisor_city: User, general_case: Case, justice_city: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError) as refused:
        notices.issue_notice(
            actor=supervisor_city,
            organ=general_case.organ,
            cases=[general_case],
            **notice_kwargs(today, **{field: f"问题{RLO}fdp.txt"}),
        )
    assert list(refused.value.message_dict) == [field]
    assert "U+202E" in refused.value.message_dict[field][0]
    assert "字体" not in refused.value.message_dict[field][0]
    response = client_for(supervisor_city).post(
        URL,
        api_body(general_case, today, kind="notice", **{field: f"问题{RLO}x"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and _paths(response) == [f"body.{field}"]
    message = response.json()["errors"][0]["message"]
    assert "双向" in message or "U+202E" in message
    page = client_for(supervisor_city).post(
        reverse("supervision:notice_new") + f"?organ={general_case.organ_id}",
        {
            "organ": general_case.organ_id,
            "kind": "notice",
            "cases": [general_case.pk],
            "findings": "问题。",
            "rectification": "整改。",
            "deadline": (today + dt.timedelta(days=14)).isoformat(),
            field: f"问题{RLO}x",
        },
    )
    assert page.status_code == 400 and f'id="error-{field}"' in page.content.decode()
    assert 'id="error-kind"' not in page.content.decode()
    assert not Notice.objects.exists()


def test_a_bidi_control_is_refused_at_text_and_reasons(
    issued: Notice, head_a: User, supervisor_city: User
) -> None:
    head = client_for(head_a)
    page = head.post(reverse("supervision:notice_reply", args=[issued.pk]), {"text": f"已{RLO}改"})
    assert page.status_code == 400 and 'id="error-text"' in page.content.decode()
    api = head.post(f"{URL}/{issued.pk}/replies", {"text": f"已{RLO}改"})
    assert api.status_code == 400 and _paths(api) == ["body.text"]
    notices.submit_reply(issued, actor=head_a, text="已整改。")
    supervisor = client_for(supervisor_city)
    page = supervisor.post(
        reverse("supervision:notice_return", args=[issued.pk]), {"reasons": f"不{RLO}全"}
    )
    assert page.status_code == 400 and 'id="error-reasons"' in page.content.decode()
    api = supervisor.post(
        f"{URL}/{issued.pk}/return", {"reasons": f"不{RLO}全"}, content_type="application/json"
    )
    assert api.status_code == 400 and _paths(api) == ["body.reasons"]


@pytest.mark.parametrize("blank", ["", "   ", "\u200b\u200b"])
def test_empty_text_is_required_naming_the_field(
    blank: str,
    issued: Notice,
    head_a: User,
    supervisor_city: User,
    general_case: Case,
    today: dt.date,
) -> None:
    supervisor = client_for(supervisor_city)
    response = supervisor.post(
        URL,
        api_body(general_case, today, kind="notice", findings=blank),
        content_type="application/json",
    )
    assert _paths(response) == ["body.findings"]
    message = response.json()["errors"][0]["message"]
    assert message == "发现的问题为必填项。" and "名称" not in message
    reply = client_for(head_a).post(f"{URL}/{issued.pk}/replies", {"text": blank or " "})
    assert _paths(reply) == ["body.text"]
    assert reply.json()["errors"][0]["message"] == "整改情况为必填项。"


# --- 9. attachments are what their name says ---------------------------------------------------

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", "整改报告（纯文本）".encode()),
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
        ("photo.png", PDF),
        ("report.pdf", PNG),
        ("notes.txt", "纯文本".encode()),
    ],
)
def test_an_attachment_not_what_its_name_says_is_refused(
    name: str, content: bytes, issued: Notice, head_a: User
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as refused:
        notices.submit_reply(issued, actor=head_a, text="已整改。", uploads=[upload])
    assert list(refused.value.message_dict) == ["files"]
    assert refused.value.message_dict["files"][0].startswith(f"{name}: ")
    response = client_for(head_a).post(
        f"{URL}/{issued.pk}/replies",
        {"text": "已整改。", "files": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 400 and _paths(response) == ["body.files"]
    assert name in response.json()["errors"][0]["message"]
    assert not NoticeReply.objects.exists()


def test_a_photo_and_a_pdf_named_for_what_they_are_are_accepted(
    issued: Notice, head_a: User
) -> None:
    reply = notices.submit_reply(
        issued,
        actor=head_a,
        text="已整改。",
        uploads=[SimpleUploadedFile("现场.PNG", PNG), SimpleUploadedFile("台账.pdf", PDF)],
    )
    assert [a["type"] for a in reply.attachments] == ["image/png", "application/pdf"]


# --- 6. notice warnings in the API and on the portal's list of models -------------------------


def test_the_warnings_api_lists_a_notice_past_its_deadline(
    issued: Notice, head_a: User, supervisor_city: User, officer_b: User, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime.combine(issued.deadline, dt.time(10)) + dt.timedelta(days=1))
    api = "/api/v1/supervision/warnings"
    for user in (supervisor_city, head_a):
        items = client_for(user).get(api, {"rule": "SUP-notice"}).json()["items"]
        assert [(i["model"], i["level"], i["notice"], i["subject"]) for i in items] == [
            ("notice", "red", issued.pk, issued.number)
        ]
        assert items[0]["due"] == issued.deadline.isoformat() and items[0]["citation"]
    assert client_for(officer_b).get(api, {"rule": "SUP-notice"}).json()["count"] == 0
    assert (
        client_for(head_a).get(api, {"level": "yellow", "rule": "SUP-notice"}).json()["count"] == 0
    )


def test_the_portal_lists_the_notice_model(client: Any) -> None:
    from zhifa.rules.engine import warning_models
    from zhifa.rules.engine.notices import SUP_NOTICE

    assert "notice" in warning_models.BY_KEY
    html = client.get(reverse("portal:warning_models")).content.decode()
    assert 'id="model-notice"' in html
    assert "SUP-notice" in html and SUP_NOTICE.citation in html


# --- 13. the Chinese semicolon; 14. the level column and the rule labels; 17. organ scope ---


def test_the_detail_page_joins_its_clauses_with_a_chinese_semicolon(
    issued: Notice, head_a: User
) -> None:
    html = client_for(head_a).get(reverse("supervision:notice_detail", args=[issued.pk]))
    deadline = html.content.decode().split('id="notice-deadline"')[1].split("</dd>")[0]
    assert "个工作日；剩余" in deadline and "; " not in deadline


def test_the_warnings_page_keeps_the_level_whole_and_labels_the_rules(
    issued: Notice, supervisor_city: User, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime.combine(issued.deadline, dt.time(10)) + dt.timedelta(days=1))
    response = client_for(supervisor_city).get(reverse("supervision:warning_list"))
    html = response.content.decode()
    assert '<td class="level"' in html
    rules = html.split('name="rule"')[1].split("</select>")[0]
    assert ">SUP-notice — 执法监督通知书回复</option>" in rules
    from pathlib import Path

    import zhifa

    css = (Path(zhifa.__file__).parent / "core/static/zhifa/zhifa.css").read_text()
    assert "td.level { white-space:nowrap; }" in css


@pytest.mark.parametrize("outside", ["999", "organ_c"])
def test_an_organ_outside_the_scope_is_an_error_naming_organ(
    outside: str, issued: Notice, supervisor_city: User, head_a: User, organ_c: Any
) -> None:
    value = str(organ_c.pk) if outside == "organ_c" else outside
    for user in (supervisor_city, head_a):
        if user is supervisor_city and outside == "organ_c":
            continue  # 海盐 is in the city's subtree
        response = client_for(user).get(reverse("supervision:warning_list"), {"organ": value})
        assert response.status_code == 200
        errors = response.context["errors"]
        assert errors and errors[0].startswith("机关：") and "范围" in errors[0], errors
        assert response.context["filters"]["organ"] == ""

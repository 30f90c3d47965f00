"""Findings of the issue #17 review of the supervision notices (SUP-notice): a huge case
ID is a field error (not a 500); only the supervisors of the issuing bureau's own region
issue in its name and review its notices (a county without a bureau of its own issues
none); only the organ's head submits its written reply; a second return tells the state;
typed text is refused at its own field; attachments must be what their name says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.supervision import notices
from zhifa.supervision.models import Notice, NoticeReply, NoticeStatus

from .notice_fixtures import issued, notice_kwargs

pytestmark = pytest.mark.django_db
__all__ = ["issued"]
URL = "/api/v1/supervision/notices"


@pytest.fixture
def supervisor_jiashan(regions: Any) -> User:
    """A supervisor of 嘉善县 (330421), a county without a justice bureau of its own, in
    the city's subtree: organ B's region."""
    return make_user("supervisor_js", Role.SUPERVISOR, region=regions["330421"], full_name="钱进")


def _api_body(case: Case, today: dt.date, **kw: Any) -> dict[str, Any]:
    data = {
        "organ": case.organ_id,
        "kind": "notice",
        "cases": [case.pk],
        "findings": "多起案件未按期送达。",
        "rectification": "建立送达台账。",
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(kw)
    return data


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
        URL, _api_body(general_case, today, cases=[value]), content_type="application/json"
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
    assert "justice bureau of its own" in str(refused.value)
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

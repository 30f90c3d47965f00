"""The supervision notice pages (SUP-notice): the supervisor issues a notice through the
form (field errors, never a 500), the organ replies, the supervisor returns and accepts;
scope: another organ, a supervisor of another region, an officer of another organ and
anonymous users get nothing; the warnings page lists a notice near or past its deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.testing import client_for
from zhifa.supervision.models import Notice, NoticeStatus

from .notice_fixtures import issued, justice_county_c

pytestmark = pytest.mark.django_db
__all__ = ["issued", "justice_county_c"]
PDF = b"%PDF-1.4\n%%EOF\n"


def _form(today: dt.date, **kw: Any) -> dict[str, Any]:
    data = {
        "kind": "notice",
        "findings": "检查笔录缺少执法人员签名。",
        "rectification": "逐案补正。",
        "deadline": (today + dt.timedelta(days=14)).isoformat(),
        "pattern": "",
    }
    data.update(kw)
    return data


def test_the_supervisor_issues_a_notice_through_the_form(
    supervisor_city: User, general_case: Case, justice_city: Any, today: dt.date
) -> None:
    client = client_for(supervisor_city)
    new = reverse("supervision:notice_new")
    chooser = client.get(new)
    assert chooser.status_code == 200
    assert general_case.organ.name in chooser.content.decode()
    assert justice_city.name not in chooser.content.decode().split("<select")[1]
    page = client.get(new, {"organ": general_case.organ_id})
    assert page.status_code == 200 and general_case.party_name in page.content.decode()
    response = client.post(
        new, {"organ": general_case.organ_id, "cases": [general_case.pk], **_form(today)}
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:notice_detail", args=[notice.pk])
    detail = client.get(response["Location"]).content.decode()
    assert notice.number in detail and "SUP-notice" in detail
    pdf = client.get(reverse("supervision:notice_document", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"deadline": "yesterday"}, "deadline"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"findings": ""}, "findings"),
        ({"kind": "order"}, "kind"),
        ({"cases": ["abc"]}, "cases"),
        ({"cases": []}, "pattern"),
    ],
)
def test_bad_input_shows_the_field_error(
    supervisor_city: User,
    general_case: Case,
    justice_city: Any,
    today: dt.date,
    data: dict[str, Any],
    field: str,
) -> None:
    body = {"organ": general_case.organ_id, "cases": [general_case.pk], **_form(today), **data}
    response = client_for(supervisor_city).post(reverse("supervision:notice_new"), body)
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.content.decode()
    assert not Notice.objects.exists()


def test_an_organ_outside_the_region_is_refused_at_organ(
    supervisor_county_c: User, organ_a: Any, justice_city: Any, justice_county_c: Any
) -> None:
    client = client_for(supervisor_county_c)
    for organ in ("999999", str(organ_a.pk), "x"):
        response = client.get(reverse("supervision:notice_new"), {"organ": organ})
        assert response.status_code == 400
        assert 'id="error-organ"' in response.content.decode()


def test_the_organ_replies_and_the_supervisor_returns_then_accepts(
    issued: Notice, head_a: User, supervisor_city: User
) -> None:
    head = client_for(head_a)
    url = reverse("supervision:notice_detail", args=[issued.pk])
    assert 'id="reply-form"' in head.get(url).content.decode()
    reply_url = reverse("supervision:notice_reply", args=[issued.pk])
    empty = head.post(reply_url, {"text": ""})
    assert empty.status_code == 400 and 'id="error-text"' in empty.content.decode()
    bad = head.post(reply_url, {"text": "已整改。", "files": [SimpleUploadedFile("x.exe", b"MZ")]})
    assert bad.status_code == 400 and 'id="error-files"' in bad.content.decode()
    done = head.post(
        reply_url,
        {"text": "已整改。", "files": [SimpleUploadedFile("台账.pdf", PDF, "application/pdf")]},
    )
    assert done.status_code == 302
    supervisor = client_for(supervisor_city)
    page = supervisor.get(url).content.decode()
    assert 'id="accept-form"' in page and 'id="reply-form"' not in page
    attachment = supervisor.get(
        reverse("supervision:notice_reply_attachment", args=[issued.pk, 1, 1])
    )
    assert attachment.status_code == 200 and b"".join(attachment.streaming_content) == PDF
    document = supervisor.get(reverse("supervision:notice_reply_document", args=[issued.pk, 1]))
    assert document.content.startswith(b"%PDF")
    missing = supervisor.post(reverse("supervision:notice_return", args=[issued.pk]), {})
    assert missing.status_code == 400 and 'id="error-reasons"' in missing.content.decode()
    supervisor.post(reverse("supervision:notice_return", args=[issued.pk]), {"reasons": "缺材料"})
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.RETURNED
    head.post(reply_url, {"text": "已补充材料。"})
    supervisor.post(reverse("supervision:notice_accept", args=[issued.pk]))
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.CLOSED


def test_scope_of_the_pages(
    issued: Notice,
    officer_a: User,
    reviewer_a: User,
    officer_b: User,
    supervisor_county_c: User,
    admin_user: User,
) -> None:
    urls = [
        reverse("supervision:notice_detail", args=[issued.pk]),
        reverse("supervision:notice_document", args=[issued.pk]),
    ]
    for user in (officer_a, reviewer_a):
        for url in urls:
            assert client_for(user).get(url).status_code == 200
        listed = client_for(user).get(reverse("supervision:notice_list")).content.decode()
        assert issued.number in listed
    for user in (officer_b, supervisor_county_c):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("supervision:notice_reply", args=[issued.pk]), {"text": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("supervision:notice_accept", args=[issued.pk])).status_code == 404
        )
        assert issued.number not in client.get(reverse("supervision:notice_list")).content.decode()
    assert client_for(admin_user).get(urls[0]).status_code == 404
    # Officers may not issue; anonymous users are sent to log in.
    assert client_for(officer_a).get(reverse("supervision:notice_new")).status_code == 403
    from django.test import Client

    for url in [*urls, reverse("supervision:notice_list")]:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # The organ may not accept its own reply; the supervisor may not reply.
    assert client_for(officer_a).post(
        reverse("supervision:notice_accept", args=[issued.pk])
    ).status_code in (302, 403)
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.AWAITING_REPLY


def test_the_warnings_page_lists_a_notice_past_its_deadline(
    issued: Notice, head_a: User, supervisor_city: User, officer_b: User, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime.combine(issued.deadline, dt.time(10)) + dt.timedelta(days=1))
    url = reverse("supervision:warning_list")
    for user in (supervisor_city, head_a):
        page = client_for(user).get(url).content.decode()
        table = page.split('id="notice-warnings"')[1]
        assert issued.number in table and 'data-level="red"' in table
        assert "SUP-notice" in table
    assert issued.number not in client_for(officer_b).get(url).content.decode()
    filtered = client_for(supervisor_city).get(url, {"level": "yellow"}).content.decode()
    assert issued.number not in filtered.split('id="notice-warnings"')[1]

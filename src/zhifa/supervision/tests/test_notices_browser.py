"""The supervision notice walk in headless Chromium at 390 CSS pixels (SUP-notice): the
supervisor issues a notice to organ A about its case from the form, the organ's head
writes and submits the written reply with a file, the supervisor accepts it and the
notice is closed. No page scrolls sideways. The same pages at 1280 px on a desktop.
With ``ZHIFA_SHOTS`` set, full-page screenshots go there (to be looked at)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zhifa.supervision.models import Notice, NoticeStatus

from .conftest import PHONE, width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = 1280
Page = Any  # playwright.sync_api.Page


def test_issue_reply_accept_on_a_phone(
    signed_in: Callable[..., Page],
    general_case: Any,
    justice_city: Any,
    supervisor_city: Any,
    head_a: Any,
    today: dt.date,
    tmp_path: Path,
) -> None:
    supervisor = signed_in("supervisor_city", PHONE)
    supervisor.goto("/supervision/notices/")
    assert width(supervisor, "notice-list-empty-390") <= PHONE
    supervisor.click("#issue-notice")
    supervisor.wait_for_selector("#choose-organ")
    assert width(supervisor, "notice-choose-organ-390") <= PHONE
    supervisor.select_option("#id_organ", str(general_case.organ_id))
    supervisor.click("#choose-organ button.primary")
    supervisor.wait_for_selector("#notice-form")
    # A deadline of today is refused at its field, with what was typed kept.
    supervisor.select_option("#id_kind", "notice")
    supervisor.check(f"input[name=cases][value='{general_case.pk}']")
    supervisor.fill("#id_findings", "现场检查笔录未载明出示执法证件的情况。")
    supervisor.fill("#id_rectification", "逐案补正，并完善检查笔录格式。")
    supervisor.fill("#id_deadline", today.isoformat())
    supervisor.click("#notice-form button.primary")
    supervisor.wait_for_selector("#error-deadline")
    assert width(supervisor, "notice-form-error-390") <= PHONE
    deadline = today + dt.timedelta(days=14)
    supervisor.fill("#id_deadline", deadline.isoformat())
    supervisor.click("#notice-form button.primary")
    supervisor.wait_for_selector("#notice-facts")
    assert width(supervisor, "notice-detail-issued-390") <= PHONE
    notice = Notice.objects.get()
    assert notice.number in supervisor.inner_text("#notice-number")
    assert deadline.isoformat() in supervisor.inner_text("#notice-deadline")

    head = signed_in("head_a", PHONE)
    head.goto("/supervision/notices/")
    assert width(head, "notice-list-organ-390") <= PHONE
    head.click(f"#notice-list a:text('{notice.number}')")
    head.wait_for_selector("#reply-form")
    attachment = tmp_path / "整改台账.pdf"
    attachment.write_bytes(b"%PDF-1.4\n%%EOF\n")
    head.fill("#id_text", "已对所涉案件逐案核查补正，并修订现场检查笔录格式。")
    head.set_input_files("#id_files", str(attachment))
    head.click("#reply-form button.primary")
    head.wait_for_selector("#reply-1")
    assert width(head, "notice-detail-replied-390") <= PHONE
    assert "整改台账.pdf" in head.inner_text("#reply-1")

    supervisor.goto(f"/supervision/notices/{notice.pk}/")
    supervisor.wait_for_selector("#accept-form")
    assert width(supervisor, "notice-review-390") <= PHONE
    supervisor.click("#accept-form button.primary")
    supervisor.wait_for_selector(".messages")
    assert width(supervisor, "notice-closed-390") <= PHONE
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert notice.replies.get().decision == "accepted"


def test_the_pages_on_a_desktop(
    signed_in: Callable[..., Page],
    general_case: Any,
    justice_city: Any,
    supervisor_city: Any,
    today: dt.date,
) -> None:
    from zhifa.supervision import notices

    notice = notices.issue_notice(
        actor=supervisor_city,
        organ=general_case.organ,
        kind="suggestion",
        cases=[general_case],
        pattern="多起案件立案审批超期。",
        findings="立案审批未在规定期限内完成。",
        rectification="建立立案审批时限提醒制度。",
        deadline=today + dt.timedelta(days=1),  # due soon: yellow
    )
    page = signed_in("supervisor_city", DESKTOP)
    for path, shot in (
        ("/supervision/notices/", "list-1280"),
        (f"/supervision/notices/new/?organ={general_case.organ_id}", "form-1280"),
        (f"/supervision/notices/{notice.pk}/", "detail-1280"),
        ("/supervision/warnings/", "warnings-1280"),
    ):
        page.goto(path)
        assert width(page, f"notice-{shot}") <= DESKTOP
    assert notice.number in page.inner_text("#notice-warnings")

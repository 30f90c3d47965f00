"""On a phone (390 CSS pixels, headless Chromium): the officer of a case records an
attempt to interfere from the case page; the head acknowledges it. No page scrolls
sideways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.supervision.models import Acknowledgement, Interference

from .conftest import PHONE as WIDTH
from .conftest import width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Page = Any  # playwright.sync_api.Page


def test_record_and_acknowledge_on_a_phone(
    signed_in: Callable[..., Page], general_case: Any, officer_a: Any, head_a: Any
) -> None:
    page = signed_in("officer_a")
    page.goto(f"/cases/{general_case.pk}/")
    page.click("#interference + p a")
    page.wait_for_selector("#id_occurred_at")
    assert width(page, "interference-form") <= WIDTH
    assert "NA-interference" in page.inner_text("#rule")
    page.fill("#id_occurred_at", "2026-11-21T10:30")
    page.select_option("#id_source", "internal_leader")
    page.fill("#id_person_name", "钱某")
    page.fill("#id_person_position", "副局长")
    page.select_option("#id_method", "phone")
    page.fill("#id_request", "打电话要求对该公司从轻处罚。")
    page.fill("#id_response", "当场拒绝，告知将依规记录并报告。")
    page.click("#interference-form button.primary")
    page.wait_for_selector("#record-facts")
    assert width(page, "interference-record") <= WIDTH
    record = Interference.objects.get()
    assert record.person_name == "钱某" and record.recorded_by == officer_a

    head = signed_in("head_a")
    head.goto("/supervision/interference/")
    assert width(head, "interference-list") <= WIDTH
    head.click("#interference-list a.warn")
    head.fill("#id_note", "已阅，已谈话提醒。")
    head.click("#acknowledge button.primary")
    head.wait_for_selector(".messages")
    assert width(head) <= WIDTH
    assert Acknowledgement.objects.get().actor == head_a


def test_the_warnings_page_on_a_phone(
    signed_in: Callable[..., Page], general_case: Any, supervisor_city: Any
) -> None:
    """The case opened on 2026-03-02 and never registered: its registration (REG-decision)
    is long overdue on the frozen day: red, under organ A, on a page that fits 390 px."""
    page = signed_in("supervisor_city")
    page.goto("/supervision/warnings/")
    row = page.locator("#warning-list tbody tr[data-level=red]")
    assert row.count() == 1
    assert "REG-decision" in row.inner_text()
    assert general_case.number in row.inner_text()
    assert "张伟" in row.inner_text()  # not yet registered: the officer who opened it
    assert general_case.organ.name in page.inner_text("#warning-counts")
    assert width(page, "warnings") <= WIDTH

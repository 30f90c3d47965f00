"""The acceptance walk of issue #16 in real headless Chromium at 390 CSS pixels: an
anonymous report is filed on the public site; its number and code show its status; the
organ's head assigns an officer, who accepts it within the clock; it becomes a case
source and the case's page links it; the reporter sees the result and disputes it; the
supervisor reopens it. No public page scrolls sideways."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintStatus
from zhifa.core.testing import TEST_PASSWORD

from .conftest import BASIS, PARTY, VIOLATION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
#: Screenshots of the public pages, to be looked at.
SHOTS = Path(os.environ.get("ZHIFA_SHOTS", "/tmp/ui2-shots"))
Page = Any


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Callable[[str | None], Page]]:
    contexts: list[Any] = []

    def _phone(username: str | None) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": WIDTH, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", TEST_PASSWORD)
            with page.expect_navigation(url=f"{live_server.url}/work/"):
                page.click("button.primary")
        return page

    yield _phone
    for context in contexts:
        context.close()


def _no_sideways_scroll(page: Page, shot: str = "") -> None:
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"complaints-{shot}.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, width


def test_the_walk(
    phone: Callable[[str | None], Page],
    units: None,
    power_item: Any,
    people: Any,
    supervisor_city: Any,
    today: Any,
) -> None:
    public = phone(None)
    public.goto("/complaints/file/")
    _no_sideways_scroll(public, "file")
    public.select_option("#id_category", "food_safety")
    public.select_option("#id_region", "330400")
    public.fill("#id_address", "嘉兴市南湖区某路1号")
    public.fill("#id_description", "某饭店出售过期食品。")
    with public.expect_navigation():
        public.click("form.c-form button[type=submit]")
    number = public.inner_text("#number").strip()
    code = public.inner_text("#code").strip()
    assert re.fullmatch(r"330400-\d{4}-\d{6}", number) and len(code) == 12
    _no_sideways_scroll(public, "receipt")

    def follow() -> str:
        public.goto("/complaints/follow/")
        public.fill("#id_number", number)
        public.fill("#id_code", code)
        with public.expect_navigation():
            public.click("form.c-form button[type=submit]")
        _no_sideways_scroll(public)
        return str(public.get_attribute("#status", "data-status"))

    assert follow() == ComplaintStatus.RECEIVED
    assert "JL-complaint-ack" in public.content()

    complaint = Complaint.objects.get(number=number)
    assert today <= complaint.ack_due_on
    officer = phone(people.officer_user.username)
    officer.goto("/cases/")
    assert number in officer.inner_text("#complaint-clocks")
    officer.goto(f"/complaints/desk/{complaint.pk}/")
    assert officer.locator("#accept-form").count() == 0  # not assigned: sees, not handles

    head = phone(people.head_user.username)
    head.goto(f"/complaints/desk/{complaint.pk}/")
    head.check(f"#assign-form input[value='{people.officer_user.pk}']")
    with head.expect_navigation():
        head.click("#assign-form button[type=submit]")
    assert people.officer_user.get_full_name() in head.inner_text("#assignees")
    _no_sideways_scroll(head)

    officer.goto("/cases/")
    assert number in officer.inner_text("#complaints-mine")
    officer.goto(f"/complaints/desk/{complaint.pk}/")
    officer.fill("#accept-form textarea", "已受理，将派员核查。")
    with officer.expect_navigation():
        officer.click("#accept-form button[type=submit]")
    assert follow() == ComplaintStatus.ACCEPTED

    # The case source (the opening form is the cases app's, tested there).
    case = services.enter_case(
        Complaint.objects.get(pk=complaint.pk),
        actor=people.officer_user,
        arguments={
            "on": today,
            "procedure": "general",
            "power_item": power_item,
            "party": PARTY,
            "violation": {**VIOLATION, "discovered_on": today.isoformat()},
            "basis": BASIS,
        },
    )
    officer.goto(f"/cases/{case.pk}/")
    with officer.expect_navigation():
        officer.click("a.case-link")
    assert officer.url.endswith(f"/complaints/desk/{complaint.pk}/")
    officer.fill("#close-form textarea", "经查属实，已立案查处。")
    with officer.expect_navigation():
        officer.click("#close-form button[type=submit]")

    assert follow() == ComplaintStatus.CLOSED
    assert "经查属实，已立案查处。" in public.inner_text("#result")
    public.fill("textarea[name=reason]", "该饭店仍在出售过期食品。")
    with public.expect_navigation():
        public.click("button[name=dispute]")
    assert public.get_attribute("#status", "data-status") == ComplaintStatus.DISPUTED

    supervisor = phone(supervisor_city.username)
    supervisor.goto(f"/complaints/desk/{complaint.pk}/")
    supervisor.select_option("#review-form select", "reopen")
    supervisor.fill("#review-form textarea", "请重新核查。")
    with supervisor.expect_navigation():
        supervisor.click("#review-form button[type=submit]")
    assert follow() == ComplaintStatus.ACCEPTED
    assert "请重新核查。" in public.content()
    _no_sideways_scroll(public, "status")

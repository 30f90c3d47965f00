"""The party's pages on a phone, in real headless Chromium at 390 CSS pixels wide: the
party signs in with its case number and code, files its statement and sees it recorded
as its own, asks for a hearing (once it ticked the confirmation), is told at the field
that its consent's address is none; no page scrolls sideways. Screenshots go to
/tmp/party-shots/ (or ``ZHIFA_SHOTS``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.conftest import Walker
from zhifa.party import services

from .conftest import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
SHOTS = Path(os.environ.get("ZHIFA_SHOTS", "/tmp/party-shots"))


def _fits(page: Any, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{what} overflows to {width} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{what}.png"), full_page=True)


def test_the_party_files_its_statement_on_a_phone(
    browser: Any, live_server: Any, walk: Walker
) -> None:
    notify(walk)
    case = walk.case
    code = services.reissue_code(case, actor=walk.p.officer_user)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/party/")
        _fits(page, "sign-in")
        page.fill("#id_number", case.registration_number)
        page.fill("#id_code", "0000-0000-0000")
        page.click("form.pa-form button[type=submit]")
        assert page.locator("#sign-in-error").is_visible()
        _fits(page, "sign-in-error")
        page.fill("#id_code", services.display(code))
        with page.expect_navigation(url=f"{live_server.url}/party/case/"):
            page.click("form.pa-form button[type=submit]")
        assert case.registration_number in page.content()
        assert page.locator("#deadlines").get_by_text("APL-64-hearing-request").is_visible()
        _fits(page, "case")
        page.fill("#id_statement", "我方已于当日整改完毕，请求从轻处罚。")
        with page.expect_navigation(url=f"{live_server.url}/party/case/"):
            page.click("#act form button[type=submit]")
        assert page.locator(".pa-steps .p-tag").count() == 1
        _fits(page, "case-after-statement")
        step = case.steps.get(step="statement")
        assert step.actor.role == "party"
        # the hearing request: the box must be ticked (the browser holds the form back)
        page.click("#hearing-form button[type=submit]")
        assert not case.steps.filter(step="hearing_requested").exists()
        page.check("#hearing-form input[name=confirm]")
        with page.expect_navigation():
            page.click("#hearing-form button[type=submit]")
        assert page.locator("#party-acts li").count() == 2
        assert page.locator("#hearing-form").count() == 0
        _fits(page, "case-after-hearing-request")
        # a consent to an address that is none: the error at its field
        page.fill("#consent-form input[name=signed_name]", "张三")
        page.fill("#consent-form input[name=address]", "not-an-address")
        page.check("#consent-form input[name=agree]")
        with page.expect_navigation():
            page.click("#consent-form button[type=submit]")
        assert page.locator("#id_address-error").is_visible()
        _fits(page, "consent-bad-address")
    finally:
        context.close()

"""In headless Chromium at 390 and 1280 px: the organ head files a major decision's
document catalogue from the filings page; the supervisor sees what is missing. No page
scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.core.testing import TEST_PASSWORD
from zhifa.supervision.models import Filing
from zhifa.supervision.tests.test_browser_phone import width
from zhifa.supervision.tests.test_filings import mark_major

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser: Any, live_server: Any, username: str, viewport: int) -> Any:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": viewport, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("viewport", [390, 1280])
def test_file_and_see_what_is_missing(
    browser: Any,
    live_server: Any,
    walk: Any,
    head_a: Any,
    supervisor_city: Any,
    frozen_clock: Any,
    viewport: int,
) -> None:
    mark_major(walk.case)
    walk.until_review()
    walk.decide()
    walk.close("2026-04-08")
    context, page = login(browser, live_server, supervisor_city.username, viewport)
    try:
        page.goto("/supervision/filings/")
        assert "未备案，已逾期" in page.inner_text("table.majors")
        assert width(page, f"filings-supervisor-{viewport}") <= viewport
    finally:
        context.close()
    context, page = login(browser, live_server, head_a.username, viewport)
    try:
        page.goto("/supervision/filings/")
        page.click("table.majors button")
        page.wait_for_selector("table.majors .warn")
        assert Filing.objects.filter(case=walk.case).exists()
        assert width(page, f"filings-head-{viewport}") <= viewport
    finally:
        context.close()

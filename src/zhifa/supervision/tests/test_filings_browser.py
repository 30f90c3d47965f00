"""In headless Chromium at 390 and 1280 px: the organ head files a major decision's
document catalogue from the filings page; the supervisor sees what is missing. No page
scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.supervision.models import Filing
from zhifa.supervision.tests.conftest import width
from zhifa.supervision.tests.test_filings import mark_major

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [390, 1280])
def test_file_and_see_what_is_missing(
    signed_in: Any,
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
    page = signed_in(supervisor_city.username, viewport)
    page.goto("/supervision/filings/")
    assert "未备案，已逾期" in page.inner_text("table.majors")
    assert width(page, f"filings-supervisor-{viewport}") <= viewport
    page = signed_in(head_a.username, viewport)
    page.goto("/supervision/filings/")
    page.click("table.majors button")
    page.wait_for_selector("table.majors .warn")
    assert Filing.objects.filter(case=walk.case).exists()
    assert width(page, f"filings-head-{viewport}") <= viewport

"""The dashboard in headless Chromium at 390 and 1280 CSS pixels: the charts draw (a
canvas in each), no console error, no Content-Security-Policy violation, and nothing
scrolls sideways but the tables' own wrappers."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.core.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-statuses", "chart-warnings", "chart-trend", "chart-money")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_charts_draw_under_the_csp(
    browser: Any, live_server: Any, frozen_clock: Any, width: int
) -> None:
    call_command("demo", stdout=StringIO())
    from django.utils import timezone

    from zhifa.dashboard.figures import snapshot

    snapshot(timezone.localdate())
    supervisor = User.objects.get(username="supervisor")
    supervisor.set_password(TEST_PASSWORD)
    supervisor.save()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    page.goto("/supervision/dashboard/")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} canvas")
        box = page.locator(f"#{chart} canvas").first.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100, chart
    shots = os.environ.get("ZHIFA_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"dashboard-{width}.png"), full_page=True)
    assert int(page.evaluate("() => document.documentElement.scrollWidth")) <= width
    assert problems == []
    context.close()

"""The page of background work in headless Chromium at 1280 CSS pixels: the warning, a
failure's traceback opened, "run now"; nothing scrolls sideways. With ``ZHIFA_SHOTS``
set, full-page screenshots go there (to be looked at)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhifa.core.testing import TEST_PASSWORD

from .test_background import history  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = 1280


def test_the_page_on_a_desktop(
    browser: Any,
    live_server: Any,
    history: dict[str, Any],  # noqa: F811
    admin_user: Any,
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": DESKTOP, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.click("#background-link a")
    page.wait_for_selector("#background-jobs")
    assert "records.checkpoint" in page.inner_text("#background-warning")
    row = page.locator("tr[data-job='registry.expire']")
    assert row.locator(".schedule").inner_text() == "每天 00:05"
    assert row.locator(".failure-count").inner_text() == "1"
    traceback = row.locator("pre.traceback")
    assert not traceback.is_visible()
    row.locator("details.failure summary").click()
    assert traceback.is_visible()
    assert "ZeroDivisionError: division by zero" in traceback.inner_text()
    shots = os.environ.get("ZHIFA_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / "background-1280.png"), full_page=True)
    assert int(page.evaluate("() => document.documentElement.scrollWidth")) <= DESKTOP
    # Run now: enqueued once; the row then says it waits.
    with page.expect_navigation():
        row.locator("form.bg-run button").click()
    assert page.locator(".messagelist").inner_text().lower().count("registry.expire") == 1
    assert page.locator("tr[data-job='registry.expire'] .waiting").is_visible()
    task = history["ok"].task_path
    assert DBTaskResult.objects.filter(task_path=task, status=TaskResultStatus.READY).count() == 1
    context.close()

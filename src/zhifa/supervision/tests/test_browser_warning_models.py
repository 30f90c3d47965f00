"""The warnings page with the warning models, and the portal's list of the models, at
390 and 1280 CSS pixels (headless Chromium): nothing scrolls sideways, the rows name
their rule. With ``ZHIFA_SHOTS`` set, full-page screenshots go there."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.core.testing import TEST_PASSWORD

from .conftest import width
from .test_warning_models import watched

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["watched"]


@pytest.mark.parametrize("pixels", [390, 1280])
def test_the_warnings_and_the_published_models(
    browser: Any, live_server: Any, watched: dict[str, Any], supervisor_city: Any, pixels: int
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": pixels, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/public/warning-models/")
        assert page.locator("#warning-models article").count() >= 8
        assert page.locator("#model-reviewer_ratio").inner_text().count("GB118-reviewer-ratio")
        assert width(page, f"portal-warning-models-{pixels}") <= pixels
        page.goto("/accounts/login/")
        page.fill("#id_username", "supervisor_city")
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/work/"):
            page.click("button.primary")
        page.goto("/supervision/warnings/")
        rows = page.locator("#organ-warnings tbody tr[data-model]")
        assert rows.count() == 9
        assert page.locator('#organ-warnings tr[data-rule="APL-42-qualified"]').count() == 4
        assert width(page, f"supervision-warnings-{pixels}") <= pixels
        page.click("text=预警模型：监测什么、何时预警、依据哪条规则")
        assert page.url.endswith("/public/warning-models/")
    finally:
        context.close()

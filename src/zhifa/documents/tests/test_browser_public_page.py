"""The public page of a document (``/d/<code>``) in real headless Chromium, at a phone's
390 px and a desktop's 1366 px: nothing runs past the card (the SM3 digest, 64 hex
digits without a break, ran 100 px past it at 1366 px)."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.cases.tests.conftest import Walker

from .test_rendering import decided, render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_digest_stays_inside_the_card(
    walk: Walker, browser: Any, live_server: Any, width: int
) -> None:
    decided(walk)
    document, _pdf = render(walk, "penalty_decision")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"/d/{document.code}")
        card = page.locator(".verify").bounding_box()
        digest = page.locator("code.digest").bounding_box()
        assert card and digest and document.sm3 in page.locator("code.digest").inner_text()
        assert digest["x"] + digest["width"] <= card["x"] + card["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()

"""The public portal on a phone, in real headless Chromium at 390 CSS pixels wide: an
anonymous visitor walks landing → region → organ → power list → procedure chart; no
page scrolls sideways. Screenshots go to ``ZHIFA_SHOTS`` (default: a temporary
directory) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width}px wide"


def test_walk_the_portal_at_390px(browser, live_server, world, organ_a, item_a, tmp_path):
    shots = Path(os.environ.get("ZHIFA_SHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "1-landing.png"), full_page=True)

        with page.expect_navigation(url="**/public/regions/330400/"):
            page.click("a[href='/public/regions/330400/']")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "2-region.png"), full_page=True)

        with page.expect_navigation(url=f"**/public/organs/{organ_a.pk}/"):
            page.click(f"text={organ_a.name}")
        assert page.locator("h1").inner_text() == organ_a.name
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "3-organ.png"), full_page=True)

        with page.expect_navigation(url=f"**/public/organs/{organ_a.pk}/powers/"):
            page.click(f"a[href='/public/organs/{organ_a.pk}/powers/']")
        assert item_a.name in page.locator("main").inner_text()
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "4-powers.png"), full_page=True)

        with page.expect_navigation(url=f"**/public/organs/{organ_a.pk}/officers/"):
            page.goto(f"/public/organs/{organ_a.pk}/officers/")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "5-officers.png"), full_page=True)

        page.goto(f"/public/organs/{organ_a.pk}/benchmarks/")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "5b-benchmarks.png"), full_page=True)
        page.goto(f"/public/organs/{organ_a.pk}/entrustments/")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "5c-entrustments.png"), full_page=True)

        page.goto(f"/public/organs/{organ_a.pk}/")
        with page.expect_navigation(url="**/public/procedure/"):
            page.click("a[href='/public/procedure/'] >> nth=0")
        assert page.locator("#step-decision").count() == 1
        assert page.locator("#step-closed").count() == 1
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "6-procedure.png"), full_page=True)

        with page.expect_navigation():
            page.click("button[value='en']")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Penalty procedure" in page.locator("h1").inner_text()
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "7-procedure-en.png"), full_page=True)

        page.goto("/public/remedies/")
        _no_sideways_scroll(page)
        page.screenshot(path=str(shots / "8-remedies-en.png"), full_page=True)
    finally:
        context.close()

"""The public statistics page in headless Chromium at 390 CSS pixels, without
JavaScript: the chart (server-side SVG) and the tables fit the width, and a figure
leads to the list of exactly the decisions it counts. Screenshots go to
/tmp/stats-shots/ (or ``ZHIFA_SHOTS``) to be looked at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from zhifa.accounts.models import User
from zhifa.statistics import services

from .conftest import decision, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("ZHIFA_SHOTS", "/tmp/stats-shots"))
D = dt.date


def test_the_published_statistics_on_a_phone_without_javascript(
    browser: Any, live_server: Any, today: dt.date, organ_a, organ_b, head_a: User
) -> None:
    year = today.year - 1
    for i in range(7):
        make_case(organ_a, head_a, [decision(D(year, 3, 1 + i), ("fine", 2000 + i))])
    make_case(
        organ_a,
        head_a,
        [
            ("seizure", D(year, 5, 1), {}),
            decision(
                D(year, 5, 20), ("fine", 80000), ("confiscation", 12000), ("revoke_permit", None)
            ),
        ],
    )
    make_case(organ_a, head_a, [decision(D(year, 6, 1), ("warning", None))])
    services.publish(organ_a, year, actor=head_a)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for url, name in (
            (f"/statistics/{year}/organs/{organ_a.pk}/", "organ"),
            (f"/statistics/{year}/regions/330400/", "region"),
        ):
            page.goto(url)
            assert page.locator("h1").inner_text()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (name, width)
            chart = page.locator("figure.stats-chart svg")
            box = chart.bounding_box()
            assert box is not None and 0 < box["width"] <= 390 and box["height"] > 50
            assert page.locator("figure.stats-chart svg rect").count() >= 8
            page.screenshot(path=str(SHOTS / f"statistics-{name}-390.png"), full_page=True)
            # The table carries the figures too (no script needed).
            fines = page.locator('a.figure[data-figure="fine"]').first
            assert fines.inner_text() == "7"
        page.goto(f"/statistics/{year}/organs/{organ_a.pk}/")
        page.locator('a.figure[data-figure="revocation"]').click()
        assert page.locator("tr.listed").count() == 1
        assert "80000.00" in page.locator("tr.listed").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SHOTS / "statistics-list-390.png"), full_page=True)
        page.goto(f"/statistics/{year}/organs/{organ_a.pk}/")
        page.locator('a.figure[data-figure="penalty"]').first.click()
        assert page.locator("tr.listed").count() == 9
    finally:
        context.close()

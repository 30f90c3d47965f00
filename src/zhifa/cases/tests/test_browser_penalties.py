"""The "Penalties and payment" section of the case page on a phone (issue #14 item 4):
in real headless Chromium at 390 CSS pixels wide the section does not scroll sideways,
every amount is on screen and each payment card names its values. Screenshots go to
/tmp/ui2-shots/ (or ``ZHIFA_SHOTS``) to be looked at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zhifa.cases import services
from zhifa.catalogue.models import PowerItem
from zhifa.registry.models import EnforcementSubject

from .conftest import D, People
from .test_browser_phone import LABELS_JS, SHOTS, WIDTH, Page, assert_fits, measure, phone
from .test_penalties_page import decided_and_served

__all__ = ["phone"]  # the fixture, imported for this module's tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_penalties_section_fits_a_phone(
    phone: Callable[[str], Page],
    organ_a: EnforcementSubject,
    power_item: PowerItem,
    people: People,
) -> None:
    walk = decided_and_served(organ_a, power_item, people)
    walk(services.record_payment, on=D("2026-11-20"), amount=4000)
    walk(services.record_payment, on=D("2026-11-23"), amount=1500.5)

    officer = phone(people.officer_user.username)
    sizes = measure(officer, f"/cases/{walk.case.pk}/", "case-page-penalties")
    section = officer.locator("#penalties")
    section.screenshot(path=str(SHOTS / "penalties-section.png"))
    assert_fits(sizes, "the case page")
    box: Any = section.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    text = section.inner_text()
    for shown in ("10,000.00 元", "5,500.50 元", "2,100.00 元", "6,599.50 元", "2026-11-17"):
        assert shown in text, shown
    for amount in officer.locator("#penalties dd").all():
        edge = amount.bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= WIDTH, edge
    cells = officer.evaluate(LABELS_JS, "table.payments > tbody > tr > td")
    assert len(cells) == 8 and all(c["label"] and c["shown"] and c["inside"] for c in cells)

"""The officer's pages on a phone (issue #10 item 5), in real headless Chromium at 390
CSS pixels wide: the work list, a case page and a step form never scroll sideways, and
the work list shows its cases as cards instead of squeezing the table's columns to a
character or two (the page was 6,351 px tall with a handful of cases). Screenshots go
to /tmp/ui2-shots/ (or ``ZHIFA_SHOTS``) to be looked at."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.models import Case
from zhifa.core.testing import TEST_PASSWORD
from zhifa.records.services import add_evidence
from zhifa.records.tests.files import evidence_kwargs

from .conftest import People, Walker, case_in, make_bands

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
SHOTS = Path(os.environ.get("ZHIFA_SHOTS", "/tmp/ui2-shots"))
#: Long parties and power items, as real ones are: the cards must wrap them.
PARTIES = [
    "嘉兴市南湖区某某食品贸易有限责任公司第一分公司",
    "嘉兴某某餐饮管理有限公司",
    "张某某（个体工商户：嘉兴市秀洲区某某小吃店）",
    "嘉兴某某超市连锁有限公司",
    "嘉兴某某农产品批发市场经营管理有限公司",
    "嘉兴某某食品有限公司",
]

Page = Any  # playwright.sync_api.Page


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Callable[[str], Page]]:
    """A user logged in through the login page in a 390-px-wide phone browser."""
    contexts: list[Any] = []

    def _phone(username: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": WIDTH, "height": 844},
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/work/"):
            page.click("button.primary")
        return page

    yield _phone
    for context in contexts:
        context.close()


def measure(page: Page, path: str, shot: str) -> dict[str, int]:
    page.goto(path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{shot}-top.png"))  # the first screen, full size
    sizes: dict[str, int] = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            height: document.documentElement.scrollHeight,
        })"""
    )
    return sizes


def assert_fits(sizes: dict[str, int], what: str) -> None:
    assert sizes["scrollWidth"] <= WIDTH, f"{what} overflows to {sizes['scrollWidth']} px"


def test_the_officers_pages_fit_a_phone(
    phone: Callable[[str], Page],
    general_case: Case,
    power_item: Any,
    people: People,
    supervisor_city: Any,
) -> None:
    make_bands(power_item, supervisor_city)
    walk = Walker(general_case, people)
    walk.until_review()  # a case page with steps, deadlines and a timeline
    for party in PARTIES:
        case_in(general_case.organ, people.officer_user, power_item, party_name=party)
    cases = len(PARTIES) + 1

    officer = phone(people.officer_user.username)
    work_list = measure(officer, "/cases/", "work-list")
    rows = officer.locator("table.list.cases tbody tr")
    assert rows.count() == cases
    # The party's cell of the first case: a card's line as wide as the screen's content,
    # not a table column squeezed to one or two characters.
    party_cell = rows.first.locator("td").nth(1).bounding_box()
    case_page = measure(officer, f"/cases/{general_case.pk}/", "case-page")
    head = phone(people.head_user.username)
    step = measure(head, f"/cases/{general_case.pk}/steps/decision/", "step-form")
    inputs = head.locator("form.form input:visible, form.form select:visible")
    boxes = [inputs.nth(i).bounding_box() for i in range(inputs.count())]
    print({"work_list": work_list, "party": party_cell, "case": case_page, "step": step})

    assert_fits(work_list, "the work list")
    assert_fits(case_page, "the case page")
    assert_fits(step, "the decision form")
    assert party_cell is not None and party_cell["width"] >= WIDTH * 0.6, party_cell
    # The page is as tall as its cards: header, filters and seven cards of six short
    # lines (measured: 2,235 px with the cards; 4,470 px for the squeezed table).
    assert work_list["height"] < 2900, work_list
    assert boxes and all(b is None or b["x"] + b["width"] <= WIDTH for b in boxes), boxes


#: Each labelled cell of a page's list tables: its label (the ``::before`` of its
#: ``data-label``) and whether that label stays inside the cell.
LABELS_JS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((td) => td.offsetParent !== null)
    .map((td) => {
        const before = getComputedStyle(td, "::before");
        return {
            text: td.textContent.trim().slice(0, 20),
            label: td.dataset.label || null,
            shown: before.content !== "none" && before.content !== "normal",
            inside: parseFloat(before.height) <= td.getBoundingClientRect().height + 0.5,
        };
    })"""


def test_the_case_page_s_cards_name_their_values(
    phone: Callable[[str], Page],
    general_case: Case,
    power_item: Any,
    people: People,
    supervisor_city: Any,
) -> None:
    """Issue #10: on a phone the deadlines, steps and evidence cards showed bare values,
    the penalty rows a select and a box without names, and the label 记录哈希（SM3）
    spilled out of its card."""
    make_bands(power_item, supervisor_city)
    Walker(general_case, people).until_review()
    add_evidence(**evidence_kwargs(people.officer_user, obj=general_case))

    officer = phone(people.officer_user.username)
    measure(officer, f"/cases/{general_case.pk}/", "case-page-labels")
    for table in ("table.deadlines", "table.steps", "table.evidence"):
        # Every cell but a card's title (the deadline's name, the evidence's title) and
        # the evidence's download link.
        cells = officer.evaluate(
            LABELS_JS,
            f"{table} > tbody > tr > td:not(:first-child):not(:last-child), "
            f"{table} > tbody > tr > td:last-child:not(:has(a[href*='/file']))",
        )
        assert cells, table
        assert all(c["label"] and c["shown"] for c in cells), (table, cells)
    every = officer.evaluate(LABELS_JS, "table.list > tbody > tr > td[data-label]")
    assert any(c["label"] == "记录哈希（SM3）" for c in every)
    assert all(c["inside"] for c in every), [c for c in every if not c["inside"]]

    head = phone(people.head_user.username)
    measure(head, f"/cases/{general_case.pk}/steps/decision/", "decision-labels")
    rows = head.locator("form.form fieldset table tbody tr")
    assert rows.count() == 3
    cells = head.evaluate(LABELS_JS, "form.form fieldset table tbody td")
    assert [c["label"] for c in cells[:2]] == ["种类", "金额（元）"], cells
    assert all(c["shown"] and c["inside"] for c in cells), cells
    for control in ("select", "input"):
        for box in head.locator(f"form.form fieldset table tbody {control}").all():
            name = box.get_attribute("id")
            assert head.locator(f"label[for='{name}']").count() == 1, name

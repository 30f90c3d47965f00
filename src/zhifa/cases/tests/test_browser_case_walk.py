"""A general-procedure case walked in real headless Chromium (issue #6 item 9), from its
opening to its closure and archiving, by three people in their own browsers: the officer, the organ
head and the legal reviewer, each logged in through the login page. Then the
acceptance check as a user runs it: ``zhifa records verify`` succeeds, and the case
exported with ``zhifa cases export`` passes ``zhifa audit`` without an error finding.

The submission for legal review and the review itself are dated today by their pages,
so the steps before them are dated in the past, in order, leaving the windows the law
gives the party (the prior notice of a fine carrying the hearing right: the decision
waits for the 5 working days to ask for a hearing, APL-64-hearing-request), and the
steps after them are dated today (the forms' default)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from zhifa.cases.models import Case, CaseStatus
from zhifa.core.testing import TEST_PASSWORD

from .conftest import FSL, People, make_bands

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Page = Any  # playwright.sync_api.Page (Playwright is imported only when Chromium exists)


@pytest.fixture
def log_in(browser: Any, live_server: Any) -> Iterator[Callable[[str], Page]]:
    """Log a user in through the login page, in a browser context of their own."""
    contexts: list[Any] = []

    def _log_in(username: str) -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/work/"):
            page.click("button.primary")
        return page

    yield _log_in
    for context in contexts:
        context.close()


def submit(page: Page, expected_path: str) -> None:
    """Submit the page's main form and land on ``expected_path``; a refusal shows its
    errors in the failure."""
    with page.expect_navigation():
        page.click("form.form button.primary")
    if not page.url.split("?")[0].endswith(expected_path):
        errors = page.locator(".errors, .error").all_inner_texts()
        pytest.fail(f"the form at {page.url} was refused: {errors}")


def take_step(
    page: Page,
    pk: int,
    step: str,
    on: dt.date | None = None,
    fill: Callable[[Page], None] | None = None,
    *,
    today: dt.date,
) -> str:
    """Open ``step`` from the case page's next steps (dated ``today`` by default), fill
    it, record it; the message."""
    page.goto(f"/cases/{pk}/")
    link = page.locator(f".next-steps a[href='/cases/{pk}/steps/{step}/']")
    with page.expect_navigation():
        link.click()
    assert page.locator("#id_on").input_value() == today.isoformat()
    if on is not None:
        page.fill("#id_on", on.isoformat())
    if fill is not None:
        fill(page)
    submit(page, f"/cases/{pk}/")
    message: str = page.locator("ul.messages").inner_text()
    assert "已记录" in message, message
    return message


def check(*selectors: str) -> Callable[[Page], None]:
    def _fill(page: Page) -> None:
        for selector in selectors:
            page.check(selector)

    return _fill


def run(*args: str) -> str:
    """A management command as ``zhifa …`` runs it; its output. A non-zero exit fails."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            pytest.fail(f"zhifa {' '.join(args)} exited {exc.code}: {err.getvalue()}")
    return out.getvalue()


def test_a_general_case_from_opening_to_archive_in_the_browser(
    log_in: Callable[[str], Page],
    organ_a: Any,
    power_item: Any,
    people: People,
    supervisor_city: Any,
    tmp_path: Path,
    today: dt.date,
) -> None:
    make_bands(power_item, supervisor_city)
    days = {
        name: today - dt.timedelta(days=n)
        for name, n in (
            ("occurred", 32),
            ("opened", 31),
            ("registered", 30),
            ("investigation", 29),
            ("prior_notice", 21),
            ("statement", 19),
        )
    }
    o1, o2 = people.o1.pk, people.o2.pk

    # The officer opens the case: the power item fills in the legal basis.
    officer = log_in(people.officer_user.username)
    officer.goto("/cases/")
    with officer.expect_navigation(url="**/cases/new/"):
        officer.click("a[href='/cases/new/']")
    officer.select_option("form.filters select[name=power_item]", str(power_item.pk))
    with officer.expect_navigation():
        officer.click("form.filters button")
    assert officer.locator("#id_law").input_value() == FSL
    assert officer.locator("#id_power_item").input_value() == str(power_item.pk)
    officer.fill("#id_on", days["opened"].isoformat())
    officer.select_option("#id_source", "inspection")
    officer.select_option("#id_procedure", "general")
    officer.select_option("#id_party_type", "organisation")
    officer.fill("#id_party_name", "嘉兴某某食品有限公司")
    officer.fill("#id_party_uscc", "91110108551385082Q")
    officer.fill("#id_occurred_on", days["occurred"].isoformat())
    officer.fill("#id_discovered_on", days["opened"].isoformat())
    officer.select_option("#id_harm", "ordinary")
    officer.check("#id_first_offence")
    officer.fill("#id_article", "第一百二十四条第一款")
    for kind in ("warning", "fine", "confiscation", "revoke_permit"):
        officer.check(f"input[name=penalty_types][value={kind}]")
    with officer.expect_navigation():
        officer.click("form.form button.primary")
    found = re.search(r"/cases/(\d+)/$", officer.url)
    assert found, officer.url
    pk = int(found.group(1))
    # Entered: the source number (案源登记号) is the case_id; no case number yet.
    case_id = f"嘉市监案源〔{days['opened'].year}〕1号"
    assert officer.locator("h1").inner_text() == f"{case_id} 嘉兴某某食品有限公司"
    assert case_id in officer.locator("ul.messages").inner_text()
    assert "目前没有可由您办理的环节。" in officer.content()  # registration is the head's

    # The organ head registers it from the approvals page, naming two investigators.
    head = log_in(people.head_user.username)
    head.goto("/cases/approvals/")
    with head.expect_navigation():
        head.click(f"table.approvals-registration a[href='/cases/{pk}/steps/registered/']")
    head.fill("#id_on", days["registered"].isoformat())
    head.check(f"input[name=by][value='{o1}']")
    head.check(f"input[name=by][value='{o2}']")
    submit(head, f"/cases/{pk}/")
    assert "已记录：立案。" in head.locator("ul.messages").inner_text()
    # The registration issues the case number (立案号); the page is titled with it.
    case_number = f"嘉市监立〔{days['registered'].year}〕1号"
    assert case_number in head.locator("ul.messages").inner_text()
    assert head.locator("h1").inner_text() == f"{case_number} 嘉兴某某食品有限公司"

    # The officer investigates, serves the prior notice and records the statement.
    take_step(
        officer,
        pk,
        "investigation",
        days["investigation"],
        check(
            f"input[name=officers][value='{o1}']",
            f"input[name=officers][value='{o2}']",
            "input[name=evidence][value=on_site_record]",
            "input[name=evidence][value=documentary]",
            "input[name=evidence][value=party_statement]",
        ),
        today=today,
    )

    def intended_fine(page: Page) -> None:
        assert page.locator("#id_written").is_checked()
        assert page.locator("#id_hearing_right_notified").is_checked()
        page.select_option("#id_penalty_type_1", "fine")
        page.fill("#id_penalty_amount_1", "150000")

    notice = take_step(
        officer, pk, "prior_notice", days["prior_notice"], intended_fine, today=today
    )
    assert f"嘉市监罚告〔{days['prior_notice'].year}〕1号" in notice
    take_step(officer, pk, "statement", days["statement"], today=today)

    # The officer submits the case for legal review.
    officer.goto(f"/review/submit/{pk}/")
    # A registered case is shown by its case number (立案号) on every page (Case.number).
    assert case_number in officer.locator("dl.facts").inner_text()
    officer.fill("#id_note", "拟罚款十五万元。请审核事实、证据、依据与程序。")
    with officer.expect_navigation(url=re.compile(r"/review/\d+/$")):
        officer.click("form.form button.primary")
    assert "法制审核" in officer.locator("h1").inner_text()

    # The legal reviewer finds it in the queue and passes it with the checklist.
    reviewer = log_in(people.reviewer_user.username)
    reviewer.goto("/review/")
    with reviewer.expect_navigation(url=re.compile(r"/review/\d+/$")):
        reviewer.click(f"table.list a:text-is('{case_number}')")
    review_path = urlparse(reviewer.url).path
    radios = reviewer.locator("input[type=radio][name$='_ok'][value=ok]")
    assert radios.count() > 0
    for i in range(radios.count()):
        radios.nth(i).check()
    reviewer.fill("#id_opinion", "事实清楚，证据确凿，适用依据正确，程序合法，同意拟处罚意见。")
    reviewer.check("input[name=result][value=passed]")
    submit(reviewer, review_path)
    assert "法制审核已记录。" in reviewer.locator("ul.messages").inner_text()
    assert reviewer.locator("#id_opinion").count() == 0  # read-only now

    # The organ head holds the collective discussion (APL 57: the fine carries the
    # hearing right) and decides, within the general band of the benchmark.
    head.goto("/cases/approvals/")
    row = head.locator("table.approvals-decision tr", has_text=case_number)
    assert row.locator(".status-met").count() == 1  # the review passed
    head.goto(f"/cases/{pk}/")
    if head.locator(f".next-steps a[href='/cases/{pk}/steps/collective_discussion/']").count():
        take_step(head, pk, "collective_discussion", today=today)

    def decision(page: Page) -> None:
        assert "100000" in page.locator("table.band-table").inner_text()
        assert page.locator("#id_outcome").input_value() == "penalty"
        page.select_option("#id_penalty_type_1", "fine")
        page.fill("#id_penalty_amount_1", "150000")
        page.select_option("#id_circumstance", "general")

    decided = take_step(head, pk, "decision", fill=decision, today=today)
    decision_number = f"嘉市监罚〔{today.year}〕1号"
    assert decision_number in decided

    # The officer serves the decision, records the payment and the disclosure.
    def direct_service(page: Page) -> None:
        page.select_option("#id_method", "direct")
        page.select_option("#id_signed_by", "recipient")

    take_step(officer, pk, "served", fill=direct_service, today=today)
    take_step(officer, pk, "paid", fill=lambda page: page.fill("#id_amount", "150000"), today=today)
    # The platform publishes the decision (the worker's sweep): no tick-box.
    from zhifa.disclosure.tasks import sweep_publications

    assert sweep_publications.call()["published"] == 1
    # The head approves the closure (结案审批, CLOSE-conditions): the fine was paid.
    take_step(
        head,
        pk,
        "closed",
        fill=lambda page: page.select_option("#id_reason", "performed"),
        today=today,
    )

    # Archiving (归档) ends the procedure.
    officer.goto(f"/cases/{pk}/")
    assert officer.locator("#archive-form #id_on").input_value() == today.isoformat()
    with officer.expect_navigation():
        officer.click("#archive-form button")
    assert "案件已归档" in officer.locator("ul.messages").inner_text()

    # What the case page shows now.
    facts = officer.locator("#case-facts").inner_text()
    assert "已结案" in facts and f"已于 {today.isoformat()} 归档" in facts
    assert officer.locator("#archive-form").count() == 0
    assert "目前没有可由您办理的环节。" in officer.content()
    table = officer.locator("table.steps").inner_text()
    assert decision_number in table and f"嘉市监罚告〔{days['prior_notice'].year}〕1号" in table
    for label in ("立案", "调查取证", "陈述申辩", "法制审核", "送达", "公示", "结案"):
        assert label in table, label
    timeline = f"/records/timeline/cases.case/{pk}/"
    with officer.expect_navigation(url=f"**{timeline}"):
        officer.click(f"a[href='{timeline}']")
    entries = officer.locator("table.list").first.inner_text()
    # The opening, every step and the archiving, each by the user who recorded it.
    # Objects are titled in words (案件 and its number), not as codes.
    assert entries.count(f"案件 {case_number}") >= 14, entries
    assert "cases.case" not in entries
    assert "案件归档" in entries
    for name in ("张伟", "刘洋", "陈静"):
        assert name in entries, name
    case = Case.objects.get(pk=pk)
    assert case.status == CaseStatus.CLOSED and case.case_id == case_id
    assert case.archived_on == today and len(case.archive_digest) == 64
    assert [s.step for s in case.steps.order_by("index")] == [
        "registered",
        "investigation",
        "prior_notice",
        "statement",
        "legal_review",
        "collective_discussion",
        "decision",
        "served",
        "paid",
        "disclosed",
        "closed",
    ]
    assert (case.benchmark or {}).get("circumstance") == "ordinary"  # the general band applied
    assert case.steps.get(step="legal_review").on == today

    # The acceptance check, as a user runs it.
    verified = run("records", "verify")
    assert verified.startswith("records verify: OK")
    exported = tmp_path / "case.json"
    exported.write_text(run("cases", "export", case_id), encoding="utf-8")
    assert json.loads(exported.read_text("utf-8"))["case_id"] == case_id
    findings = json.loads(run("audit", str(exported)))
    assert findings["case_id"] == case_id
    assert [f for f in findings["findings"] if f["severity"] == "error"] == []

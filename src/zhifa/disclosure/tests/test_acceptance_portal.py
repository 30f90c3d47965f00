"""Acceptance of issue #15 (public disclosure portal), in headless Chromium at a desktop's
width and a phone's 390 px: "a decision issued in the platform appears on the portal,
redacted, on the day its rules say; after the decision is revoked it shows as withdrawn
with the reason within the period; the 双公示 export of that decision has every required
field within its length."

The case of an individual (王小明) whose name, citizen ID number, phone number and home
address are in the case — the party's identity, the inquiry record, the 送达回证, and the
facts the organ head types into the decision — is prepared through the services (the
long part), then the steps that matter are taken on the pages, each by its user logged
in through the login page, on a clock moved day by day (never the wall clock):

1. the head issues the decision on its form (the officer serves it); nothing is on the
   portal before the worker's publication task runs, and when it runs it refuses the
   decision (DISC-redaction: the typed facts hold the name, phone and address — failed,
   never published). The rules give a last day, not a fixed one (GB118-disclose-decision:
   within N working days, asked of the engine; the platform publishes as soon as the
   worker may): the test takes the boundary. The day before it nothing is public and the
   deadline is not missed; on it the officer writes the public text on the organ's
   publication page and the worker publishes it that day, the deadline met: the public
   page shows the masked name (王某某) and none of the private values anywhere in its
   HTML, at 1366 px and at 390 px, and the list, the search and the public API find it;
2. the 双公示 export of the organ's period, downloaded as CSV and XLSX from the export
   page and delivered through the API (JSON, CSV, XLSX), holds the decision's row with
   every item the engine's layout requires filled and every item within the engine's
   length;
3. the head records the decision revoked on the case's page; on the last day
   APL-48-withdraw gives (the engine's), the worker withdraws it: the public page says
   it was withdrawn, when and why, the content search no longer finds it, and the record
   keeps both the publication and the withdrawal.

A second test walks every other public page (the portal's home, region, organ and
ex-ante pages, the procedure chart, remedies, the decisions and their search, the
statistics, the verification pages, the publication log) at 390 px: none scrolls
sideways.

Screenshots go to ``ZHIFA_SHOTS`` (default: the test's temporary directory).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from stdnum.cn import ric

from zhifa.accounts.services import create_api_token
from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import BASIS, BENCHMARK, VIOLATION, People, Walker, make_bands
from zhifa.core.testing import TEST_PASSWORD
from zhifa.disclosure import double_publicity, services
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.records.models import Entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import double_publicity as layout
from zhifa.rules.engine.parameters import Parameters
from zhifa.rules.engine.publication import (
    DISCLOSE,
    WITHDRAW,
    mask_name,
    publication_due,
    withdrawal_due,
)
from zhifa.transparency.models import LogEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Page = Any  # playwright.sync_api.Page (Playwright is imported only when Chromium exists)

TZ = ZoneInfo("Asia/Shanghai")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# --- the individual and what the case holds of them ------------------------------------------

NAME = "王小明"
ID_NUMBER = "33040219850307123" + ric.calc_check_digit("33040219850307123" + "0")
MOBILE = "13857312345"
HOME = "嘉兴市南湖区中山路123号"
ROOM = "2幢3单元401室"
#: Every private value: none may appear anywhere in a public page's HTML, nor in the
#: 双公示 files.
PRIVATE = (NAME, ID_NUMBER, MOBILE, HOME, ROOM, "中山路")
#: The facts as the head types them into the decision, as a 决定书 states them: with the
#: party's full name, phone and address (DISC-redaction refuses to publish them).
TYPED_FACTS = (
    f"经查，当事人{NAME}（联系电话{MOBILE}）自2026年2月起在其位于{HOME}的经营场所"
    "销售超过保质期的纯牛奶十二盒，货值金额人民币三百六十元。"
)
#: The party's answer in the inquiry record.
ANSWER = f"住{HOME}{ROOM}，电话{MOBILE}。"
#: The public text the officer writes for the portal.
PUBLIC_FACTS = (
    "当事人自2026年2月起在其经营场所销售超过保质期的纯牛奶十二盒，货值金额人民币三百六十元。"
)
#: A phrase of the public text the content search is asked for.
SEARCHED = "超过保质期的纯牛奶"
REVOKED_BECAUSE = "复议机关以认定事实不清为由撤销原处罚决定"
ORGAN_USCC = "11330400MB1234567X"

SHOTS = Path(os.environ.get("ZHIFA_SHOTS", "")) if os.environ.get("ZHIFA_SHOTS") else None


def at(time_machine: Any, day: dt.date) -> None:
    """The clock at 10:00 on ``day`` in the site's time zone (ticking on)."""
    time_machine.move_to(dt.datetime.combine(day, dt.time(10), tzinfo=TZ), tick=True)


def run_worker() -> None:
    """What ``zhifa worker --once`` does: run the tasks queued now."""
    call_command("worker", once=True, verbosity=0)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def contexts(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """New browser contexts against the live server, closed at the end: a desktop's or
    a phone's (390 × 844, touch)."""
    opened: list[Any] = []

    def _new(phone: bool = False, **extra: Any) -> Any:
        # A browser asking for English: the public pages are Chinese all the same.
        options: dict[str, Any] = {"base_url": live_server.url, "locale": "en-US"}
        if phone:
            options |= {
                "viewport": PHONE,
                "device_scale_factor": 1,
                "is_mobile": True,
                "has_touch": True,
            }
        else:
            options["viewport"] = DESKTOP
        context = browser.new_context(**options, **extra)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield _new
    for context in opened:
        context.close()


@pytest.fixture
def log_in(contexts: Callable[..., Any], live_server: Any) -> Callable[[Any], Page]:
    """A user logged in through the login page, in a desktop browser of their own (the
    sessions last 8 hours: each day of the walk logs in again)."""

    def _log_in(user: Any) -> Page:
        page = contexts().new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/work/"):
            page.click("button.primary")
        return page

    return _log_in


def submit(page: Page, expected_path: str) -> None:
    """Submit the page's main form and land on ``expected_path``; a refusal shows its
    errors in the failure."""
    with page.expect_navigation():
        page.click("form.form button.primary")
    if not page.url.split("?")[0].endswith(expected_path):
        errors = page.locator(".errors, .error, .errorlist").all_inner_texts()
        pytest.fail(f"the form at {page.url} was refused: {errors}")


def width_of(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def public_html_has_none_of_the_private_values(page: Page) -> None:
    html = page.content()
    for value in PRIVATE:
        assert value not in html, f"{value} is on {page.url}"


def look(contexts: Callable[..., Any], shots: Path, path: str, name: str) -> dict[str, str]:
    """Open ``path`` anonymously at 1366 px and at 390 px: found, in Chinese, no private
    value in its HTML, a screenshot of each, no sideways scrolling on the phone; the
    main part's text at each width."""
    texts = {}
    for phone in (False, True):
        page = contexts(phone=phone).new_page()
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        public_html_has_none_of_the_private_values(page)
        nav = page.locator("nav.p-nav")
        if nav.count():  # the portal's pages: its sections by their names
            assert "处罚决定公开" in nav.inner_text(), nav.inner_text()
        page.screenshot(path=str(shots / f"{name}-{390 if phone else 1366}.png"), full_page=True)
        if phone:
            assert width_of(page) <= PHONE["width"], f"{path} is {width_of(page)} px wide"
        texts["phone" if phone else "desktop"] = page.locator("main").inner_text()
        page.context.close()
    return texts


# --- the case, prepared through the services ------------------------------------------------------


def prepare(organ: Any, power_item: Any, p: People) -> Walker:
    """An individual's general case up to the collective discussion (26 March 2026):
    the party's ID number in the case, the phone and the home address in the inquiry
    record."""
    case = case_services.open_case(
        organ,
        actor=p.officer_user,
        on=dt.date(2026, 3, 2),
        procedure="general",
        power_item=power_item,
        party={"type": "individual", "name": NAME, "id_number": ID_NUMBER},
        violation=VIOLATION,
        basis=BASIS,
        benchmark=BENCHMARK,
    )
    walk = Walker(case, p)
    walk(
        case_services.register_case,
        actor=p.head_user,
        on=dt.date(2026, 3, 3),
        by=[p.o1, p.o2],
    )
    walk(
        case_services.record_investigation,
        on=dt.date(2026, 3, 4),
        officers=[p.o1, p.o2],
        evidence=["on_site_record", "party_statement"],
        content={
            "records": [
                {
                    "kind": "inquiry",
                    "place": f"{HOME}{ROOM}",
                    "started": "2026-03-04 09:30",
                    "ended": "2026-03-04 10:10",
                    "interviewee": f"{NAME}（当事人，联系电话{MOBILE}）",
                    "qa": [{"question": "你的住址和联系方式？", "answer": ANSWER}],
                }
            ],
            "facts": TYPED_FACTS,
        },
    )
    walk.notify()
    walk(case_services.record_statement, on=dt.date(2026, 3, 18))
    walk.review()
    walk(case_services.record_collective_discussion, actor=p.head_user, on=dt.date(2026, 3, 26))
    return walk


def take_step(page: Page, case: Case, step: str, on: dt.date, fill: Callable[[Page], None]) -> None:
    """Open ``step`` from the case page's next steps, check it is dated today, fill it
    and record it."""
    page.goto(f"/cases/{case.pk}/")
    with page.expect_navigation():
        page.click(f".next-steps a[href='/cases/{case.pk}/steps/{step}/']")
    assert page.locator("#id_on").input_value() == on.isoformat()
    fill(page)
    submit(page, f"/cases/{case.pk}/")
    assert "已记录" in page.locator("ul.messages").inner_text()


def audit_deadline(case: Case, rule: str, as_of: dt.date) -> Any:
    found = [d for d in case_services.deadlines(case, as_of) if d.rule == rule]
    assert found, f"the engine has no {rule} deadline for the case"
    return found[-1]


# --- the 双公示 files ---------------------------------------------------------------------------


def csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [c.title for c in layout.COLUMNS]
    return [dict(zip(layout.COLUMN_KEYS, r, strict=True)) for r in rows[1:]]


def xlsx_rows(body: bytes) -> list[dict[str, str]]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [c.title for c in layout.COLUMNS]
    assert all(isinstance(v, str) for row in rows[1:] for v in row)
    return [dict(zip(layout.COLUMN_KEYS, r, strict=True)) for r in rows[1:]]


def the_row(rows: list[dict[str, str]], number: str) -> dict[str, str]:
    found = [r for r in rows if r["CF_WSH"] == number]
    assert len(found) == 1, [r["CF_WSH"] for r in rows]
    return found[0]


def every_item_present_and_within_its_length(row: dict[str, str]) -> None:
    """The row against the engine's layout: every item it requires filled, every item
    within its length (an amount within its digits and decimals), nothing else."""
    assert list(row) == list(layout.COLUMN_KEYS)
    required = [c for c in layout.COLUMNS if c.required]
    assert required, "the engine's layout requires no item"
    for column in layout.COLUMNS:
        value = row[column.key]
        if column.required:
            assert value.strip(), f"{column.title} is required and empty"
        if not value:
            continue
        if column.kind == "amount":
            whole, _point, decimals = value.partition(".")
            assert len(decimals) <= layout.AMOUNT_PLACES, (column.title, value)
            assert len(whole + decimals) <= column.max_length, (column.title, value)
        else:
            assert len(value) <= column.max_length, (column.title, len(value), column.max_length)
        if column.kind == "date":
            dt.date.fromisoformat(value)
    assert layout.check_row(row) == []
    for value in PRIVATE:
        assert all(value not in v for v in row.values()), value


# --- the acceptance walk ------------------------------------------------------------------------


def test_a_decision_published_redacted_on_its_day_withdrawn_when_revoked_and_exported(
    frozen_clock: dt.datetime,  # first: every fixture is made on the frozen clock
    organ_a: Any,
    power_item: Any,
    people: People,
    supervisor_city: Any,
    contexts: Callable[..., Any],
    log_in: Callable[[Any], Page],
    shots: Path,
    time_machine: Any,
) -> None:
    p = people
    type(organ_a).objects.filter(pk=organ_a.pk).update(uscc=ORGAN_USCC)
    make_bands(power_item, supervisor_city)
    decided_on = dt.date(2026, 3, 27)
    at(time_machine, decided_on - dt.timedelta(days=1))
    walk = prepare(organ_a, power_item, p)
    case = walk.case

    # --- 1. The head issues the decision on its form ------------------------------------------
    at(time_machine, decided_on)
    head = log_in(p.head_user)

    def decision(page: Page) -> None:
        assert page.locator("#id_outcome").input_value() == "penalty"
        page.select_option("#id_penalty_type_1", "fine")
        page.fill("#id_penalty_amount_1", "150000")
        page.select_option("#id_circumstance", "general")
        page.fill("#id_content_facts", TYPED_FACTS)

    take_step(head, case, "decision", decided_on, decision)
    step = case.steps.get(step="decision")
    number = step.document_number
    assert number and number in head.locator("ul.messages").inner_text()
    # The officer serves it at the party's home that day: the 送达回证 holds the
    # address and the name too.
    walk(
        case_services.serve_decision,
        on=decided_on,
        method="direct",
        signed_by="recipient",
        content={"recipient": NAME, "signer": NAME, "place": f"{HOME}{ROOM}"},
    )
    publication = Publication.objects.get(case=case)
    # The day the rules say, asked of the engine: DISC-scope for the organ, the
    # working days of GB118-disclose-decision counted by the engine's calendar.
    scope = services.organ_scope(organ_a)
    assert scope.covers("general", ["fine"])
    due = publication_due(
        database_calendar(), decided_on, scope, Parameters(case.settings or {})
    ).due
    assert due > decided_on
    assert publication.due_on == due and publication.status == PublicationStatus.SCHEDULED
    assert audit_deadline(case, DISCLOSE, decided_on).due.due == due

    # Nothing on the portal before the publication task has run.
    anonymous = contexts().new_page()
    assert anonymous.goto(f"/decisions/{publication.pk}/").status == 404
    anonymous.goto("/decisions/")
    assert number not in anonymous.content()

    # The worker runs the publication task: the typed facts hold the party's name, phone
    # and address, so nothing is published and the organ's page names the fields.
    run_worker()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED
    kinds = {(f["field"], f["kind"]) for f in publication.failures}
    assert {("facts", "name"), ("facts", "phone"), ("facts", "address")} <= kinds, kinds
    assert anonymous.goto(f"/decisions/{publication.pk}/").status == 404
    anonymous.goto("/decisions/")
    assert number not in anonymous.content()
    public_html_has_none_of_the_private_values(anonymous)

    # The day before the last day: still nothing public, the clock not yet missed.
    before = due - dt.timedelta(days=1)
    at(time_machine, before)
    assert anonymous.goto(f"/decisions/{publication.pk}/").status == 404
    assert audit_deadline(case, DISCLOSE, before).status(before) != "missed"

    # The last day: the officer finds the failed publication first on the organ's page,
    # writes the public text of the facts, and the worker publishes it that day.
    at(time_machine, due)
    officer = log_in(p.officer_user)
    officer.goto("/disclosure/")
    failed = officer.locator("table.failed").inner_text()
    assert number in failed and "自然人姓名" in failed and "电话号码" in failed
    with officer.expect_navigation():
        officer.click(f"table.failed a:text-is('{number}')")
    assert "DISC-redaction" in officer.locator(".errors").inner_text()
    officer.fill("#id_facts_brief", PUBLIC_FACTS)
    with officer.expect_navigation():
        officer.click("form[action$='/correct/'] button")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.SCHEDULED
    assert anonymous.goto(f"/decisions/{publication.pk}/").status == 404
    run_worker()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED, publication.failures
    assert publication.published_on == due
    gb118 = audit_deadline(case, DISCLOSE, due)
    assert gb118.due.due == due and gb118.status(due) == "met"
    assert case.steps.get(step="disclosed").on == due

    # The public page, redacted, at both widths.
    page = look(contexts, shots, f"/decisions/{publication.pk}/", "1-decision-published")
    text = page["desktop"]
    masked = mask_name(NAME)
    assert masked == "王某某"
    assert masked in text and number in text and PUBLIC_FACTS in text
    assert "罚款人民币150,000元" in text and organ_a.name in text
    assert f"{BASIS['law']}" in text
    # In the list and found by its content.
    listing = look(contexts, shots, "/decisions/", "2-decision-list")["desktop"]
    assert number in listing and masked in listing
    found = look(contexts, shots, f"/decisions/?q={quote(SEARCHED)}", "3-search-found")
    assert number in found["desktop"]
    # The organ chosen by its name on the phone's search form.
    phone = contexts(phone=True).new_page()
    phone.goto("/decisions/")
    phone.select_option("#id_organ", label=organ_a.name)
    with phone.expect_navigation():
        phone.click("form.search button")
    assert f"organ={organ_a.pk}" in phone.url
    assert number in phone.locator("ol.decisions").inner_text()
    assert width_of(phone) <= PHONE["width"]
    # The public API says the same.
    public = contexts().request
    listed = public.get("/api/v1/public/decisions", params={"q": SEARCHED})
    assert listed.status == 200 and number in [d["number"] for d in listed.json()["items"]]
    one = public.get(f"/api/v1/public/decisions/{publication.pk}")
    assert one.status == 200 and one.json()["summary"]["party"] == masked
    assert all(value not in one.text() for value in PRIVATE)

    # --- 2. The 双公示 export of the organ's period ----------------------------------------------
    officer.goto("/disclosure/export/")
    officer.fill("#id_date_from", "2026-03-01")
    officer.fill("#id_date_to", "2026-03-31")
    with officer.expect_navigation():
        officer.click("form[method=get] button")
    assert officer.locator("button[name=format][value=csv]").count() == 1
    files = {}
    for fmt in ("csv", "xlsx"):
        with officer.expect_download() as download:
            officer.click(f"button[name=format][value={fmt}]")
        files[fmt] = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename.endswith(f".{fmt}")
    rows = [the_row(csv_rows(files["csv"]), number), the_row(xlsx_rows(files["xlsx"]), number)]

    # The API, as the organ's system calls it with a personal token.
    token = create_api_token(p.officer_user, "双公示报送", None).plaintext
    api = contexts(extra_http_headers={"Authorization": f"Bearer {token}"}).request
    query = {"date_from": "2026-03-01", "date_to": "2026-03-31", "organ_id": organ_a.pk}
    checked = api.get("/api/v1/disclosure/double-publicity", params=query)
    assert checked.status == 200, checked.text()
    body = checked.json()
    assert body["rule"] == layout.RULE and body["failing"] == 0
    assert [(c["key"], c["max_length"], c["required"]) for c in body["columns"]] == [
        (c.key, c.max_length, c.required) for c in layout.COLUMNS
    ]
    (api_row,) = [r for r in body["rows"] if r["document_number"] == number]
    assert api_row["problems"] == []
    rows.append(dict(api_row["values"]))
    for fmt, parse in (("json", None), ("csv", csv_rows), ("xlsx", xlsx_rows)):
        delivered = api.post(
            "/api/v1/disclosure/double-publicity/deliveries", data={**query, "format": fmt}
        )
        assert delivered.status == 200, delivered.text()
        if parse is None:
            (row,) = [r for r in delivered.json()["rows"] if r["document_number"] == number]
            rows.append(dict(row["values"]))
        else:
            rows.append(the_row(parse(delivered.body()), number))
    assert len(rows) == 6
    for row in rows:
        every_item_present_and_within_its_length(row)
        assert row == rows[0]  # the same row whichever way it is delivered
    row = rows[0]
    assert row["CF_XDR_MC"] == masked and row["CF_XDR_LB"] == layout.CATEGORY_INDIVIDUAL
    assert row["CF_XDR_ZJHM"] == "" and row["CF_XDR_SHXYM"] == ""
    assert row["CF_SY"] == PUBLIC_FACTS and row["CF_JDRQ"] == decided_on.isoformat()
    assert row["CF_NR_FK"] == "15.000000" and row["CF_CFLB"] == "罚款"
    assert row["CF_CFJGDM"] == row["CF_SJLYDM"] == ORGAN_USCC
    publication.refresh_from_db()
    assert publication.first_exported_on == due
    assert (
        Entry.objects.filter(action=double_publicity.EXPORT, object_id=str(publication.pk)).count()
        == 5
    )

    # --- 3. The decision revoked; withdrawn within the APL-48 period -----------------------------
    revoked_on = due + dt.timedelta(days=2)
    at(time_machine, revoked_on)
    head = log_in(p.head_user)

    def revoke(page: Page) -> None:
        page.select_option("#id_how", "revoked")
        page.fill("#id_reason", REVOKED_BECAUSE)

    take_step(head, case, "decision_changed", revoked_on, revoke)
    withdraw_by = withdrawal_due(
        database_calendar(), revoked_on, Parameters(case.settings or {})
    ).due
    assert withdraw_by > revoked_on
    publication.refresh_from_db()
    assert publication.withdraw_due_on == withdraw_by
    assert audit_deadline(case, WITHDRAW, revoked_on).due.due == withdraw_by

    at(time_machine, withdraw_by)
    run_worker()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.ended_on == withdraw_by
    apl48 = audit_deadline(case, WITHDRAW, withdraw_by)
    assert apl48.status(withdraw_by) == "met"
    reason = f"该行政处罚决定已被依法撤销：{REVOKED_BECAUSE}"
    assert publication.end_reason == reason

    page = look(contexts, shots, f"/decisions/{publication.pk}/", "4-decision-withdrawn")
    text = page["desktop"]
    assert "已撤回公示" in text or "撤回" in text, text
    assert reason in text and withdraw_by.isoformat() in text and number in text
    assert PUBLIC_FACTS not in text and "150,000" not in text
    listing = look(contexts, shots, "/decisions/", "5-list-withdrawn")["desktop"]
    assert number in listing and reason in listing
    searched = look(contexts, shots, f"/decisions/?q={quote(SEARCHED)}", "6-search-not-found")
    assert number not in searched["desktop"]
    listed = public.get("/api/v1/public/decisions", params={"q": SEARCHED})
    assert listed.status == 200 and number not in [d["number"] for d in listed.json()["items"]]
    one = public.get(f"/api/v1/public/decisions/{publication.pk}").json()
    assert one["status"] == "withdrawn" and one["summary"] is None
    assert one["end_reason"] == reason and one["ended_on"] == withdraw_by.isoformat()

    # The record keeps both: the publication (with what was published) and the
    # withdrawal, and the case both steps.
    published = Entry.objects.get(action=services.PUBLISH, object_id=str(publication.pk))
    assert PUBLIC_FACTS in json.loads(published.payload)["summary"]["facts"]
    withdrawn = Entry.objects.get(action=services.WITHDRAW, object_id=str(publication.pk))
    assert json.loads(withdrawn.payload)["case_step"] == "disclosure_withdrawn"
    logged = LogEntry.objects.filter(source=services.LOG_SOURCE, object_id=str(publication.pk))
    assert logged.count() == 2  # the publication log too: published, then withdrawn
    steps = [s.step for s in case.steps.order_by("index")]
    assert steps[-3:] == ["disclosed", "decision_changed", "disclosure_withdrawn"], steps
    officer = log_in(p.officer_user)
    officer.goto(f"/disclosure/{publication.pk}/")
    facts = officer.locator("dl.facts").inner_text()
    assert due.isoformat() in facts and withdraw_by.isoformat() in facts and reason in facts
    assert re.search(r"撤回|Withdrawn", officer.locator("h1").inner_text())


# --- every other public page on a phone -----------------------------------------------------------


def test_every_public_page_fits_a_phone(
    today: dt.date,  # first: every fixture is made on the frozen clock
    organ_a: Any,
    power_item: Any,
    walk: Walker,
    supervisor_city: Any,
    contexts: Callable[..., Any],
    shots: Path,
) -> None:
    """The public pages around the decisions, at 390 px (and 1366 px), with a published
    decision, published statistics, an officer's certificate and an issued document:
    none scrolls sideways, none shows a private value."""
    from zhifa.cases import documents
    from zhifa.statistics import services as statistics
    from zhifa.statistics.tests.conftest import decision as stats_decision
    from zhifa.statistics.tests.conftest import make_case as stats_case

    make_bands(power_item, supervisor_city)
    walk.until_review()
    walk.decide()
    publication = Publication.objects.get(case=walk.case)
    Publication.objects.filter(pk=publication.pk).update(facts_brief=PUBLIC_FACTS)
    publication = services.publish(publication, on=dt.date(2026, 3, 30))
    assert publication.status == PublicationStatus.PUBLISHED, publication.failures
    document = documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)
    year = today.year - 1
    for day in (dt.date(year, 3, 2), dt.date(year, 5, 20)):
        stats_case(organ_a, walk.p.head_user, [stats_decision(day, ("fine", 2000))])
    statistics.publish(organ_a, year, actor=walk.p.head_user)
    entry = LogEntry.objects.order_by("index").last()
    assert entry is not None

    pages = [
        ("/", "p01-home"),
        ("/public/regions/330400/", "p02-region"),
        ("/public/subjects/", "p03-subjects"),
        (f"/public/organs/{organ_a.pk}/", "p04-organ"),
        (f"/public/organs/{organ_a.pk}/powers/", "p05-powers"),
        (f"/public/organs/{organ_a.pk}/officers/", "p06-officers"),
        (f"/public/organs/{organ_a.pk}/benchmarks/", "p07-benchmarks"),
        (f"/public/organs/{organ_a.pk}/entrustments/", "p08-entrustments"),
        ("/public/inspections/", "p09-inspections"),
        ("/public/procedure/", "p10-procedure"),
        ("/public/remedies/", "p11-remedies"),
        ("/decisions/", "p12-decisions"),
        (f"/decisions/?q={quote(SEARCHED)}", "p13-search"),
        (f"/decisions/{publication.pk}/", "p14-decision"),
        ("/statistics/", "p15-statistics"),
        (f"/statistics/{year}/", "p16-statistics-year"),
        (f"/statistics/{year}/organs/{organ_a.pk}/", "p17-statistics-organ"),
        (f"/statistics/{year}/regions/330400/", "p18-statistics-region"),
        ("/public/verify/", "p19-verify-form"),
        ("/verify/ZJA0001", "p20-certificate"),
        (f"/d/{document.code}", "p21-document"),
        ("/notices/cleanup/", "p22-cleanup-notices"),
        ("/transparency/", "p23-publication-log"),
        (f"/transparency/entries/{entry.index}", "p24-log-entry"),
    ]
    wide = []
    for path, name in pages:
        try:
            look(contexts, shots, path, name)
        except AssertionError as exc:
            wide.append(str(exc).splitlines()[0])
    assert wide == []

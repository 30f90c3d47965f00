"""Issue #17's acceptance walk in headless Chromium on a desktop (1280 CSS pixels): a
case's deadline passes (the clock moved forward); after the nightly sweep (run as the
worker runs it) the supervisor's dashboard shows the red warning on the row of the
case's organ, and its link lists it with its rule; the supervisor issues a notice; the
organ's head replies; once the case is put right (registered) the warning is gone from
the dashboard and the warnings page. Every step is asserted on what the pages show.
With ``ZHIFA_SHOTS`` set, full-page screenshots go there (to be looked at)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from time_machine import TimeMachineFixture

from zhifa.cases import services
from zhifa.cases.models import Case, SweepRun
from zhifa.cases.tasks import refresh_deadlines
from zhifa.cases.tests.conftest import People, Walker
from zhifa.core.testing import FROZEN_NOW
from zhifa.registry.models import EnforcementSubject
from zhifa.supervision.models import Notice

from .conftest import width
from .test_warnings import opened_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sweep_as_the_worker_does() -> None:
    """The nightly sweep: its coordinator queues the chunks, a worker runs them; the
    day's run is finished with at least one case audited."""
    run = refresh_deadlines.call()
    call_command("worker", once=True, verbosity=0)
    done = SweepRun.objects.get(pk=run["sweep"])
    assert done.finished_at is not None and done.as_of == timezone.localdate()
    assert sum(done.chunk_set.values_list("cases", flat=True)) >= 1


DESKTOP = 1280
Page = Any  # playwright.sync_api.Page


def red_on_dashboard(page: Page, organ: EnforcementSubject) -> int:
    """The red figure on the organ's row of the dashboard's warnings table."""
    page.goto("/supervision/dashboard/")
    return int(page.inner_text(f"tr[data-organ='{organ.pk}'] a[data-figure='red']"))


def listed_rules(page: Page) -> list[tuple[str, str, str]]:
    """(level, rule, case number) of the case warnings the warnings page shows."""
    rows = page.locator("#warning-list tbody tr[data-rule]")
    return [
        (
            rows.nth(i).get_attribute("data-level") or "",
            rows.nth(i).get_attribute("data-rule") or "",
            rows.nth(i).locator("td").nth(1).inner_text().strip(),
        )
        for i in range(rows.count())
    ]


def test_a_missed_deadline_is_warned_noticed_answered_and_cleared(
    signed_in: Callable[..., Page],
    organ_a: EnforcementSubject,
    organ_b: EnforcementSubject,
    power_item: Any,
    people: People,
    justice_city: EnforcementSubject,
    supervisor_city: Any,
    head_a: Any,
    time_machine: TimeMachineFixture,
) -> None:
    # Opened on Tue 2026-11-24: registration due within 15 working days (REG-decision),
    # i.e. by Tue 2026-12-15.
    case = opened_today(organ_a, power_item, people)
    assert (case.next_deadline, case.next_deadline_rule) == (
        dt.date(2026, 12, 15),
        "REG-decision",
    )
    supervisor = signed_in("supervisor_city", DESKTOP)
    before = red_on_dashboard(supervisor, organ_a)
    assert int(supervisor.inner_text(f"tr[data-organ='{organ_b.pk}'] a[data-figure='red']")) == 0

    # The clock moves to Wed 2026-12-16, the case still unregistered; the nightly sweep
    # runs as the worker runs it.
    time_machine.move_to(FROZEN_NOW.replace(month=12, day=16), tick=True)
    assert timezone.localdate() == dt.date(2026, 12, 16)
    sweep_as_the_worker_does()

    # The dashboard (signed in again: the sessions of three weeks ago have expired):
    # one more red warning on organ A's row, none on organ B's.
    supervisor = signed_in("supervisor_city", DESKTOP)
    assert red_on_dashboard(supervisor, organ_a) == before + 1
    assert int(supervisor.inner_text(f"tr[data-organ='{organ_b.pk}'] a[data-figure='red']")) == 0
    assert width(supervisor, "acceptance-1-dashboard-red-1280") <= DESKTOP
    # Its link lists organ A's red warnings: the case's, with its rule and citation.
    supervisor.click(f"tr[data-organ='{organ_a.pk}'] a[data-figure='red']")
    supervisor.wait_for_selector("#warning-list")
    assert ("red", "REG-decision", case.number) in listed_rules(supervisor)
    row = supervisor.locator("#warning-list tr[data-rule='REG-decision']")
    assert "第五十四条" in row.inner_text() and "2026-12-15" in row.inner_text()
    totals = supervisor.locator(f"#warning-counts tr[data-organ='{organ_a.pk}']")
    assert int(totals.locator("td").nth(1).inner_text()) == before + 1
    assert width(supervisor, "acceptance-2-warnings-red-1280") <= DESKTOP

    # The supervisor issues a notice to organ A about the case.
    supervisor.goto(f"/supervision/notices/new/?organ={organ_a.pk}")
    supervisor.wait_for_selector("#notice-form")
    supervisor.select_option("#id_kind", "notice")
    supervisor.check(f"input[name=cases][value='{case.pk}']")
    supervisor.fill("#id_findings", "案件线索发现后未在十五个工作日内作出立案决定。")
    supervisor.fill("#id_rectification", "立即依法作出是否立案的决定，并建立立案时限提醒。")
    deadline = timezone.localdate() + dt.timedelta(days=14)
    supervisor.fill("#id_deadline", deadline.isoformat())
    supervisor.click("#notice-form button.primary")
    supervisor.wait_for_selector("#notice-facts")
    notice = Notice.objects.get()
    assert notice.number and notice.number in supervisor.inner_text("#notice-number")
    assert deadline.isoformat() in supervisor.inner_text("#notice-deadline")
    assert width(supervisor, "acceptance-3-notice-issued-1280") <= DESKTOP

    # The organ's head finds it and replies in writing.
    head = signed_in("head_a", DESKTOP)
    head.goto("/supervision/notices/")
    head.click(f"#notice-list a:text('{notice.number}')")
    head.wait_for_selector("#reply-form")
    reply = "已于2026年12月16日作出立案决定，并建立立案时限提醒制度。"
    head.fill("#id_text", reply)
    head.click("#reply-form button.primary")
    head.wait_for_selector("#reply-1")
    assert reply in head.inner_text("#reply-1")
    supervisor.goto(f"/supervision/notices/{notice.pk}/")
    assert reply in supervisor.inner_text("#reply-1")
    assert width(supervisor, "acceptance-4-notice-replied-1280") <= DESKTOP

    # The case is put right: the head registers it (late). The warning is gone at once
    # (the case's audit is kept when it changes) and stays gone after the next sweep.
    Walker(Case.objects.get(pk=case.pk), people)(
        services.register_case,
        actor=people.head_user,
        on=timezone.localdate(),
        by=[people.o1, people.o2],
    )
    assert red_on_dashboard(supervisor, organ_a) == before
    supervisor.click(f"tr[data-organ='{organ_a.pk}'] a[data-figure='red']")
    supervisor.wait_for_selector("#warning-list")
    assert [r for r in listed_rules(supervisor) if r[2] == case.number] == []
    sweep_as_the_worker_does()
    assert red_on_dashboard(supervisor, organ_a) == before
    assert width(supervisor, "acceptance-5-dashboard-cleared-1280") <= DESKTOP

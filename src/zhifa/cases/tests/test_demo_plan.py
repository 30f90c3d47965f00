"""The demo's plan is lawful on every day (issue #10): for every "today" from 2025-01-01
to 2027-12-31 each demo case, planned forward in working days with the engine's
calendar, passes the rules engine step by step as the workflow guard checks it, and
shows what the demo means it to show (overdue deadlines, open periods, warnings).
In memory, through the engine: no database (these tests have no ``django_db`` mark, so
a query would fail them)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from zhifa.cases import demo_plan
from zhifa.rules.engine import CaseFile, WorkCalendar, audit

FIRST = dt.date(2025, 1, 1)
LAST = dt.date(2027, 12, 31)


def _days():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


def _unmet(plan: demo_plan.CasePlan, today: dt.date, calendar: WorkCalendar) -> list[str]:
    """What ``plan`` means to show as of ``today`` and does not."""
    result = audit(CaseFile.from_dict(demo_plan.document(plan, today)), today, calendar)
    statuses = {(d.rule, d.status(today)) for d in result.deadlines}
    warnings = {f.rule for f in result.findings if f.severity == "warning"}
    unmet = [
        f"{plan.key}: {rule} not {status}"
        for status, rules in (
            ("overdue", plan.expect.overdue),
            ("open", plan.expect.open),
            ("missed", plan.expect.missed),
        )
        for rule in sorted(rules)
        if (rule, status) not in statuses
    ]
    unmet += [f"{plan.key}: no {rule} warning" for rule in sorted(plan.expect.warnings - warnings)]
    days = [plan.opened_on, *(a.on for a in plan.actions)]
    if days != sorted(days):
        unmet.append(f"{plan.key}: actions out of order {days}")
    if max(days) > today:
        unmet.append(f"{plan.key}: an action after today ({max(days)})")
    return unmet


def test_every_day_from_2025_to_2027_the_plan_passes_the_engine_and_shows_what_it_means():
    calendar = WorkCalendar()
    problems: list[str] = []
    checked = 0
    for today in _days():
        for plan in demo_plan.plan(today, calendar):
            found = demo_plan.lawful_findings(plan, today, calendar)
            found += _unmet(plan, today, calendar)
            problems += [f"{today}: {p}" for p in found]
            checked += 1
    assert checked == 1095 * 25
    assert not problems, "\n".join(problems[:30]) + f"\n… {len(problems)} problems in all"


def test_hard_days_include_holidays_year_ends_and_an_unscheduled_year():
    """The loop above covers these; named here so that a change of range keeps them."""
    calendar = WorkCalendar()
    for today in (
        dt.date(2025, 10, 9),  # the day after National Day 2025
        dt.date(2026, 2, 24),  # the first working day after the 2026 Spring Festival
        dt.date(2026, 10, 3),  # inside National Day 2026
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 4),  # a year whose schedule the library may not have
    ):
        assert FIRST <= today <= LAST
        for plan in demo_plan.plan(today, calendar):
            assert demo_plan.lawful_findings(plan, today, calendar) == [], (today, plan.key)
            assert _unmet(plan, today, calendar) == [], (today, plan.key)


def test_the_checks_catch_a_decision_inside_the_hearing_request_window():
    """The every-day test can fail: the same case with its decision moved into the
    window of APL 64 is refused by the engine."""
    calendar = WorkCalendar()
    today = dt.date(2026, 12, 1)
    plan = next(p for p in demo_plan.plan(today, calendar) if p.key == "decided-heavier")
    notice = next(a for a in plan.actions if a.step == "prior_notice")
    index = next(i for i, a in enumerate(plan.actions) if a.kind == "decision")
    early = plan.actions[index]
    plan.actions[index] = demo_plan.Action(
        early.kind, notice.on, early.actor, early.step, early.fields, early.extra
    )
    plan.actions[:] = sorted(plan.actions, key=lambda a: a.on)
    found = demo_plan.lawful_findings(plan, today, calendar)
    assert any("APL-64-hearing-request" in f for f in found), found


def test_the_demo_shows_the_variety_a_new_user_needs():
    plans = demo_plan.plan(dt.date(2026, 12, 1), WorkCalendar())
    kinds = Counter(p.party["type"] for p in plans)
    steps = {a.step for p in plans for a in p.actions}
    outcomes = {a.fields.get("outcome") for p in plans for a in p.actions if a.step == "decision"}
    assert len({p.item for p in plans}) >= 3
    assert len({p.basis["article"] for p in plans}) >= 2
    assert kinds["individual"] >= 3 and kinds["organisation"] >= 3
    assert {p.procedure for p in plans} == {"general", "summary"}
    assert {"hearing", "collective_discussion", "seizure", "paid", "closed"} <= steps
    assert {"penalty", "no_penalty", "transfer"} <= outcomes
    assert any(a.kind == "suspend" for p in plans for a in p.actions)
    assert any(a.kind == "archive" for p in plans for a in p.actions)
    assert len({p.key for p in plans}) == len(plans)

"""JL-complaint-ack, COMPLAINT-sector and NA-promised-deadline in the engine (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.rules.engine.audit import deadline_note
from zhifa.rules.engine.complaints import (
    ACK_WORKING_DAYS,
    RULE_ACK,
    RULE_PROMISED,
    RULE_SECTOR,
    SECTOR_PERIODS,
    UnknownSectorPeriod,
    ack_due,
)
from zhifa.rules.engine.workdays import WorkCalendar

D = dt.date.fromisoformat


def test_five_working_days_from_the_day_after_receipt() -> None:
    deadline = ack_due(WorkCalendar(), D("2026-11-24"))  # a Tuesday
    assert deadline.due.due == D("2026-12-01")
    assert deadline.working_days == ACK_WORKING_DAYS == 5
    assert [r[0] for r in deadline.rules] == [RULE_ACK]
    assert "五（三）" in deadline.rules[0][1]
    assert deadline.unscheduled_years == ()


def test_friday_receipt_skips_the_weekend() -> None:
    assert ack_due(WorkCalendar(), D("2026-11-27")).due.due == D("2026-12-04")


def test_across_the_national_day_holiday() -> None:
    """2026: 1–7 October are holidays (the State Council schedule in chinese-calendar);
    a filing of Wednesday 30 September is acknowledged on the 5th working day after."""
    calendar = WorkCalendar()
    assert not calendar.is_working_day(D("2026-10-05"))
    due = ack_due(calendar, D("2026-09-30")).due.due
    # Counted by hand from the calendar's own working days: the five after the 30th.
    days = []
    day = D("2026-09-30")
    while len(days) < 5:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    assert due == days[-1]
    assert due >= D("2026-10-12")  # the whole holiday week is skipped


def test_a_year_without_a_schedule_says_so() -> None:
    deadline = ack_due(WorkCalendar(), D("2027-01-04"))  # a Monday; 2027 not loaded
    assert deadline.unscheduled_years == (2027,)
    assert deadline.due.due == D("2027-01-11")
    assert deadline_note(deadline.unscheduled_years, "en")


def test_the_sector_period_counts_only_when_shorter() -> None:
    """市场监督管理投诉举报处理暂行办法 Art. 14 gives 7 working days: JL's 5 still count,
    and the deadline names all three rules."""
    sector = SECTOR_PERIODS["samr-complaint-acceptance"]
    assert sector.working_days == 7 and not sector.confirmed
    deadline = ack_due(WorkCalendar(), D("2026-11-24"), "samr-complaint-acceptance")
    assert deadline.working_days == 5
    assert deadline.due.due == D("2026-12-01")
    assert [r[0] for r in deadline.rules] == [RULE_ACK, RULE_SECTOR, RULE_PROMISED]
    assert "第十四条" in deadline.rules[1][1]


def test_a_shorter_sector_period_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhifa.rules.engine import complaints

    monkeypatch.setitem(
        complaints.SECTOR_PERIODS,
        "short",
        complaints.SectorPeriod("short", 3, "test", confirmed=False),
    )
    deadline = ack_due(WorkCalendar(), D("2026-11-24"), "short")
    assert deadline.working_days == 3
    assert deadline.due.due == D("2026-11-27")


def test_an_unknown_sector_period_is_an_error() -> None:
    with pytest.raises(UnknownSectorPeriod):
        ack_due(WorkCalendar(), D("2026-11-24"), "nope")


def test_every_category_names_a_known_sector_period() -> None:
    from zhifa.complaints.routing import load

    categories, _routes = load()
    for category in categories.values():
        if category.sector_period:
            assert category.sector_period in SECTOR_PERIODS

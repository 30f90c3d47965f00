"""The working-day calendar: official schedules, make-up days, periods counted as the
catalogue says, years loaded as data, and the weekends-only fallback."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.workdays import (
    ChainProvider,
    MappingProvider,
    WorkCalendar,
    YearSchedule,
    add_months,
    library_provider,
    statutory_holidays,
)
from zhifa.rules.models import CalendarYear

D = dt.date.fromisoformat
CAL = WorkCalendar()
KNOWN_DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 6, 30))
ANY_DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2035, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-09-28", True),  # Sunday, make-up working day before National Day
        ("2025-10-01", False),
        ("2025-10-08", False),
        ("2025-10-09", True),
        ("2025-10-11", True),  # Saturday, make-up working day
        ("2025-10-12", False),
        ("2026-02-14", True),  # Saturday, make-up working day before Spring Festival
        ("2026-02-15", False),
        ("2026-02-23", False),
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, make-up working day
        ("2027-01-01", False),  # no 2027 schedule, but 元旦 is a fixed statutory holiday
        ("2027-01-02", False),
        ("2027-01-04", True),  # no 2027 schedule: a Monday, no fixed holiday
    ],
)
def test_official_schedule(day: str, working: bool) -> None:
    assert CAL.is_working_day(D(day)) is working


def test_working_days_across_national_day_2025() -> None:
    counted = CAL.add_working_days(D("2025-09-26"), 5)
    assert counted.due == D("2025-10-10")
    assert counted.unscheduled_years == ()


def test_working_days_across_spring_festival_2026() -> None:
    assert CAL.add_working_days(D("2026-02-12"), 5).due == D("2026-02-26")
    assert CAL.add_working_days(D("2026-02-25"), 7).due == D("2026-03-05")


def test_calendar_day_period_ending_on_a_weekend_moves_to_next_working_day() -> None:
    assert CAL.add_calendar_days(D("2025-12-01"), 90).due == D("2026-03-02")
    # ending inside a holiday moves past the holiday
    assert CAL.add_calendar_days(D("2025-03-04"), 60).due == D("2025-05-06")


def test_months_clamp_to_the_end_of_the_month() -> None:
    assert add_months(D("2025-08-31"), 6) == D("2026-02-28")
    assert add_months(D("2024-02-29"), 12) == D("2025-02-28")


def test_year_without_schedule_is_counted_weekends_only_and_reported() -> None:
    counted = CAL.add_working_days(D("2027-02-01"), 3)
    assert counted.due == D("2027-02-04")
    assert counted.unscheduled_years == (2027,)
    assert not CAL.has_schedule(2027)


def test_fixed_statutory_holidays_of_2027_without_a_schedule() -> None:
    # 《全国年节及纪念日放假办法》 Art. 2 (2024 revision): 元旦; 春节 from the lunar New
    # Year's Eve (2027-02-05; New Year's Day 02-06) to the 3rd day; 清明 (the solar term);
    # 劳动节 1-2 May; 端午 (2027-06-09); 中秋 (2027-09-15); 国庆 1-3 October.
    assert sorted(d.isoformat() for d in statutory_holidays(2027)) == [
        "2027-01-01",
        "2027-02-05",
        "2027-02-06",
        "2027-02-07",
        "2027-02-08",
        "2027-04-05",
        "2027-05-01",
        "2027-05-02",
        "2027-06-09",
        "2027-09-15",
        "2027-10-01",
        "2027-10-02",
        "2027-10-03",
    ]


@pytest.mark.parametrize("day", ["2025-04-04", "2026-04-05", "2027-04-05", "2028-04-04"])
def test_qingming_is_the_solar_term(day: str) -> None:
    assert D(day) in statutory_holidays(D(day).year)


def test_the_fixed_holidays_follow_the_version_in_force() -> None:
    # 2007 revision (in force 2008): 春节 Eve + 2 days, 劳动节 1 day.
    assert {D("2008-02-06"), D("2008-02-07"), D("2008-02-08")} <= statutory_holidays(2008)
    assert D("2008-02-09") not in statutory_holidays(2008)
    # 2013 revision (in force 2014): 春节 1st-3rd lunar day, no Eve; 劳动节 1 day.
    assert D("2024-02-09") not in statutory_holidays(2024)  # Eve of 2024
    assert {D("2024-02-10"), D("2024-02-11"), D("2024-02-12")} <= statutory_holidays(2024)
    assert D("2024-05-02") not in statutory_holidays(2024)
    # 2024 revision (in force 2025): Eve + 3 days, 劳动节 2 days.
    assert D("2025-01-28") in statutory_holidays(2025)
    assert D("2025-05-02") in statutory_holidays(2025)
    # No version before 2008 is entered: the engine does not claim those holidays.
    assert statutory_holidays(2003) == frozenset()


def test_the_computed_holidays_are_days_off_in_every_official_schedule() -> None:
    # Independent check: the State Council schedules 2008-2026 (chinese-calendar).
    for year in range(2008, 2027):
        assert CAL.has_schedule(year)
        for day in statutory_holidays(year):
            assert not CAL.is_working_day(day), day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-12-02", 30, "2027-01-04"),  # ends on 元旦 (Friday) -> Monday
        ("2027-03-21", 15, "2027-04-06"),  # ends on 清明 (Monday) -> Tuesday
        ("2026-11-10", 90, "2027-02-09"),  # ends on the 3rd lunar day -> Tuesday
        ("2027-01-06", 30, "2027-02-09"),  # ends on lunar New Year's Eve (Friday)
    ],
)
def test_due_dates_on_fixed_holidays_move_in_a_year_without_schedule(
    start: str, days: int, due: str
) -> None:
    counted = CAL.add_calendar_days(D(start), days)
    assert counted.due == D(due)
    assert counted.unscheduled_years == (2027,)


def test_the_deadline_note_says_only_the_make_up_days_are_unknown() -> None:
    from zhifa.rules.engine.audit import deadline_note

    zh = deadline_note((2027,), "zh")
    en = deadline_note((2027,), "en")
    assert zh is not None and en is not None
    assert "《全国年节及纪念日放假办法》第二条" in zh and "仅调休安排" in zh
    assert "only the make-up arrangement" in en and "statutory holidays" in en
    assert "weekends only" in (deadline_note((2003,), "en") or "")
    assert deadline_note((), "zh") is None


def test_the_fixed_holidays_are_computed_once_per_year() -> None:
    statutory_holidays(2031)
    before = statutory_holidays.cache_info()
    cal = WorkCalendar(MappingProvider())
    cal.add_working_days(D("2031-01-01"), 200)
    assert statutory_holidays.cache_info().misses == before.misses


def test_a_year_loaded_as_data_replaces_the_fallback() -> None:
    year = YearSchedule.from_dict(
        {"year": 2027, "holidays": ["2027-02-02", "2027-02-03"], "workdays": ["2027-02-06"]}
    )
    cal = WorkCalendar(ChainProvider(MappingProvider([year]), library_provider()))
    counted = cal.add_working_days(D("2027-02-01"), 3)
    # 02-02 and 02-03 off; 02-04, 02-05 and 02-06 (a Saturday made a working day)
    assert counted.due == D("2027-02-06")
    assert counted.unscheduled_years == ()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": "2027"}, "year"),
        ({"year": 2027, "holidays": ["2027-02-30"]}, "holidays[0]"),
        ({"year": 2027, "holidays": "2027-02-01"}, "holidays"),
        ({"year": 2027, "workdays": ["2028-01-01"]}, "2028-01-01"),
    ],
)
def test_bad_schedule_data_names_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        YearSchedule.from_dict(data)


@settings(max_examples=200, deadline=None)
@given(start=ANY_DAYS, n=st.integers(min_value=1, max_value=40))
def test_adding_working_days_lands_on_a_working_day(start: dt.date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(start, n).due)


@settings(max_examples=200, deadline=None)
@given(start=ANY_DAYS, n=st.integers(min_value=0, max_value=30), k=st.integers(0, 30))
def test_adding_working_days_is_monotone(start: dt.date, n: int, k: int) -> None:
    assert CAL.add_working_days(start, n).due <= CAL.add_working_days(start, n + k).due
    later = start + dt.timedelta(days=k)
    assert CAL.add_working_days(start, n).due <= CAL.add_working_days(later, n).due


@settings(max_examples=200, deadline=None)
@given(start=ANY_DAYS, n=st.integers(min_value=1, max_value=40))
def test_adding_agrees_with_counting_back(start: dt.date, n: int) -> None:
    due = CAL.add_working_days(start, n).due
    assert CAL.working_days_between(start, due) == n
    back = CAL.subtract_working_days(due, n).due
    assert back <= start
    assert CAL.add_working_days(back, n).due == due


@settings(max_examples=100, deadline=None)
@given(day=KNOWN_DAYS)
def test_known_years_never_fall_back(day: dt.date) -> None:
    assert CAL.add_calendar_days(day, 15).unscheduled_years == ()


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_calendar_import_command_loads_a_year_used_by_the_audit(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "year": 2027,
            "holidays": ["2027-02-05", "2027-02-08"],
            "workdays": [],
            "source": "test schedule",
        },
    )
    out = io.StringIO()
    call_command("calendar", "import", str(path), stdout=out)
    assert "2027" in out.getvalue()
    row = CalendarYear.objects.get(year=2027)
    assert row.holidays == ["2027-02-05", "2027-02-08"]
    cal = database_calendar()
    counted = cal.add_working_days(D("2027-02-03"), 2)
    assert counted.due == D("2027-02-09")
    assert counted.unscheduled_years == ()


@pytest.mark.django_db
def test_a_database_year_overrides_the_library(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"year": 2026, "holidays": [], "workdays": []}])
    call_command("calendar", "import", str(path), stdout=io.StringIO())
    assert database_calendar().is_working_day(D("2026-02-16"))  # a Monday, no longer off


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 2027, "holidays": ["2027-13-01"]}, "$.holidays[0]"),
        ([{"year": 2027}, {"holidays": []}], "$[1].year"),
        ("not an object", "$: expected an object"),
    ],
)
def test_calendar_import_rejects_bad_files_naming_the_field(
    tmp_path: Path, data: object, message: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(CommandError, match=message.replace("$", r"\$").replace("[", r"\[")):
        call_command("calendar", "import", str(path), stdout=io.StringIO())
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_calendar_import_rejects_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("calendar", "import", str(path), stdout=io.StringIO())


@pytest.mark.django_db
def test_admin_page_adds_a_year(admin_user: object) -> None:
    from zhifa.core.testing import client_for

    client = client_for(admin_user)  # type: ignore[arg-type]
    response = client.post(
        "/admin/rules/calendaryear/add/",
        {
            "year": "2028",
            "holidays": '["2028-01-01"]',
            "workdays": "[]",
            "source": "admin",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarYear.objects.get(year=2028).to_schedule().holidays == {D("2028-01-01")}
    bad = client.post(
        "/admin/rules/calendaryear/add/",
        {"year": "2029", "holidays": '["2029-02-30"]', "workdays": "[]", "source": ""},
    )
    assert bad.status_code == 200
    assert "2029-02-30" in bad.content.decode()
    assert not CalendarYear.objects.filter(year=2029).exists()


def _counted_day_by_day(cal: WorkCalendar, start: dt.date, n: int) -> tuple[dt.date, set[int]]:
    """The N-th working day after ``start`` and the unscheduled years it passes through,
    counted one day at a time (what the bisecting ``add_working_days`` must equal)."""
    years: set[int] = set()
    day, remaining = start, n
    while remaining:
        day += dt.timedelta(days=1)
        if not cal.has_schedule(day.year):
            years.add(day.year)
        if cal.is_working_day(day):
            remaining -= 1
    return day, years


@settings(max_examples=300, deadline=None)
@given(start=ANY_DAYS, n=st.integers(min_value=0, max_value=400))
def test_working_days_are_counted_as_day_by_day(start: dt.date, n: int) -> None:
    cal = WorkCalendar()
    due, years = _counted_day_by_day(cal, start, n)
    counted = cal.add_working_days(start, n)
    assert (counted.due, counted.unscheduled_years) == (due, tuple(sorted(years)))


@settings(max_examples=300, deadline=None)
@given(start=ANY_DAYS, n=st.integers(min_value=0, max_value=400))
def test_calendar_day_periods_roll_forward_as_day_by_day(start: dt.date, n: int) -> None:
    cal = WorkCalendar()
    day = start + dt.timedelta(days=n)
    years = set() if cal.has_schedule(day.year) else {day.year}
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
        if not cal.has_schedule(day.year):
            years.add(day.year)
    counted = cal.add_calendar_days(start, n)
    assert (counted.due, counted.unscheduled_years) == (day, tuple(sorted(years)))


def test_counting_past_the_last_date_overflows() -> None:
    cal = WorkCalendar(MappingProvider([]))
    with pytest.raises(OverflowError):
        cal.add_working_days(dt.date(9999, 12, 30), 5)
    with pytest.raises(OverflowError):
        cal.add_calendar_days(dt.date(9999, 12, 20), 20)
    assert cal.add_working_days(dt.date(9999, 12, 29), 1).due == dt.date(9999, 12, 30)

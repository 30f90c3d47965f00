"""The working-day calendar (工作日历).

Counting follows legal-rules.md, "How periods are counted": the day of the triggering
event is not counted; a working-day period ends on its N-th working day; a calendar-day
(or month) period whose last day is not a working day ends on the next working day.

A day is a working day when the official State Council schedule of its year says so:
make-up working days (调休上班日) are working days, statutory holidays are not, other days
are working days from Monday to Friday. Schedules come from a chain of providers: the
``chinese-calendar`` package (2004–2026 in the pinned version) and years loaded as data
(a JSON file, or the database through ``zhifa.rules.calendar_db``). For a year with no
schedule the calendar falls back to weekends only and reports the year, so a deadline
can say so instead of silently guessing.
"""

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: statutory holidays and make-up working days."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str = ""

    def __post_init__(self) -> None:
        for day in self.holidays | self.workdays:
            if day.year != self.year:
                raise ValueError(f"{day.isoformat()} is not in {self.year}")
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"{min(both).isoformat()} is both a holiday and a make-up working day")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> "YearSchedule":
        """Build from ``{"year": 2027, "holidays": [...], "workdays": [...], "source": ...}``.

        Raises ValueError naming the field on bad input.
        """
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 9999:
            raise ValueError("year: expected a year such as 2027")
        days: dict[str, frozenset[dt.date]] = {}
        for key in ("holidays", "workdays"):
            raw = data.get(key, [])
            if not isinstance(raw, list):
                raise ValueError(f"{key}: expected a list of dates YYYY-MM-DD")
            parsed: set[dt.date] = set()
            for i, item in enumerate(raw):
                parsed.add(_parse_date(item, f"{key}[{i}]"))
            days[key] = frozenset(parsed)
        source = data.get("source", "")
        if not isinstance(source, str):
            raise ValueError("source: expected a string")
        return cls(year, days["holidays"], days["workdays"], source)

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "workdays": sorted(d.isoformat() for d in self.workdays),
            "source": self.source,
        }


def _parse_date(value: object, where: str) -> dt.date:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")


class ScheduleProvider(Protocol):
    """Anything that can say what a year's official schedule is (or that it has none)."""

    def schedule(self, year: int) -> YearSchedule | None: ...


class LibraryProvider:
    """Schedules carried by the ``chinese-calendar`` package."""

    def __init__(self) -> None:
        from chinese_calendar import constants

        holidays: dict[int, set[dt.date]] = {}
        workdays: dict[int, set[dt.date]] = {}
        for day in constants.holidays:
            holidays.setdefault(day.year, set()).add(day)
        for day in constants.workdays:
            workdays.setdefault(day.year, set()).add(day)
        self._years = {
            year: YearSchedule(
                year,
                frozenset(holidays.get(year, set())),
                frozenset(workdays.get(year, set())),
                "chinese-calendar",
            )
            for year in holidays
        }

    def schedule(self, year: int) -> YearSchedule | None:
        return self._years.get(year)

    @property
    def years(self) -> Sequence[int]:
        return sorted(self._years)


class MappingProvider:
    """Schedules given as data (a JSON file, the database, a test)."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._years = {s.year: s for s in schedules}

    def schedule(self, year: int) -> YearSchedule | None:
        return self._years.get(year)


class ChainProvider:
    """The first provider that knows a year wins (put data loaded later first)."""

    def __init__(self, *providers: ScheduleProvider) -> None:
        self._providers = providers

    def schedule(self, year: int) -> YearSchedule | None:
        for provider in self._providers:
            found = provider.schedule(year)
            if found is not None:
                return found
        return None


_LIBRARY: LibraryProvider | None = None


def library_provider() -> LibraryProvider:
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = LibraryProvider()
    return _LIBRARY


@dataclass(frozen=True)
class Counted:
    """The result of counting a period: the last day, and the years counted without
    an official schedule (weekends-only fallback)."""

    due: dt.date
    unscheduled_years: tuple[int, ...] = ()


@dataclass
class WorkCalendar:
    """Working-day arithmetic over a schedule provider."""

    provider: ScheduleProvider = field(default_factory=library_provider)
    _cache: dict[int, YearSchedule | None] = field(default_factory=dict, repr=False)
    _counted: dict[tuple[dt.date, int], Counted] = field(default_factory=dict, repr=False)

    def _schedule(self, year: int) -> YearSchedule | None:
        if year not in self._cache:
            self._cache[year] = self.provider.schedule(year)
        return self._cache[year]

    def has_schedule(self, year: int) -> bool:
        return self._schedule(year) is not None

    def is_working_day(self, day: dt.date) -> bool:
        schedule = self._schedule(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            if day in schedule.holidays:
                return False
        return day.weekday() < 5

    def _note(self, years: set[int], day: dt.date) -> None:
        if not self.has_schedule(day.year):
            years.add(day.year)

    def add_working_days(self, start: dt.date, n: int) -> Counted:
        """The N-th working day after ``start`` (``start`` itself is not counted).
        Remembered per calendar, as its schedules are (``_cache``)."""
        key = (start, n)
        found = self._counted.get(key)
        if found is None:
            if len(self._counted) >= 100_000:
                self._counted.clear()
            found = self._counted[key] = self._add_working_days(start, n)
        return found

    def _add_working_days(self, start: dt.date, n: int) -> Counted:
        if n < 0:
            raise ValueError("n must not be negative")
        years: set[int] = set()
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            self._note(years, day)
            if self.is_working_day(day):
                remaining -= 1
        return Counted(day, tuple(sorted(years)))

    def subtract_working_days(self, end: dt.date, n: int) -> Counted:
        """The N-th working day before ``end`` (``end`` itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        years: set[int] = set()
        day = end
        remaining = n
        while remaining:
            day -= ONE_DAY
            self._note(years, day)
            if self.is_working_day(day):
                remaining -= 1
        return Counted(day, tuple(sorted(years)))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the interval (start, end]."""
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def roll_forward(self, day: dt.date, years: set[int] | None = None) -> Counted:
        """``day`` if it is a working day, else the next working day."""
        seen: set[int] = set() if years is None else years
        self._note(seen, day)
        while not self.is_working_day(day):
            day += ONE_DAY
            self._note(seen, day)
        return Counted(day, tuple(sorted(seen)))

    def add_calendar_days(self, start: dt.date, n: int) -> Counted:
        """A period of N calendar days after ``start``, ending on a working day."""
        return self.roll_forward(start + dt.timedelta(days=n))

    def add_months(self, start: dt.date, n: int) -> Counted:
        """A period of N months after ``start`` (same day of the month, or the month's
        last day when it has no such day), ending on a working day."""
        return self.roll_forward(add_months(start, n))


def add_months(day: dt.date, n: int) -> dt.date:
    month_index = day.month - 1 + n
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, n: int) -> dt.date:
    return add_months(day, 12 * n)

"""The working-day calendar (工作日历).

Counting follows legal-rules.md, "How periods are counted": the day of the triggering
event is not counted; a working-day period ends on its N-th working day; a calendar-day
(or month) period whose last day is not a working day ends on the next working day.

A day is a working day when the official State Council schedule of its year says so:
make-up working days (调休上班日) are working days, statutory holidays are not, other days
are working days from Monday to Friday. Schedules come from a chain of providers: the
``chinese-calendar`` package (2004–2026 in the pinned version) and years loaded as data
(a JSON file, or the database through ``zhifa.rules.calendar_db``).

For a year with no schedule (CAL-fixed-holidays) the fixed statutory holidays of
《全国年节及纪念日放假办法》 Art. 2 in the version in force that year are still not working
days (``statutory_holidays``: the lunar dates and 清明 come from the ``tyme4py`` library);
weekends are not working days; only the make-up arrangement (调休) is unknown. The
calendar reports such a year, so a deadline can say so instead of silently guessing.
"""

import calendar as _stdlib_calendar
import datetime as dt
import functools
from bisect import bisect_left, bisect_right
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


def _solar(day: object) -> dt.date:
    return dt.date(day.get_year(), day.get_month(), day.get_day())  # type: ignore[attr-defined]


@functools.cache
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The fixed statutory holidays (全体公民放假的节日) of 《全国年节及纪念日放假办法》 Art. 2
    in ``year``, in the version in force on 1 January of that year (each revision took
    effect on a 1 January): 元旦 1 day (1 January); 春节 3 days from the lunar New Year's
    Eve (国务院令第513号, from 2008), 3 days from the lunar New Year's Day (第644号, from
    2014), 4 days from the Eve (第795号, from 2025); 清明 1 day (the solar term); 劳动节
    1 day (1 May), 2 days from 2025; 端午 (5th lunar month, 5th day) and 中秋 (8th lunar
    month, 15th day) 1 day each; 国庆 3 days (1–3 October). The numbers that changed are
    dated in ``parameters.toml``. Empty for a year before the first version entered
    (2008): the engine does not know that year's holidays.

    Memoised per year: the lunar computation runs once per year per process."""
    from .parameters import ParameterError, default_parameters

    table = default_parameters()
    jan1 = dt.date(year, 1, 1)
    try:
        spring_days = int(table["statutory_spring_festival_days"].at(jan1))
        from_eve = bool(table["statutory_spring_festival_from_eve"].at(jan1))
        labour_days = int(table["statutory_labour_day_days"].at(jan1))
    except ParameterError:
        return frozenset()
    from tyme4py.lunar import LunarDay
    from tyme4py.solar import SolarTerm

    new_year = _solar(LunarDay.from_ymd(year, 1, 1).get_solar_day())
    first = new_year - ONE_DAY if from_eve else new_year
    days = {jan1}
    days.update(first + dt.timedelta(days=i) for i in range(spring_days))
    days.add(_solar(SolarTerm.from_name(year, "清明").get_solar_day()))
    days.update(dt.date(year, 5, 1 + i) for i in range(labour_days))
    days.add(_solar(LunarDay.from_ymd(year, 5, 5).get_solar_day()))
    days.add(_solar(LunarDay.from_ymd(year, 8, 15).get_solar_day()))
    days.update(dt.date(year, 10, d) for d in (1, 2, 3))
    return frozenset(d for d in days if d.year == year)


@dataclass(frozen=True)
class Counted:
    """The result of counting a period: the last day, and the years counted without
    an official schedule (weekends and the fixed statutory holidays only)."""

    due: dt.date
    unscheduled_years: tuple[int, ...] = ()

    def __init__(self, due: dt.date, unscheduled_years: tuple[int, ...] = ()) -> None:
        # Frozen: set once, in the instance dict (cheaper than the generated __init__'s
        # object.__setattr__ per field; several periods are counted per audit).
        state = self.__dict__
        state["due"] = due
        state["unscheduled_years"] = unscheduled_years


#: ``on_day``'s instances, by day (cleared when large)
_ON_DAY: dict[dt.date, Counted] = {}


def on_day(day: dt.date) -> Counted:
    """``Counted(day)``: a day itself, no year counted without a schedule (one frozen
    instance per day, kept: the day a service took effect is asked for by several
    rules in every audit)."""
    found = _ON_DAY.get(day)
    if found is None:
        if len(_ON_DAY) >= 100_000:
            _ON_DAY.clear()
        found = _ON_DAY[day] = Counted(day)
    return found


@dataclass
class WorkCalendar:
    """Working-day arithmetic over a schedule provider."""

    provider: ScheduleProvider = field(default_factory=library_provider)
    #: periods counted, by (start, n, unit): "w" working days, "c" calendar days, "m"
    #: months; remembered per calendar, as its schedules are (``_cache``)
    _counted: dict[tuple[dt.date, int, str], Counted] = field(default_factory=dict, repr=False)
    # Per year: (has an official schedule, make-up working days, days off). A year
    # without a schedule gets the fixed statutory holidays (CAL-fixed-holidays).
    _cache: dict[int, tuple[bool, frozenset[dt.date], frozenset[dt.date]]] = field(
        default_factory=dict, repr=False
    )
    #: per year, the ordinals of its working days in order (``_working``): a period is
    #: counted by bisection in them, not day by day
    _ordinals: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def _year(self, year: int) -> tuple[bool, frozenset[dt.date], frozenset[dt.date]]:
        entry = self._cache.get(year)
        if entry is None:
            schedule = self.provider.schedule(year)
            if schedule is not None:
                entry = (True, schedule.workdays, schedule.holidays)
            else:
                entry = (False, frozenset(), statutory_holidays(year))
            self._cache[year] = entry
        return entry

    def has_schedule(self, year: int) -> bool:
        return self._year(year)[0]

    def is_working_day(self, day: dt.date) -> bool:
        _scheduled, workdays, holidays = self._year(day.year)
        if day in workdays:
            return True
        if day in holidays:
            return False
        return day.weekday() < 5

    def _note(self, years: set[int], day: dt.date) -> None:
        if not self._year(day.year)[0]:
            years.add(day.year)

    def _remember(self, key: tuple[dt.date, int, str], counted: Counted) -> Counted:
        if len(self._counted) >= 100_000:
            self._counted.clear()
        self._counted[key] = counted
        return counted

    def add_working_days(self, start: dt.date, n: int) -> Counted:
        """The N-th working day after ``start`` (``start`` itself is not counted)."""
        found = self._counted.get((start, n, "w"))
        if found is None:
            found = self._remember((start, n, "w"), self._add_working_days(start, n))
        return found

    def prepare_year(self, year: int) -> None:
        """Load the schedule of ``year`` (or compute its fixed statutory holidays) and
        list its working days now, not on the first period counted in it."""
        self._working(year)

    def _working(self, year: int) -> list[int]:
        """The ordinals of the working days of ``year``, in order (once per calendar)."""
        found = self._ordinals.get(year)
        if found is None:
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise OverflowError("date value out of range")
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            _scheduled, workdays, holidays = self._year(year)
            found = self._ordinals[year] = [
                o
                for o in range(first, last + 1)
                if (day := dt.date.fromordinal(o)) in workdays
                or (day not in holidays and day.weekday() < 5)
            ]
        return found

    def _unscheduled(self, first: int, last: int) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` without an official schedule."""
        if first == last:
            return () if self._year(first)[0] else (first,)
        return tuple(y for y in range(first, last + 1) if not self._year(y)[0])

    def _add_working_days(self, start: dt.date, n: int) -> Counted:
        if n < 0:
            raise ValueError("n must not be negative")
        if not n:
            return Counted(start, ())
        # Every day after ``start`` up to the due day is counted: its year is noted.
        origin = start.toordinal()
        year = start.year if start.month < 12 or start.day < 31 else start.year + 1
        first_year = year
        ordinals = self._working(year)
        at = bisect_right(ordinals, origin)
        remaining = n
        while at + remaining > len(ordinals):
            remaining -= len(ordinals) - at
            year += 1
            ordinals = self._working(year)
            at = 0
        due = dt.date.fromordinal(ordinals[at + remaining - 1])
        return Counted(due, self._unscheduled(first_year, due.year))

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
        year = day.year
        ordinals = self._working(year)
        at = bisect_left(ordinals, day.toordinal())
        while at == len(ordinals):
            year += 1
            ordinals = self._working(year)
            at = 0
        due = dt.date.fromordinal(ordinals[at])
        unscheduled = self._unscheduled(day.year, due.year)
        if years is None:
            return Counted(due, unscheduled)
        years.update(unscheduled)
        return Counted(due, tuple(sorted(years)))

    def add_calendar_days(self, start: dt.date, n: int) -> Counted:
        """A period of N calendar days after ``start``, ending on a working day."""
        found = self._counted.get((start, n, "c"))
        if found is None:
            counted = self.roll_forward(start + dt.timedelta(days=n))
            found = self._remember((start, n, "c"), counted)
        return found

    def add_months(self, start: dt.date, n: int) -> Counted:
        """A period of N months after ``start`` (same day of the month, or the month's
        last day when it has no such day), ending on a working day."""
        found = self._counted.get((start, n, "m"))
        if found is None:
            found = self._remember((start, n, "m"), self.roll_forward(add_months(start, n)))
        return found


@functools.lru_cache(maxsize=65536)
def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` months (the month's last day when it has no such day);
    remembered: limitation, ages and the month periods ask for the same days often."""
    month_index = day.month - 1 + n
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, n: int) -> dt.date:
    return add_months(day, 12 * n)

"""The Django side of the calendar: years loaded into the database take precedence
over the chinese-calendar package. ``database_calendar()`` is what the CLI and the API
pass to the engine."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import OperationalError, ProgrammingError, transaction

from .engine.workdays import (
    ChainProvider,
    MappingProvider,
    WorkCalendar,
    YearSchedule,
    library_provider,
)
from .models import CalendarYear


def database_provider() -> MappingProvider:
    """The years stored in the database (none when its tables are not yet migrated:
    the audit then notes every year the library lacks, as for any missing year)."""
    try:
        return MappingProvider([row.to_schedule() for row in CalendarYear.objects.all()])
    except (OperationalError, ProgrammingError):
        return MappingProvider()


#: The last database provider built in this process, with the fingerprint of the rows
#: it was built from (see ``database_calendar``).
_cached: tuple[tuple[Any, ...], MappingProvider] | None = None


def database_calendar() -> WorkCalendar:
    """The working-day calendar: the database's years first, then the library's.

    Every call asks the database which years it holds and when each was last saved
    (one small query: no holiday lists) and rebuilds the schedules only when that
    changed, so a year imported or edited by any process (the CLI, the admin, another
    worker) is used by the next call in every process — a per-process cache that cannot
    serve stale holidays. A fresh ``WorkCalendar`` is returned each time (it memoises
    per year)."""
    global _cached
    try:
        fingerprint = tuple(
            CalendarYear.objects.order_by("pk").values_list("pk", "year", "updated_at")
        )
    except (OperationalError, ProgrammingError):
        return WorkCalendar(ChainProvider(MappingProvider(), library_provider()))
    cached = _cached
    if cached is None or cached[0] != fingerprint:
        # The schedules and their fingerprint from one read (one snapshot).
        rows = list(CalendarYear.objects.order_by("pk"))
        provider = MappingProvider([row.to_schedule() for row in rows])
        cached = _cached = (tuple((r.pk, r.year, r.updated_at) for r in rows), provider)
    return WorkCalendar(ChainProvider(cached[1], library_provider()))


def parse_calendar_file(path: Path) -> list[YearSchedule]:
    """Read a JSON file holding one year ``{"year": …}`` or a list of years.

    Raises ValueError with a message naming the field."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"$: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    items = data if isinstance(data, list) else [data]
    schedules = []
    for i, item in enumerate(items):
        prefix = f"$[{i}]" if isinstance(data, list) else "$"
        if not isinstance(item, dict):
            raise ValueError(f"{prefix}: expected an object with year, holidays, workdays")
        try:
            schedules.append(YearSchedule.from_dict(item))
        except ValueError as exc:
            raise ValueError(f"{prefix}.{exc}") from None
    return schedules


@transaction.atomic
def import_schedules(schedules: Iterable[YearSchedule]) -> list[int]:
    years = []
    for schedule in schedules:
        data = schedule.to_dict()
        CalendarYear.objects.update_or_create(
            year=schedule.year,
            defaults={
                "holidays": data["holidays"],
                "workdays": data["workdays"],
                "source": schedule.source,
            },
        )
        years.append(schedule.year)
    return years

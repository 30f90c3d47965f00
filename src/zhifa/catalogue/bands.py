"""Choosing the discretion band (裁量基准) for a case, as plain data.

The case workflow asks: for this power item, on this date, in this circumstance
(不予 / 减轻 / 从轻 / 一般 / 从重), which band applies? The answer comes from the
benchmark version in force and published on that date (rule DISC-benchmark; APL
Art. 34: the organ sets and publishes its discretion benchmarks). This module knows
nothing of the database: :mod:`zhifa.catalogue.services` loads the versions and calls
:func:`select_band`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: The circumstances in the order of the five bands (不予处罚, 减轻处罚, 从轻处罚,
#: 一般处罚, 从重处罚).
NO_PENALTY = "no_penalty"
MITIGATED = "mitigated"
LIGHTER = "lighter"
GENERAL = "general"
HEAVIER = "heavier"
CIRCUMSTANCES: tuple[str, ...] = (NO_PENALTY, MITIGATED, LIGHTER, GENERAL, HEAVIER)


@dataclass(frozen=True)
class Band:
    circumstance: str
    conditions: str
    penalty: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None


@dataclass(frozen=True)
class BenchmarkVersion:
    """One version of a benchmark for one violation of a power item."""

    id: int
    violation: str
    valid_from: date
    valid_to: date | None
    published: bool
    statutory_min: Decimal | None
    statutory_max: Decimal | None
    bands: tuple[Band, ...]

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class BandChoice:
    version: BenchmarkVersion
    band: Band


def version_in_force(
    versions: Sequence[BenchmarkVersion], on: date, violation: str | None = None
) -> BenchmarkVersion | None:
    """The published version in force on ``on`` (the latest start wins if two overlap).
    Unpublished versions never apply: a benchmark binds only once it is public."""
    candidates = [
        v
        for v in versions
        if v.published and v.in_force_on(on) and (violation is None or v.violation == violation)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.valid_from, v.id))


def select_band(
    versions: Sequence[BenchmarkVersion],
    on: date,
    circumstance: str,
    violation: str | None = None,
) -> BandChoice | None:
    """The band for ``circumstance`` in the version in force on ``on``, or ``None``
    when no published version is in force or it has no band for the circumstance."""
    if circumstance not in CIRCUMSTANCES:
        raise ValueError(f"unknown circumstance {circumstance!r}; expected one of {CIRCUMSTANCES}")
    version = version_in_force(versions, on, violation)
    if version is None:
        return None
    for band in version.bands:
        if band.circumstance == circumstance:
            return BandChoice(version=version, band=band)
    return None


def band_range_problems(
    statutory_min: Decimal | None, statutory_max: Decimal | None, band: Band
) -> list[tuple[str, str]]:
    """Problems of a band's fine range against the statutory range, as
    (field, problem code) pairs. A mitigated band (减轻) may go below the statutory
    minimum (APL Art. 32; rule APL-basis-range); no band may exceed the maximum, and a
    no-penalty band has no fine."""
    problems: list[tuple[str, str]] = []
    low, high = band.fine_min, band.fine_max
    if band.circumstance == NO_PENALTY:
        if (low is not None and low > 0) or (high is not None and high > 0):
            problems.append(("fine_max", "no_penalty_has_fine"))
        return problems
    if low is not None and high is not None and low > high:
        problems.append(("fine_min", "min_above_max"))
    if statutory_max is not None and high is not None and high > statutory_max:
        problems.append(("fine_max", "above_statutory_max"))
    if (
        band.circumstance != MITIGATED
        and statutory_min is not None
        and low is not None
        and low < statutory_min
    ):
        problems.append(("fine_min", "below_statutory_min"))
    return problems


def add_one_month(start: date) -> date:
    """One calendar month after ``start``; the 31st of January gives the last day of
    February (the month has no 31st). Used for the JL one-month update deadline
    (JL 三(二), rule JL-power-list-update)."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)

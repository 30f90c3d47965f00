"""The band function as plain data (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.catalogue.bands import (
    Band,
    BenchmarkVersion,
    add_one_month,
    band_range_problems,
    select_band,
    version_in_force,
)

GENERAL_2024 = Band("general", "一般", "罚款", Decimal(65000), Decimal(85000))
GENERAL_2026 = Band("general", "一般", "罚款", Decimal(60000), Decimal(80000))
V2024 = BenchmarkVersion(
    1, "v", date(2024, 1, 1), date(2025, 12, 31), True, None, None, (GENERAL_2024,)
)
V2026 = BenchmarkVersion(2, "v", date(2026, 1, 1), None, True, None, None, (GENERAL_2026,))
DRAFT = BenchmarkVersion(3, "v", date(2026, 6, 1), None, False, None, None, (GENERAL_2024,))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 12, 31), None),
        (date(2024, 1, 1), GENERAL_2024),
        (date(2025, 12, 31), GENERAL_2024),
        (date(2026, 1, 1), GENERAL_2026),
        (date(2026, 7, 1), GENERAL_2026),  # the unpublished draft never applies
    ],
)
def test_band_by_date(on, expected):
    choice = select_band([V2024, V2026, DRAFT], on, "general")
    assert (choice.band if choice else None) == expected


def test_missing_circumstance_and_unknown_circumstance():
    assert select_band([V2024], date(2024, 6, 1), "heavier") is None
    with pytest.raises(ValueError, match="unknown circumstance"):
        select_band([V2024], date(2024, 6, 1), "severe")


def test_violation_narrows_the_versions():
    other = BenchmarkVersion(9, "other", date(2024, 1, 1), None, True, None, None, (GENERAL_2026,))
    assert version_in_force([V2024, other], date(2024, 6, 1), "v") == V2024
    assert version_in_force([V2024, other], date(2024, 6, 1), "other") == other


@pytest.mark.parametrize(
    ("band", "problems"),
    [
        (Band("general", "", "", Decimal(50000), Decimal(100000)), []),
        (
            Band("general", "", "", Decimal(40000), Decimal(60000)),
            [("fine_min", "below_statutory_min")],
        ),
        (Band("mitigated", "", "", Decimal(10000), Decimal(40000)), []),
        (
            Band("heavier", "", "", Decimal(90000), Decimal(120000)),
            [("fine_max", "above_statutory_max")],
        ),
        (
            Band("mitigated", "", "", Decimal(10000), Decimal(120000)),
            [("fine_max", "above_statutory_max")],
        ),
        (Band("lighter", "", "", Decimal(70000), Decimal(60000)), [("fine_min", "min_above_max")]),
        (Band("no_penalty", "", "", None, Decimal(1)), [("fine_max", "no_penalty_has_fine")]),
        (Band("no_penalty", "", "", None, None), []),
    ],
)
def test_band_range_problems(band, problems):
    assert band_range_problems(Decimal(50000), Decimal(100000), band) == problems


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (date(2026, 3, 15), date(2026, 4, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 20), date(2027, 1, 20)),
        (date(2026, 8, 31), date(2026, 9, 30)),
    ],
)
def test_one_calendar_month(start, deadline):
    assert add_one_month(start) == deadline

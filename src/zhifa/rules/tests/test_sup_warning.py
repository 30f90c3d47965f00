"""SUP-warning (legal-rules.md §9) as data: ``legal_tests/sup_warning/levels.json``
holds the levels written by reasoning from the catalogue (each case says how it counted
the working days); the engine's classification gives each of them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from zhifa.rules.engine import RULES
from zhifa.rules.engine.supervision import (
    DEFAULT_YELLOW_WORKING_DAYS,
    RULE_ID,
    SUP_WARNING,
    deadline_level,
    finding_level,
    horizon,
)
from zhifa.rules.engine.workdays import WorkCalendar

from .conftest import LEGAL_TESTS
from .test_catalogue import CITATION
from .test_legal_cases import CATALOGUE_IDS

DATA = json.loads((LEGAL_TESTS / "sup_warning" / "levels.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def test_the_rule_is_in_the_catalogue_with_its_citation() -> None:
    assert RULE_ID == SUP_WARNING.id == DATA["rule"] == "SUP-warning"
    assert RULE_ID in CATALOGUE_IDS
    assert RULE_ID not in RULES  # not a unit of the case audit
    assert CITATION.match(SUP_WARNING.citation)
    # JL 五(二) and NA 20, as legal-rules.md cites them.
    assert "吉政办发〔2016〕91号）五（二）" in SUP_WARNING.citation
    assert "南政办内传〔2021〕36号）第20条" in SUP_WARNING.citation
    assert DEFAULT_YELLOW_WORKING_DAYS == 3  # the catalogue's default


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_level_written_from_the_catalogue(case: dict[str, Any]) -> None:
    window = horizon(dt.date.fromisoformat(case["today"]), WorkCalendar(), case["working_days"])
    assert window.yellow_until.isoformat() == case["yellow_until"]
    assert list(window.unscheduled_years) == case["unscheduled_years"]
    if "deadline" in case:
        d = case["deadline"]
        level = deadline_level(
            d["rule"],
            dt.date.fromisoformat(d["due"]),
            _day(d["done"]),
            window,
            d.get("paused", False),
        )
    else:
        level = finding_level(case["finding"]["severity"])
    assert level == case["level"]


def test_every_level_is_shown_by_the_data() -> None:
    assert {c["level"] for c in CASES} == {"red", "yellow", None}


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="working_days"):
        horizon(dt.date(2026, 3, 2), WorkCalendar(), -1)

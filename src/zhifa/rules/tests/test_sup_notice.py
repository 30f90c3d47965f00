"""SUP-notice (legal-rules.md §9) as data: ``legal_tests/sup_notice/levels.json`` holds
the due day, lateness and warning level of notices written by reasoning from the
catalogue; the engine gives each of them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from zhifa.rules.engine import RULES
from zhifa.rules.engine.notices import RULE_ID, SUP_NOTICE, is_late, notice_level, reply_due
from zhifa.rules.engine.supervision import horizon
from zhifa.rules.engine.workdays import WorkCalendar

from .conftest import LEGAL_TESTS
from .test_catalogue import CITATION
from .test_legal_cases import CATALOGUE_IDS

DATA = json.loads((LEGAL_TESTS / "sup_notice" / "levels.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]


def test_the_rule_is_in_the_catalogue_with_its_citation() -> None:
    assert RULE_ID == SUP_NOTICE.id == DATA["rule"] == "SUP-notice"
    assert RULE_ID in CATALOGUE_IDS
    assert RULE_ID not in RULES  # not a unit of the case audit
    assert SUP_NOTICE.kind == "deadline"
    assert CITATION.match(SUP_NOTICE.citation)
    # JL 五 and CQ 六, as legal-rules.md cites them.
    assert "吉政办发〔2016〕91号）五；" in SUP_NOTICE.citation
    assert SUP_NOTICE.citation.endswith("规范行政执法的决定》六")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_notice_written_from_the_catalogue(case: dict[str, Any]) -> None:
    window = horizon(dt.date.fromisoformat(case["today"]), WorkCalendar(), case["working_days"])
    deadline = dt.date.fromisoformat(case["deadline"])
    answered = case["answered_on"] and dt.date.fromisoformat(case["answered_on"])
    assert reply_due(deadline).isoformat() == case["due"]
    if answered:
        assert is_late(deadline, answered) is case["late"]
    assert notice_level(deadline, answered or None, window) == case["level"]


def test_every_level_and_lateness_is_shown_by_the_data() -> None:
    assert {c["level"] for c in CASES} == {"red", "yellow", None}
    assert {c["late"] for c in CASES if c["answered_on"]} == {True, False}

"""The warning models of issue #17 item 3 (``engine/warning_models.py``) as data:
``legal_tests/warning_models/levels.json`` holds the levels written from the catalogue;
the engine gives each of them. And the models' list: every rule it names is in the
catalogue with its citation."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import pytest

from zhifa.rules.engine import warning_models as models
from zhifa.rules.engine.supervision import deadline_level, horizon
from zhifa.rules.engine.workdays import WorkCalendar

from .conftest import LEGAL_TESTS
from .test_catalogue import CITATION
from .test_legal_cases import CATALOGUE_IDS

DATA = json.loads((LEGAL_TESTS / "warning_models" / "levels.json").read_text("utf-8"))
WINDOW = horizon(dt.date.fromisoformat(DATA["today"]), WorkCalendar(), DATA["working_days"])
D = dt.date.fromisoformat


def test_the_window_of_the_data() -> None:
    assert WINDOW.yellow_until == D(DATA["yellow_until"])


@pytest.mark.parametrize("case", DATA["expiry"], ids=[c["name"] for c in DATA["expiry"]])
def test_a_term_expiring(case: dict[str, Any]) -> None:
    level = models.expiry_level(D(case["last_day"]), WINDOW, in_use=case["in_use"])
    assert level == case["level"]


@pytest.mark.parametrize("case", DATA["ratio"], ids=[c["name"] for c in DATA["ratio"]])
def test_the_reviewer_ratio(case: dict[str, Any]) -> None:
    assert models.ratio_level(case["reviewers"], case["officers"]) == case["level"]
    assert models.reviewers_needed(case["officers"]) == case["needed"]


@pytest.mark.parametrize("case", DATA["deadlines"], ids=[c["name"] for c in DATA["deadlines"]])
def test_a_deadline_of_a_model(case: dict[str, Any]) -> None:
    done = D(case["done"]) if case["done"] else None
    assert deadline_level(case["rule"], D(case["due"]), done, WINDOW) == case["level"]


def test_every_level_is_shown_by_the_data() -> None:
    levels = {c["level"] for part in ("expiry", "ratio", "deadlines") for c in DATA[part]}
    assert levels == {"red", "yellow", None}


def test_the_ratio_is_never_red_and_counts_are_not_negative() -> None:
    assert models.BY_KEY["reviewer_ratio"].red is None
    assert Fraction(5, 100) == models.REVIEWER_MIN_RATIO
    with pytest.raises(ValueError, match="negative"):
        models.below_ratio(-1, 10)


def test_every_model_names_catalogue_rules_with_their_citations() -> None:
    keys = [m.key for m in models.MODELS]
    assert len(keys) == len(set(keys))
    assert set(keys) >= {
        "certificate",
        "entrustment",
        "power_list",
        "reviewer_ratio",
        "publication",
        "complaint_ack",
    }
    for model in models.MODELS:
        assert model.rules and model.subject in {"case", "officer", "organ"}
        for rule, citation in model.rules:
            assert rule in CATALOGUE_IDS, rule
            assert CITATION.match(citation), (rule, citation)
        assert model.yellow is not None or model.red is not None
        for text in (model.name, model.watched, model.yellow, model.red):
            assert text is None or (text.zh and text.en)
    # The rules of legal-rules.md §7 this issue asked for, with the sources it names.
    assert "吉政办发〔2016〕91号）三（二）" in models.CITATIONS["JL-power-list-update"]
    assert "国办发〔2018〕118号" in models.CITATIONS["GB118-reviewer-ratio"]
    assert models.CITATIONS["APL-42-qualified"].endswith("第四十二条")
    assert models.CITATIONS["APL-20-entrustment"].endswith("第二十条")

"""Dated parameters: the value as it stood on a date; overrides by setting key; the
case file's settings change the numbers the rules use."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, audit, to_document
from zhifa.rules.engine.parameters import (
    ParameterError,
    Parameters,
    default_parameters,
    load_parameters,
)

D = dt.date.fromisoformat


def test_every_parameter_has_a_reference_and_a_first_date() -> None:
    for param in default_parameters().values():
        assert param.reference and param.description and param.unit
        assert param.at(param.first_date()) is not None


def test_value_as_it_stood_on_a_date(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[x]\ndescription = "d"\nunit = "u"\nreference = "r"\n'
        'values = { "2020-01-01" = 5, "2024-01-01" = 7, "2026-01-01" = false }\n',
        encoding="utf-8",
    )
    table = load_parameters(path)
    params = Parameters(table=table)
    assert params.value("x", D("2023-12-31")) == 5
    assert params.value("x", D("2024-01-01")) == 7
    assert params.value("x", D("2026-06-01")) is False
    with pytest.raises(ParameterError):
        params.value("x", D("2019-12-31"))


def test_overrides_only_replace_configurable_numbers() -> None:
    params = Parameters({"decision_days": 60, "payment_days": 1})
    assert params.integer("decision_days", D("2025-01-01")) == 60
    assert params.integer("payment_days", D("2025-01-01")) == 15  # fixed by APL 67


def _deadline(document: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(d for d in document["deadlines"] if d["rule"] == rule)


def test_case_settings_change_the_numbers(clean_case: dict[str, Any]) -> None:
    clean_case["settings"] = {
        "decision_days": 30,
        "disclosure_working_days": 3,
        "hearing_fine_threshold": {"organisation": 200000},
    }
    document = to_document(audit(CaseFile.from_dict(clean_case)))
    assert _deadline(document, "APL-60-decision-deadline")["due"] == "2025-10-09"
    assert _deadline(document, "APL-60-decision-deadline")["status"] == "missed"
    assert _deadline(document, "GB118-disclose-decision")["due"] == "2025-10-31"
    # 150000 no longer reaches the hearing threshold: collective discussion not required,
    # and the notice, which offered a hearing anyway, still opens the request window.
    assert not any(f["rule"] == "APL-57-collective" for f in document["findings"])


def test_regional_overrides_yield_to_the_case_settings(clean_case: dict[str, Any]) -> None:
    case = CaseFile.from_dict(clean_case)
    regional = to_document(audit(case, overrides={"decision_days": 30}))
    assert _deadline(regional, "APL-60-decision-deadline")["due"] == "2025-10-09"
    clean_case["settings"] = {"decision_days": 90}
    own = to_document(audit(CaseFile.from_dict(clean_case), overrides={"decision_days": 30}))
    assert _deadline(own, "APL-60-decision-deadline")["due"] == "2025-12-01"


def test_schema_file_ships_and_is_json() -> None:
    from zhifa.rules.engine.validation import SCHEMA_FILE

    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert schema["properties"]["format"]["const"] == "zhifa-casefile/1"


def test_rules_apply_only_from_the_date_their_version_took_effect(
    clean_case: dict[str, Any],
) -> None:
    """The same case five years earlier: the 2021 APL rules were not yet in force, so
    they give nothing; GB118 (2018) and the market-regulation procedure rules (2019,
    REG-decision) still apply."""

    def back(value: str) -> str:
        day = D(value)
        return day.replace(year=day.year - 5).isoformat()

    for step in clean_case["steps"]:
        for key in ("on", "served_on", "hearing_on"):
            if key in step:
                step[key] = back(step[key])
    for key in ("occurred_on", "discovered_on"):
        clean_case["violation"][key] = back(clean_case["violation"][key])
    clean_case["steps"][0]["by"] = ["o1", "o2"]
    clean_case["steps"][1]["officers"] = ["o1"]  # one officer: APL-42 would object in 2025
    clean_case["as_of"] = back(clean_case["as_of"])
    document = to_document(audit(CaseFile.from_dict(clean_case)))
    assert [d["rule"] for d in document["deadlines"]] == [
        "REG-decision",
        "GB118-disclose-decision",
    ]
    assert [f["rule"] for f in document["findings"]] == []
    assert document["amounts"] == {"late_fee": None}

"""GB118-disclose-decision reads DISC-scope: a decision the scope does not publish has no
publication deadline, and changing the scope data changes what the audit expects (the
rule breaks when the data says so, not by a constant in the unit)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, audit, to_document
from zhifa.rules.engine.publication import load_publication_data, region_chain
from zhifa.rules.engine.units import disclosure as unit

RULE = "GB118-disclose-decision"


def _deadlines(case: dict[str, Any]) -> list[dict[str, Any]]:
    document = to_document(audit(CaseFile.from_dict(case)))
    return [d for d in document["deadlines"] if d["rule"] == RULE]


@pytest.fixture
def scope_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A DISC-scope data file of the test's own, read by the unit in place of
    rules/data/disclosure.toml."""
    path = tmp_path / "disclosure.toml"
    monkeypatch.setattr(unit, "default_data", lambda: load_publication_data(path))
    yield path


def _write(path: Path, *entries: str) -> None:
    path.write_text("\n".join(f"[[scope]]\n{e}\n" for e in entries), encoding="utf-8")


def test_region_chain() -> None:
    assert region_chain("330402") == ["330402", "330400", "330000"]
    assert region_chain("330400") == ["330400", "330000"]
    assert region_chain("") == []


def test_the_catalogues_default_publishes_general_procedure_decisions(
    clean_case: dict[str, Any],
) -> None:
    [deadline] = _deadlines(clean_case)
    assert (deadline["from"], deadline["due"], deadline["status"]) == (
        "2025-10-28",
        "2025-11-06",
        "met",
    )
    clean_case["procedure"] = "summary"
    assert _deadlines(clean_case) == []


def test_a_region_entry_that_publishes_summary_decisions_gives_them_the_deadline(
    clean_case: dict[str, Any], scope_data: Path
) -> None:
    _write(scope_data, 'region = "330000"\nprocedures = ["general", "summary"]')
    clean_case["procedure"] = "summary"
    assert [d["due"] for d in _deadlines(clean_case)] == ["2025-11-06"]


def test_an_entry_for_another_region_does_not_apply(
    clean_case: dict[str, Any], scope_data: Path
) -> None:
    _write(scope_data, 'region = "440000"\nprocedures = ["summary"]')
    # No entry applies to 330400: the catalogue's default (general procedure) holds.
    assert len(_deadlines(clean_case)) == 1
    clean_case["procedure"] = "summary"
    assert _deadlines(clean_case) == []


def test_the_nearest_region_wins_and_can_leave_a_decision_unpublished(
    clean_case: dict[str, Any], scope_data: Path
) -> None:
    _write(
        scope_data,
        'region = ""\nprocedures = ["general"]',
        'region = "330400"\nprocedures = ["general"]\npenalty_types = ["revoke_permit"]',
    )
    # The fine is not among the city's published types: no deadline, and the published
    # step does not make one appear.
    assert _deadlines(clean_case) == []


def test_warning_only_decisions_left_out_where_the_entry_says_so(
    clean_case: dict[str, Any], scope_data: Path
) -> None:
    for step in clean_case["steps"]:
        if step["step"] == "decision":
            step["penalties"] = [{"type": "warning"}]
    _write(scope_data, 'procedures = ["general"]')
    assert len(_deadlines(clean_case)) == 1
    _write(scope_data, 'procedures = ["general"]\nexclude_warning_only = true')
    assert _deadlines(clean_case) == []


def test_the_entry_names_the_parameter_of_its_period(
    clean_case: dict[str, Any], scope_data: Path
) -> None:
    """The working days come from the parameter the entry names (here the case's own
    setting, through the default parameter name)."""
    clean_case["settings"] = {"disclosure_working_days": 3}
    _write(scope_data, 'procedures = ["general"]\nworking_days = "disclosure_working_days"')
    [deadline] = _deadlines(clean_case)
    assert deadline["due"] == "2025-10-31"
    assert deadline["status"] == "missed"  # published on 2025-11-04

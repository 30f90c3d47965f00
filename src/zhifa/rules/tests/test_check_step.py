"""``check_step``: the workflow's question "if this step is added now, which block
rules break?", answered by the same rule units as the audit."""

import datetime as dt
from typing import Any

from zhifa.rules.engine import CaseFile, Step, check_step
from zhifa.rules.engine.casefile import Penalty

D = dt.date.fromisoformat


def case_until(data: dict[str, Any], n: int) -> CaseFile:
    data = dict(data, steps=data["steps"][:n])
    return CaseFile.from_dict(data)


def test_a_correct_next_step_breaks_nothing(clean_case: dict[str, Any]) -> None:
    case = case_until(clean_case, 10)
    decision = CaseFile.from_dict(clean_case).steps[10]
    assert check_step(case, decision) == []


def test_deciding_before_the_hearing_window_closes_is_refused(
    clean_case: dict[str, Any],
) -> None:
    case = case_until(clean_case, 5)  # notice served 2025-09-26, window to 2025-10-10
    early = Step(
        step="decision",
        on=D("2025-10-09"),
        outcome="penalty",
        penalties=(Penalty("fine", 150000),),
        approved_by="h1",
    )
    rules = {f.rule for f in check_step(case, early)}
    assert "APL-64-hearing-request" in rules
    # The agency is in 嘉兴 (330400): JX 四（一） requires review of every decision.
    assert "APL-58-legal-review" in rules
    assert all(f.step == 5 for f in check_step(case, early))
    elsewhere = dict(clean_case, agency=dict(clean_case["agency"], region_code="110105"))
    rules = {f.rule for f in check_step(case_until(elsewhere, 5), early)}
    assert "APL-64-hearing-request" in rules
    assert "APL-58-legal-review" not in rules  # no hearing was held, none required yet


def test_an_investigation_by_one_officer_is_refused(clean_case: dict[str, Any]) -> None:
    case = case_until(clean_case, 1)
    step = Step(step="investigation", on=D("2025-09-04"), officers=("o1",), evidence=("physical",))
    found = check_step(case, step)
    assert [f.rule for f in found] == ["APL-42-two-officers"]
    assert found[0].severity == "error"


def test_warnings_are_not_refusals(clean_case: dict[str, Any]) -> None:
    case = case_until(clean_case, 1)
    step = Step(
        step="investigation",
        on=D("2025-09-04"),
        officers=("o1", "o2"),
        certificates_shown=False,
        evidence=("physical",),
    )
    assert check_step(case, step) == []


def test_case_level_errors_refuse_every_step(clean_case: dict[str, Any]) -> None:
    clean_case["agency"]["subject_type"] = "temporary_body"
    case = case_until(clean_case, 1)
    step = Step(step="investigation", on=D("2025-09-04"), officers=("o1", "o2"))
    assert [f.rule for f in check_step(case, step)] == ["APL-38-subject"]

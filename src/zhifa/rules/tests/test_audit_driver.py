"""The audit's driver (audit._run) with a unit that stops on an exception after yielding:
before a missing parameter, what it yielded is kept, with the "cannot judge" warning;
before a period past 9999-12-31, nothing it yielded is kept."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from zhifa.rules.engine import CaseFile, WorkCalendar
from zhifa.rules.engine.audit import _run
from zhifa.rules.engine.catalogue import AmountItem, DeadlineItem, Item, Rule, error
from zhifa.rules.engine.parameters import ParameterError
from zhifa.rules.engine.workdays import Counted

DAY = dt.date(2025, 6, 1)


def _unit(rule_id: str, check: Any) -> Rule:
    return Rule(rule_id, "block", "《测试》", "a test unit", None, None, check)


def _yields_then_raises(exc: Exception) -> Any:
    def check(ctx: Any) -> Iterator[Item]:
        yield error("T-first", 0, "甲", "first")
        yield DeadlineItem("T-first", DAY, Counted(DAY), None)
        yield AmountItem("T-first", "late_fee", 12.5)
        raise exc

    return check


def _quiet(ctx: Any) -> Iterator[Item]:
    yield error("T-other", None, "乙", "other")
    yield AmountItem("T-other", "late_fee", 1.0)


def test_a_missing_parameter_keeps_what_was_yielded(clean_case: dict[str, Any]) -> None:
    clean_case.pop("legal_test", None)
    case = CaseFile.from_dict(clean_case)
    missing = ParameterError("no value", "payment_days", DAY)
    rules = [_unit("T-other", _quiet), _unit("T-first", _yields_then_raises(missing))]
    result = _run(case, DAY, WorkCalendar(), None, rules)
    assert [(f.rule, f.step, f.message.en) for f in result.findings] == [
        ("T-first", None, result.findings[0].message.en),
        ("T-other", None, "other"),
        ("T-first", 0, "first"),
    ]
    assert "cannot judge this rule" in result.findings[0].message.en
    assert [d.rule for d in result.deadlines] == ["T-first"]
    assert result.late_fee == 12.5


def test_a_period_past_the_last_date_keeps_nothing_of_the_unit(
    clean_case: dict[str, Any],
) -> None:
    clean_case.pop("legal_test", None)
    case = CaseFile.from_dict(clean_case)
    rules = [
        _unit("T-other", _quiet),
        _unit("T-first", _yields_then_raises(OverflowError("date value out of range"))),
    ]
    result = _run(case, DAY, WorkCalendar(), None, rules)
    assert [(f.rule, f.message.en) for f in result.findings] == [("T-other", "other")]
    assert result.deadlines == ()
    assert result.late_fee == 1.0

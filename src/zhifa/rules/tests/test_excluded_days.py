"""APL-60-decision-deadline: excluded periods (the case clock suspended) move the due
date by the days excluded (legal-rules.md APL-60: "configurable excluded periods")."""

import datetime as dt
from typing import Any

from zhifa.rules.engine import CaseFile, audit


def _due(data: dict[str, Any]) -> dt.date:
    result = audit(CaseFile.from_dict(data), dt.date(2025, 9, 1))
    (item,) = [d for d in result.deadlines if d.rule == "APL-60-decision-deadline"]
    return item.due.due


def test_excluded_days_move_the_decision_deadline(clean_case: dict[str, Any]) -> None:
    base = _due(clean_case)
    suspended = dict(
        clean_case, settings={**clean_case.get("settings", {}), "decision_excluded_days": 10}
    )
    moved = _due(suspended)
    # 90 calendar days become 100; both ends are moved to a working day when needed.
    assert (moved - base).days >= 10
    plain = dict(clean_case, settings={**clean_case.get("settings", {}), "decision_days": 100})
    assert moved == _due(plain)


def test_no_excluded_days_is_the_default(clean_case: dict[str, Any]) -> None:
    zero = dict(
        clean_case, settings={**clean_case.get("settings", {}), "decision_excluded_days": 0}
    )
    assert _due(zero) == _due(clean_case)

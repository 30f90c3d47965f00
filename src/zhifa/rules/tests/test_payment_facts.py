"""The payment facts (``payment_facts``, ``AuditResult.payments``) agree with what the
rules report, on every legal test case file: the APL-72 late fee is the audit's
``late_fee``, the payment deadline and the day of full payment are the
APL-67-payment deadline's due date and ``done``, and the amounts add up."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, audit, payment_facts

from .conftest import legal_case_files

CASES = legal_case_files()
D = dt.date.fromisoformat


def _check(case: CaseFile, as_of: dt.date) -> Any:
    result = audit(case, as_of)
    facts = payment_facts(case, as_of)
    assert facts == result.payments  # the audit carries the same facts
    deadlines = [d for d in result.deadlines if d.rule == "APL-67-payment"]
    if facts is None:
        assert result.late_fee is None and not deadlines
        return None
    if result.late_fee is None:
        assert facts.late_fee is None
    else:
        assert facts.late_fee == Decimal(str(result.late_fee)).quantize(Decimal("0.01"))
        assert facts.late_fee_cap == facts.fine and facts.late_fee <= facts.fine
    if deadlines:
        (due,) = deadlines
        assert facts.deadline == due.due.due
        assert facts.paid_in_full_on == due.done
    else:
        assert facts.deadline is None
    assert facts.fine_outstanding == max(facts.fine - facts.paid, Decimal(0))
    assert facts.outstanding == max(facts.fine + (facts.late_fee or 0) - facts.paid, Decimal(0))
    return facts


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_facts_agree_with_the_rules_on_each_legal_test(path: Path) -> None:
    case = CaseFile.from_dict(json.loads(path.read_text("utf-8")))
    as_of = case.as_of or D("2026-11-24")
    _check(case, as_of)


def test_the_legal_tests_have_fines_paid_late_and_deferred() -> None:
    """The agreement above is not empty: some legal tests have a fine with a late fee,
    a partial or full payment, a deferral and a paused fee."""
    seen: set[str] = set()
    for path in CASES:
        case = CaseFile.from_dict(json.loads(path.read_text("utf-8")))
        facts = payment_facts(case, case.as_of or D("2026-11-24"))
        if facts is None:
            continue
        if facts.late_fee:
            seen.add("late fee")
        if facts.payments:
            seen.add("paid")
        if facts.deferred_until:
            seen.add("deferral")
        if facts.paused_days:
            seen.add("paused")
    assert seen == {"late fee", "paid", "deferral", "paused"}


def _fine_case(clean: dict[str, Any], *extra: dict[str, Any]) -> CaseFile:
    """The clean legal test with its decision fining 10 000 yuan, served, then ``extra``."""
    steps = [s for s in clean["steps"] if s["step"] not in ("paid", "closed", "disclosed")]
    decision = next(s for s in steps if s["step"] == "decision")
    decision["penalties"] = [
        {"type": "fine", "amount": 10000},
        {"type": "confiscation", "amount": 2500.5},
    ]
    clean["steps"] = [*steps, *extra]
    clean.pop("as_of", None)
    return CaseFile.from_dict(clean)


def test_a_partial_payment_after_the_deadline(clean_case: dict[str, Any]) -> None:
    served = next(s for s in clean_case["steps"] if s["step"] == "served")["on"]
    deadline = D(served) + dt.timedelta(days=15)
    paid_on = deadline + dt.timedelta(days=3)
    case = _fine_case(clean_case, {"step": "paid", "on": paid_on.isoformat(), "amount": 4000})
    as_of = deadline + dt.timedelta(days=7)
    facts = _check(case, as_of)
    assert facts.penalties[0].amount == Decimal("10000.00")
    assert facts.penalties[1].amount == Decimal("2500.50")
    assert facts.fine == Decimal("10000.00")  # the fines only
    assert facts.paid == Decimal("4000.00") and facts.paid_in_full_on is None
    assert [(m.on, m.amount, m.total) for m in facts.payments] == [
        (paid_on, Decimal("4000.00"), Decimal("4000.00"))
    ]
    assert facts.deadline == deadline  # 2025-11-14, a Friday
    assert facts.late_days == 7
    assert facts.late_fee == Decimal("2100.00")  # 10 000 × 3% × 7
    assert facts.outstanding == Decimal("8100.00")
    assert facts.fine_outstanding == Decimal("6000.00")
    # Months later the fee stops at the fine.
    later = _check(case, as_of + dt.timedelta(days=100))
    assert later.late_fee == Decimal("10000.00") == later.late_fee_cap
    assert later.outstanding == Decimal("16000.00")


def test_no_penalty_decision_no_facts(clean_case: dict[str, Any]) -> None:
    clean_case["steps"] = [s for s in clean_case["steps"] if s["step"] != "decision"]
    clean_case["steps"] = [
        s for s in clean_case["steps"] if s["step"] not in ("served", "paid", "closed")
    ]
    case = CaseFile.from_dict(clean_case)
    assert payment_facts(case, D("2026-11-24")) is None
    assert audit(case, D("2026-11-24")).payments is None

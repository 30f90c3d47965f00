"""Cases written as rows (no workflow): the read model counts rows, so these tests give
it exactly the steps they mean, in any organ and year."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from zhifa.cases.models import Case, CaseStep

_numbers = itertools.count(1)


def make_case(organ: Any, actor: Any, steps: list[tuple[str, dt.date, dict[str, Any]]]) -> Case:
    """A case of ``organ`` with ``steps`` (name, date, data); a decision step gets a
    document number."""
    n = next(_numbers)
    case = Case.objects.create(
        organ=organ,
        case_id=f"T-{n}",
        procedure="general",
        power="T-1",
        party_type="individual",
        party_name="张三丰",
        party_id_number="110101199003074514",
        violation={},
        basis={},
    )
    for index, (step, on, data) in enumerate(steps):
        CaseStep.objects.create(
            case=case,
            index=index,
            step=step,
            on=on,
            data=data,
            actor=actor,
            document_number=f"测罚〔{on.year}〕{n}-{index}号"
            if step in ("decision", "seizure")
            else "",
        )
    return case


def decision(
    on: dt.date, *penalties: tuple[str, float | None], outcome: str = "penalty"
) -> tuple[str, dt.date, dict[str, Any]]:
    return (
        "decision",
        on,
        {
            "outcome": outcome,
            "penalties": [
                {"type": t} if amount is None else {"type": t, "amount": amount}
                for t, amount in penalties
            ],
        },
    )


@pytest.fixture
def cases_factory():  # type: ignore[no-untyped-def]
    return make_case

"""Case files closed in a period, made straight in the database (the draw reads only
the organ, the file id, the case number and the ``closed`` step's day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.cases.models import Case, CaseStatus, CaseStep
from zhifa.evaluation.sheets import ensure_default_sheet


def closed_case(organ: Any, actor: Any, file_id: str, number: str, on: dt.date) -> Case:
    case = Case.objects.create(
        organ=organ,
        case_id=file_id,
        registration_number=number,
        procedure="general",
        source="inspection",
        power="P-1",
        party_type="person",
        party_name="李某某",
        party_id_number="330402199001011234",
        violation={},
        basis={},
        status=CaseStatus.CLOSED,
    )
    CaseStep.objects.create(case=case, index=0, step="closed", on=on, actor=actor)
    return case


def closed_cases(organ: Any, actor: Any, count: int, prefix: str, on: dt.date) -> list[Case]:
    return [
        closed_case(organ, actor, f"{prefix}-{n:03d}", f"{prefix}立〔2026〕{n}号", on)
        for n in range(1, count + 1)
    ]


@pytest.fixture
def sheet(db: None) -> Any:
    return ensure_default_sheet()

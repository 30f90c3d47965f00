"""The investigation: the investigators' inquiries and the coercive measures (先行登记保存,
查封、扣押)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zhifa.registry.models import Officer

from ..models import Case, CaseStep
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def record_investigation(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    officers: Sequence[Officer],
    evidence: Iterable[str],
    certificates_shown: bool = True,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case,
        "investigation",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        officers=list(officers),
        certificates_shown=certificates_shown,
        evidence=list(evidence),
    )


def record_preservation(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    items: int,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """先行登记保存 started (APL 56: decided within 7 days)."""
    return add_step(
        case,
        "preservation",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        items=items,
    )


def decide_preservation(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "preservation_decided", actor=actor, on=on, expected_steps=expected_steps)


def record_seizure(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    days: int,
    approved_by: Officer,
    extended: bool = False,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """查封、扣押 (or its extension), approved by an organ head (ACL 18, 25)."""
    return add_step(
        case,
        "seizure_extended" if extended else "seizure",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        days=days,
        approved_by=approved_by,
    )


def end_seizure(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "seizure_ended", actor=actor, on=on, expected_steps=expected_steps)

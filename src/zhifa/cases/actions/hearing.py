"""The party's rights before the decision: the prior notice, the statement or waiver, the
hearing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zhifa.registry.models import Officer

from ..models import Case, CaseStep
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def serve_prior_notice(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    intended: Sequence[Mapping[str, Any]],
    served_on: dt.date | None = None,
    written: bool = True,
    hearing_right_notified: bool = True,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case,
        "prior_notice",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        written=written,
        served_on=served_on or on,
        intended=list(intended),
        hearing_right_notified=hearing_right_notified,
    )


def record_statement(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case, "statement", actor=actor, on=on, expected_steps=expected_steps, content=content
    )


def record_waiver(
    case: Case, *, actor: User, on: dt.date, signed: bool = True, expected_steps: int
) -> CaseStep:
    return add_step(
        case, "waiver", actor=actor, on=on, expected_steps=expected_steps, signed=signed
    )


def request_hearing(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "hearing_requested", actor=actor, on=on, expected_steps=expected_steps)


def notify_hearing(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    hearing_on: dt.date,
    served_on: dt.date | None = None,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case,
        "hearing_notice",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        served_on=served_on or on,
        hearing_on=hearing_on,
    )


def hold_hearing(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    host: Officer,
    public: bool = True,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case,
        "hearing",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        host=host,
        public=public,
    )

"""Carrying out the decision: service, payment, deferral, the demand and the application to
the court."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..models import Case, CaseStep
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def serve_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    method: str = "direct",
    signed_by: str = "recipient",
    electronic_consent: bool | None = None,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """The decision served (APL 61). ``content``: the 送达回证's person served, signer,
    place and, on a refusal (``signed_by="refused"``), its reason and witnesses or
    recording — a refusal with neither is refused at ``content.witnesses``
    (``validation.refusal_problems``)."""
    extra: dict[str, Any] = (
        {} if electronic_consent is None else {"electronic_consent": electronic_consent}
    )
    return add_step(
        case,
        "served",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        method=method,
        signed_by=signed_by,
        content=content,
        **extra,
    )


def record_payment(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    amount: float,
    onsite: bool = False,
    onsite_reason: str | None = None,
    expected_steps: int,
) -> CaseStep:
    extra: dict[str, Any] = {} if onsite_reason is None else {"onsite_reason": onsite_reason}
    return add_step(
        case,
        "paid",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        amount=amount,
        onsite=onsite,
        **extra,
    )


def approve_deferral(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    until: dt.date,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """A deferral or instalments of the fine approved (APL 66): the payment deadline
    moves to ``until``."""
    return add_step(
        case,
        "deferral_approved",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        until=until,
    )


def serve_demand(
    case: Case, *, actor: User, on: dt.date, served_on: dt.date | None = None, expected_steps: int
) -> CaseStep:
    return add_step(
        case, "demand", actor=actor, on=on, expected_steps=expected_steps, served_on=served_on or on
    )


def apply_to_court(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "court_application", actor=actor, on=on, expected_steps=expected_steps)

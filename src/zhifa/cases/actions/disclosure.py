"""Publishing the decision (公示) and withdrawing it (撤回公示, APL 48)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import Case, CaseStep
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def mark_disclosed(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    return add_step(case, "disclosed", actor=actor, on=on, expected_steps=expected_steps)


def withdraw_disclosure(
    case: Case, *, actor: User, on: dt.date, reason_published: bool, expected_steps: int
) -> CaseStep:
    """Withdraw the published decision (撤回公示): the format's step
    ``disclosure_withdrawn``. APL 48 (legal-rules.md APL-48-withdraw): a published
    decision that is changed, revoked, declared unlawful or void is withdrawn within 3
    working days, with the reason published; the engine keeps a warning with the step
    when ``reason_published`` is false. Only a decision that was published and not
    withdrawn since can be withdrawn."""
    return add_step(
        case,
        "disclosure_withdrawn",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        reason_published=bool(reason_published),
    )

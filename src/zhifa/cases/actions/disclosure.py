"""Publishing the decision (公示) and withdrawing it (撤回公示, APL 48)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Case, CaseStep
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def mark_disclosed(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    """The format's step ``disclosed``. The platform takes it when it publishes the
    decision (``zhifa.disclosure``): no page nor API takes it by hand (``steps``)."""
    return add_step(case, "disclosed", actor=actor, on=on, expected_steps=expected_steps)


#: The platform's publication of a decision (registered by the disclosure app).
Publisher = Callable[..., CaseStep]
_PUBLISHER: list[Publisher] = []


def register_publisher(publisher: Publisher) -> None:
    """Set how ``publish_decision`` publishes (the disclosure app, from its ``ready``)."""
    _PUBLISHER[:] = [publisher]


def publish_decision(case: Case, *, actor: User, on: dt.date, expected_steps: int) -> CaseStep:
    """The case's decision published by the platform on ``on`` (its scheduled
    publication, released by ``actor`` when it awaits approval), which takes the step
    ``disclosed``; without a publisher registered, the step alone. The demo's
    "disclosed" goes through here."""
    if _PUBLISHER:
        return _PUBLISHER[0](case, actor=actor, on=on, expected_steps=expected_steps)
    return mark_disclosed(case, actor=actor, on=on, expected_steps=expected_steps)


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

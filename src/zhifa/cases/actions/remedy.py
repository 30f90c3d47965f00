"""A reconsideration or litigation against the decision."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseStep
from ..steps import REMEDY_KINDS, REMEDY_RESULTS, values
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def record_remedy(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    kind: str,
    result: str = "pending",
    decided_on: dt.date | None = None,
    head_appeared: bool | None = None,
    expected_steps: int,
) -> CaseStep:
    """A reconsideration (ARL) or litigation (ALitL) against the decision, filed on ``on``
    (step ``remedy_filed``). While it is pending the late fee does not accrue
    (APL-73-late-fee-paused, APL 73(3)): from the day after filing to ``decided_on``.
    Record it ``pending`` when it is filed; when it is decided, record the same kind again
    on the day of the decision with its result and ``decided_on`` (the engine ends the
    pause of the pending one there). One already decided may be recorded at once with
    ``on`` = the day it was filed.
    ``head_appeared``: whether the organ's head appeared in court (litigation)."""
    if kind not in values(REMEDY_KINDS):
        raise ValidationError({"kind": [_("Choose reconsideration or litigation.")]})
    if result not in values(REMEDY_RESULTS):
        raise ValidationError({"result": [_("Choose one of the results offered.")]})
    if result == "pending" and decided_on is not None:
        raise ValidationError(
            {"decided_on": [_("A pending reconsideration or litigation has no decision date.")]}
        )
    if result != "pending" and decided_on is None:
        raise ValidationError({"decided_on": [_("Give the date of the decision or withdrawal.")]})
    if decided_on is not None and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("The date cannot be in the future.")]})
    if kind != "litigation" and head_appeared is not None:
        raise ValidationError(
            {"head_appeared": [_("The head's appearance in court concerns litigation only.")]}
        )
    fields: dict[str, Any] = {"kind": kind, "result": result, "decided_on": decided_on}
    if head_appeared is not None:
        fields["head_appeared"] = head_appeared
    return add_step(
        case, "remedy_filed", actor=actor, on=on, expected_steps=expected_steps, **fields
    )

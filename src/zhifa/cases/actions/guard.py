"""Who may act on a case: the identity checks of the guarded path (``add_step``) and of the
services that open or import a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.core.validation import EARLIEST_DATE, date_problem
from zhifa.registry.models import EnforcementSubject, Officer

from ..casefile import OFFICER_FIELDS
from ..models import Case, CaseOfficer
from ..policy import decides_on_the_spot
from ..steps import BY_NAME

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _record_actor(actor: User, organ: EnforcementSubject) -> None:
    if actor.role not in ORGAN_ROLES or actor.organ_id != organ.pk:
        raise PermissionDenied(_("Only users of the case's organ may act on the case."))


def _officers_named(fields: Mapping[str, Any]) -> list[tuple[str, Officer]]:
    """The registry officers a step names. The officer fields of the format take
    ``Officer`` objects only, so every person is checked and linked to the case."""
    named: list[tuple[str, Officer]] = []
    for field, value in fields.items():
        values = value if isinstance(value, list | tuple) else [value]
        if field in OFFICER_FIELDS and not all(isinstance(v, Officer) for v in values):
            raise ValidationError(
                _("%(field)s: name registry officers.") % {"field": field}, code="officer"
            )
        named.extend((field, v) for v in values if isinstance(v, Officer))
    return named


def _check_people(
    case: Case,
    step: str,
    actor: User,
    named: list[tuple[str, Officer]],
    fields: Mapping[str, Any],
    rows: Sequence[CaseOfficer],
) -> None:
    """Identity checks only (issue #12): the named officers belong to the case's organ,
    the actor holds the role the step needs and is the person who acts (the reviewer
    records the review, the approving head records the decision, the closure and the
    refused registration). ``rows`` are the case's officer rows (``officer_rows``)
    before this step. The law on people — separation of duties (SEP-duties,
    APL-64-hearing-host, REVIEW-independent), the reviewer's qualification
    (APL-58-reviewer), the head's approval of a seizure (ACL-18-approval) — is the rules
    engine's, asked by ``add_step`` with the rest."""
    for _field, officer in named:
        if officer.organ_id != case.organ_id:
            raise ValidationError(
                _("%(officer)s is not an officer of the case's organ.") % {"officer": officer}
            )
    if step == "registered" and actor.role != Role.ORGAN_HEAD:
        raise PermissionDenied(_("Only an organ head approves the registration of a case."))
    if step == "legal_review":
        reviewer = fields.get("reviewer")
        if not isinstance(reviewer, Officer) or not reviewer.active:
            raise ValidationError(_("The legal reviewer is an active officer of the registry."))
        if actor.role != Role.LEGAL_REVIEWER or reviewer.user_id != actor.pk:
            raise PermissionDenied(_("The legal review is recorded by the reviewer."))
    declared = BY_NAME.get(step)
    if declared is not None and declared.approver_records and "approved_by" in fields:
        # 结案审批 / 不予立案审批: the head approves and records it; whether the
        # approval is there at all is the engine's (CLOSE-conditions, REG-decision).
        approver = fields.get("approved_by")
        user = approver.user if isinstance(approver, Officer) else None
        if user is None or user.role != Role.ORGAN_HEAD or user.pk != actor.pk:
            raise PermissionDenied(_("The organ head who approves it records it."))
    if step == "decision":
        approver = fields.get("approved_by")
        if not isinstance(approver, Officer):
            raise ValidationError(_("A decision names the officer who approves it."))
        if case.procedure == "summary":
            if not decides_on_the_spot(rows, approver):
                raise ValidationError(
                    _("In the summary procedure an officer of the case decides on the spot.")
                )
            if approver.user_id != actor.pk:
                raise PermissionDenied(_("The deciding officer records the decision."))
        else:
            user = approver.user
            if user is None or user.role != Role.ORGAN_HEAD or user.pk != actor.pk:
                raise PermissionDenied(_("Only an organ head approves the decision."))


def future_day_error(on: dt.date) -> ValidationError | None:
    """The error for an act dated after today, or ``None``: no act is dated later than
    today (a step dated 9999-12-31 would block every later step: DATA-step-order)."""
    today = timezone.localdate()
    if on < EARLIEST_DATE:
        return ValidationError(date_problem(on, today=today) or "", code="implausible_date")
    if on <= today:
        return None
    return ValidationError(
        _("The day %(day)s is later than today (%(today)s).")
        % {"day": on.isoformat(), "today": today.isoformat()},
        code="future",
    )


def _check_not_future(on: dt.date, field: str = "on") -> None:
    """A day later than today, or before the earliest plausible day, is refused
    (``future_day_error``)."""
    error = future_day_error(on)
    if error is not None:
        raise ValidationError({field: [error]})

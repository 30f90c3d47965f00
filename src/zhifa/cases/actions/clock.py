"""The case clock (中止调查 / 恢复调查) and the deadlines it counts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.records.services import append_entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import AuditResult, audit
from zhifa.rules.engine.catalogue import DeadlineItem
from zhifa.rules.engine.workdays import WorkCalendar

from ..casefile import case_file
from ..models import Case, Suspension
from ..policy import can_resume, can_suspend, enforce, load_state
from ..queries import refresh_case
from .guard import _check_not_future

if TYPE_CHECKING:
    from zhifa.accounts.models import User


@transaction.atomic
def suspend_case(case: Case, *, actor: User, on: dt.date, reason: str) -> Suspension:
    """Stop the case clock from ``on`` (中止调查): the days until ``resume_case`` do not
    count towards the decision period (APL 60 excluded periods; ``casefile.clock_window``
    counts only the days between the registration and the first decision).

    The organ head suspends and resumes: an internal control of the platform (the
    procedure rules of market regulation have the head approve a 中止调查; no article is
    cited here). Refused: a closed or decided case, a case already suspended, a start
    later than today, before the registration (a summary case: before the violation was
    discovered), before the case's last step or before the end of an earlier
    suspension (suspensions do not overlap). Errors name the field (``on``,
    ``reason``); nothing is written."""
    state = load_state(case, lock=True)
    locked = state.case
    enforce(can_suspend(state, actor))
    steps = [(s.step, s.on) for s in state.steps]
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("A suspension needs its reason.")]
    try:
        _check_not_future(on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    start, _end = state.clock
    last_resumed = max((s.end for s in state.suspensions if s.end is not None), default=None)
    if "on" not in errors and start is not None:
        if on < start:
            errors["on"] = [
                _("A suspension cannot start before the case's registration (%(day)s).")
                % {"day": start.isoformat()}
            ]
        elif steps and on < steps[-1][1]:
            errors["on"] = [
                _("A suspension cannot start before the case's last step (%(day)s).")
                % {"day": steps[-1][1].isoformat()}
            ]
        elif last_resumed is not None and on < last_resumed:
            errors["on"] = [
                _("A suspension cannot start before the earlier one ended (%(day)s).")
                % {"day": last_resumed.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    suspension = Suspension.objects.create(
        case=locked, start=on, reason=reason.strip(), actor=actor
    )
    refresh_case(locked, timezone.localdate())
    append_entry(
        actor=actor,
        organ=locked.organ,
        action="case.suspend",
        obj=locked,
        payload={"from": on.isoformat(), "reason": suspension.reason},
    )
    return suspension


@transaction.atomic
def resume_case(case: Case, *, actor: User, on: dt.date) -> Suspension:
    """Restart the case clock on ``on`` (恢复调查), by the organ head (internal control,
    as ``suspend_case``). Refused on a closed case, a case not suspended, or ``on``
    before the suspension started or later than today."""
    state = load_state(case, lock=True)
    locked = state.case
    enforce(can_resume(state, actor))
    suspension = state.open_suspension
    assert suspension is not None  # can_resume
    _check_not_future(on)
    if on < suspension.start:
        raise ValidationError(
            {"on": [_("A case cannot resume before it was suspended.")]}, code="before"
        )
    suspension.end = on
    suspension.save(update_fields=["end"])
    refresh_case(locked, timezone.localdate())
    append_entry(
        actor=actor,
        organ=locked.organ,
        action="case.resume",
        obj=locked,
        payload={"from": suspension.start.isoformat(), "to": on.isoformat()},
    )
    return suspension


def case_audit(case: Case, as_of: dt.date, calendar: WorkCalendar | None = None) -> AuditResult:
    """The engine's audit of the stored case as of ``as_of``: its findings, deadlines
    (suspended days excluded) and the late-payment surcharge (加处罚款, APL-72). A page
    that shows several of them audits once; a list page passes one ``calendar`` for all
    its rows (one calendar query)."""
    return audit(case_file(case, as_of), as_of, calendar or database_calendar())


def deadlines(
    case: Case, as_of: dt.date, calendar: WorkCalendar | None = None
) -> tuple[DeadlineItem, ...]:
    """The engine's deadlines of the case as of ``as_of`` (suspended days excluded)."""
    return case_audit(case, as_of, calendar).deadlines

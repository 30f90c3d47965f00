"""SUP-warning (legal-rules.md §9): what the supervisor is warned of — pure Python, no
database.

The rule (JL 五(二): "加快推进行政执法监督网络平台建设，实现对……行政执法案件情况的信息化管理
和监督"; NA 20: "执法活动网上监督，增强对执法活动的即时性、过程性、全程性管理"): the
supervisor sees a **yellow** warning when a deadline is due within N working days (default
3, configurable) and a **red** one when it is missed or overdue or a block rule is broken;
each warning names its rule.

Neither source gives N: the default of 3 working days is the catalogue's
(``DEFAULT_YELLOW_WORKING_DAYS``), and the site sets another
(``settings.ZHIFA_WARNING_WORKING_DAYS``). The catalogue's working days are the engine's
calendar (``workdays.WorkCalendar``); a window counted over a year whose holiday schedule
is not loaded says so (``Horizon.unscheduled_years``, CAL-fixed-holidays).

How the platform reads the rule (docs/rules.md, "SUP-warning"):

- A deadline is **yellow** on ``today`` when the act is not done and its due day is
  ``today`` or later and at most N working days ahead: the working days in
  ``(today, due]`` number N or fewer. That is every due day up to the day before the
  (N+1)-th working day after ``today`` (``horizon``), so one date answers the question
  for every deadline of a region (a list compares due dates with it; no per-row count).
- A deadline is **red** when the act is not done and its due day has passed (the
  engine's ``overdue``: "missed or overdue" of the catalogue, the deadline passed without
  the act). A deadline met late (the engine's status ``missed``: done after its due day)
  is a fact the case keeps and the evaluation counts; it is not a warning, since nothing
  can be done about it any more (the acceptance of issue #17: the warning clears when the
  case is fixed).
- A party's window (``catalogue.PARTY_WINDOWS``: the hearing request) is not a deadline
  of the organ: no warning.
- A deadline whose clock is paused (the decision period of a suspended case, APL 60
  excluded periods) does not run: no warning while it is paused.
- A finding of severity ``error`` (a block rule broken) is **red**; a finding of severity
  ``warning`` is the case's own note, not a supervisor's warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .catalogue import JL, NA, PARTY_WINDOWS
from .statistics import OrganRule
from .workdays import WorkCalendar

RULE_ID = "SUP-warning"

SUP_WARNING = OrganRule(
    RULE_ID,
    "compute",
    JL + "五（二）；" + NA + "第20条",
    "The supervisor sees a yellow warning when a deadline is due within N working days "
    "and a red one when it is overdue or a block rule is broken; each names its rule.",
)

#: The catalogue's default N (legal-rules.md §9, SUP-warning: "default 3, configurable");
#: not a number of the sources, which set none.
DEFAULT_YELLOW_WORKING_DAYS = 3

Level = Literal["red", "yellow"]
RED: Level = "red"
YELLOW: Level = "yellow"
#: The levels, the more urgent first.
LEVELS: tuple[Level, ...] = (RED, YELLOW)

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Horizon:
    """The warning window on ``today``: a pending deadline due before ``today`` is red,
    one due from ``today`` to ``yellow_until`` is yellow."""

    today: dt.date
    working_days: int
    yellow_until: dt.date
    #: the years of the window counted without an official holiday schedule
    unscheduled_years: tuple[int, ...] = ()


def horizon(
    today: dt.date, calendar: WorkCalendar, working_days: int = DEFAULT_YELLOW_WORKING_DAYS
) -> Horizon:
    """The window of SUP-warning on ``today`` with N = ``working_days`` (not negative):
    ``yellow_until`` is the last due day with at most N working days in
    ``(today, due]``, the day before the (N+1)-th working day after ``today``."""
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    counted = calendar.add_working_days(today, working_days + 1)
    return Horizon(today, working_days, counted.due - ONE_DAY, counted.unscheduled_years)


def watched(rule_id: str) -> bool:
    """Whether a deadline of ``rule_id`` is one the organ owes (not a party's window)."""
    return rule_id not in PARTY_WINDOWS


def deadline_level(
    rule_id: str,
    due: dt.date,
    done: dt.date | None,
    window: Horizon,
    paused: bool = False,
) -> Level | None:
    """The warning a deadline gives on ``window.today`` (module docstring): red when the
    act is not done and the due day passed, yellow when it is due within the window,
    else none (done, met or late; a party's window; a paused clock; not yet near)."""
    if done is not None or paused or not watched(rule_id):
        return None
    if due < window.today:
        return RED
    if due <= window.yellow_until:
        return YELLOW
    return None


def finding_level(severity: str) -> Level | None:
    """The warning a finding gives: red for a block rule broken (severity ``error``)."""
    return RED if severity == "error" else None

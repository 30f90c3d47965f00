"""NA-major-filing (issue #17 item 6): the filings with the justice bureau — pure Python,
no database.

The source, NA 30 (seed 001, 南政办内传〔2021〕36号, item 30), verbatim:

    30.建立健全执法目录备案制度。为进一步强化行政机关内部层级监督,行政执法机关应当在作出
    重大行政处罚、重大行政强制等重大行政执法行为后的30日内,将相关的行政执法文书目录报送
    市司法局备案,每季度报送执法案卷目录以备案卷评查。

How the platform reads it:

- **Which decisions are major.** NA 30 does not define 重大; the platform knows a major
  enforcement decision (重大执法决定) by the marks the legal review already reads
  (APL-58-legal-review): the violation is listed in the organ's catalogue of major
  decisions (重大执法决定法制审核目录, ``in_review_catalogue``) or concerns a major public
  interest (``major_public_interest``). Only penalty decisions are read: the case-file
  format has no coercive-enforcement decision of its own (a major coercive decision is
  not recognised yet).
- **The 30 days** are calendar days (日, not 工作日) counted from the day after the
  decision, ending on a working day (``WorkCalendar.add_calendar_days``: the catalogue's
  counting of calendar-day periods, as every such period of the engine).
- **The quarterly case catalogue** (每季度报送执法案卷目录): NA 30 gives no day within
  the quarter by which it is filed. The platform does not invent one: a quarter that has
  ended without its catalogue filed is reported as **not filed** (no due day, no
  lateness), and the catalogue lists the cases the organ concluded in the quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .catalogue import NA
from .statistics import OrganRule
from .supervision import Horizon, Level, deadline_level
from .workdays import Counted, WorkCalendar

MAJOR_FILING = "NA-major-filing"
#: NA 30's period after a major decision: 30 calendar days.
FILING_DAYS = 30

MAJOR_FILING_RULE = OrganRule(
    MAJOR_FILING,
    "deadline",
    NA + "第30条",
    "After a major penalty or major coercive decision, its document catalogue is filed "
    "with the justice bureau within 30 days; the case catalogue is filed every quarter for "
    "case-file evaluation.",
)
CITATION = MAJOR_FILING_RULE.citation


def is_major(violation: Mapping[str, Any] | None) -> bool:
    """Whether a decision on ``violation`` (the format's violation section) is a major
    enforcement decision: listed in the organ's review catalogue or of a major public
    interest (see the module)."""
    if not violation:
        return False
    return bool(violation.get("in_review_catalogue")) or bool(
        violation.get("major_public_interest")
    )


def filing_due(decided_on: dt.date, calendar: WorkCalendar) -> Counted:
    """The last day to file a major decision's document catalogue: 30 days after the
    decision, ending on a working day."""
    return calendar.add_calendar_days(decided_on, FILING_DAYS)


def filing_status(due: dt.date, filed_on: dt.date | None, today: dt.date) -> str:
    """``filed`` (on time), ``late`` (filed after the due day), ``open`` (not filed, due
    today or later), ``overdue`` (not filed, due day passed)."""
    if filed_on is not None:
        return "filed" if filed_on <= due else "late"
    return "open" if today <= due else "overdue"


def filing_level(due: dt.date, filed_on: dt.date | None, window: Horizon) -> Level | None:
    """SUP-warning's level of a filing: yellow within the window, red when the due day
    passed without the filing; a filing made (even late) gives none."""
    return deadline_level(MAJOR_FILING, due, filed_on, window)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of ``quarter`` (1 to 4) of ``year``."""
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1 to 4")
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def ended_quarters(since: dt.date, today: dt.date) -> list[tuple[int, int]]:
    """The quarters from the one holding ``since`` to the last one ended before
    ``today``: those whose catalogue is owed."""
    year, quarter = quarter_of(since)
    found = []
    while quarter_bounds(year, quarter)[1] < today:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found

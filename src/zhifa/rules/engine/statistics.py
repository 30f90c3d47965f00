"""The annual enforcement statistics (行政执法统计年报): the organ-level rules
GB118-annual-stats and GB118-annual-report (legal-rules.md §6 and §9).

Both are organ-level, not case-level: they are not units of the case audit (``RULES``)
but are stated here, with their IDs and citations, and used by the statistics app
(``zhifa.statistics``), which counts the cases in the database and asks this module
how to count and by when to publish.

- GB118-annual-stats: each penalty decision is counted once, under its heaviest
  penalty type (``heaviest``). The order is derived from the grouping of
  《中华人民共和国行政处罚法》第九条: the article lists its kinds in five items, lightest
  first — (一) 警告、通报批评; (二) 罚款、没收违法所得、没收非法财物; (三) 暂扣许可证件、
  降低资质等级、吊销许可证件; (四) 限制开展生产经营活动、责令停产停业、责令关闭、限制从业;
  (五) 行政拘留 — and (六) 法律、行政法规规定的其他行政处罚. An item is heavier than every
  item before it. **Within an item, the order is the platform's reading, not a legal
  text**: the statistics categories of one item are ranked in the order the article
  lists them (罚款 before 没收; 暂扣/降低资质 before 吊销; 限制开展生产经营 before
  责令停产停业/关闭/限制从业). Item (六), a residual clause, ranks *lowest*: a decision
  counts under 其他 only when it has none of the named types (again the platform's
  reading; the case-file format has no "other" type, so this happens only for a
  decision that names no type).

  (The APL-45 unit's ``SEVERITY`` in ``units/notice.py`` is a finer ranking for another
  question — whether a decision is heavier than its notice — and ranks a revocation
  above 责令停产停业; the statistics follow the article's grouping, as the catalogue's
  GB118-annual-stats asks for counting by kind.)
- GB118-annual-report: the organ publishes last year's statistics by 31 January
  (``annual_report_due``). The due day is 31 January of the next year; when it is not a
  working day the deadline ends on the next working day — the catalogue's counting
  practice for the last day of a period ("How periods are counted"), applied here to a
  fixed day: the platform's reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .catalogue import APL, GB118, NA, DeadlineItem
from .workdays import Counted, WorkCalendar


@dataclass(frozen=True)
class OrganRule:
    """An organ-level rule of the catalogue (not a unit of the case audit)."""

    id: str
    kind: str
    citation: str
    summary: str


ANNUAL_STATS = OrganRule(
    "GB118-annual-stats",
    "compute",
    GB118 + "；" + NA + "第21条；" + APL + "第九条",
    "Annual statistics count each penalty decision once, under its heaviest type "
    "(the grouping of APL Art. 9); a kind with no activity is published as 0.",
)
ANNUAL_REPORT = OrganRule(
    "GB118-annual-report",
    "deadline",
    GB118 + "；" + NA + "第21条",
    "Each organ publishes last year's enforcement statistics by 31 January.",
)
ORGAN_RULES = {r.id: r for r in (ANNUAL_STATS, ANNUAL_REPORT)}


@dataclass(frozen=True)
class Category:
    """A penalty category of the statistics: its key, the item of APL Art. 9 it belongs
    to and the case-file format's penalty types it counts (the app names it)."""

    key: str
    item: int
    types: tuple[str, ...]


#: The penalty categories of the statistics, lightest first (the module's docstring:
#: items of APL Art. 9 in order; within an item, the article's listing order).
CATEGORIES: tuple[Category, ...] = (
    Category("other", 6, ()),  # 第九条（六）其他行政处罚: only when no named type
    Category("warning", 1, ("warning",)),  # （一）警告、通报批评
    Category("fine", 2, ("fine",)),  # （二）罚款
    Category("confiscation", 2, ("confiscation",)),  # （二）没收违法所得、没收非法财物
    Category("suspension", 3, ("suspend_permit", "lower_qualification")),  # （三）暂扣、降低资质
    Category("revocation", 3, ("revoke_permit",)),  # （三）吊销许可证件
    Category("restrict_business", 4, ("restrict_business",)),  # （四）限制开展生产经营活动
    # （四）责令停产停业、责令关闭、限制从业
    Category("stop_business", 4, ("suspend_business", "closure", "restrict_practice")),
    Category("detention", 5, ("detention",)),  # （五）行政拘留
)
BY_KEY = {c.key: c for c in CATEGORIES}
#: The rank of each category (0: lightest). ``other`` ranks 0.
RANK = {c.key: i for i, c in enumerate(CATEGORIES)}
#: The rank of each penalty type of the case-file format.
TYPE_RANK = {t: RANK[c.key] for c in CATEGORIES for t in c.types}
#: The categories in the order pages list them (APL Art. 9's order, other last).
DISPLAY_ORDER: tuple[str, ...] = (*(c.key for c in CATEGORIES[1:]), "other")


def rank_of(penalty_type: str) -> int:
    """The rank of a penalty type (an unknown type ranks as ``other``: 0)."""
    return TYPE_RANK.get(penalty_type, 0)


def category_of_rank(rank: int) -> str:
    return CATEGORIES[rank].key


def heaviest(types: Iterable[str]) -> str:
    """The category a decision with penalties of ``types`` counts under
    (GB118-annual-stats): the heaviest; ``other`` when none is a named type."""
    return category_of_rank(max((rank_of(t) for t in types), default=0))


# --- GB118-annual-report --------------------------------------------------------------


def annual_report_due(year: int, calendar: WorkCalendar) -> Counted:
    """The day by which the statistics of ``year`` are published: 31 January of the next
    year, or the next working day when that is not one (the module's docstring). The
    result names the years counted without an official holiday schedule."""
    return calendar.roll_forward(dt.date(year + 1, 1, 31))


def annual_report_deadline(
    year: int, calendar: WorkCalendar, published_on: dt.date | None
) -> DeadlineItem:
    """GB118-annual-report for the statistics of ``year`` as a deadline: from the end
    of the year to ``annual_report_due``, done on the first publication's day."""
    return DeadlineItem(
        ANNUAL_REPORT.id, dt.date(year, 12, 31), annual_report_due(year, calendar), published_on
    )


def report_year(today: dt.date) -> int:
    """The year whose statistics are due next as of ``today``: last year."""
    return today.year - 1

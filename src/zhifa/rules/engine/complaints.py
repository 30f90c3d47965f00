"""Complaints and reports (投诉举报): the acknowledgement clock — pure Python, no database.

- JL-complaint-ack (JL 五(三)): a complaint or report is registered with a number and
  the filer is told within **5 working days** of receipt whether it was accepted
  ("自收到投诉举报之日起5个工作日内应告知投诉举报人受理情况"); rejected ones get reasons.
- COMPLAINT-sector: a sector rule may set its own period for the same act. The shorter
  one counts (NA-promised-deadline, NA 16: "明确承诺的办理期限少于法律、法规、规章规定的,
  应当在承诺办理期限内办结"). ``SECTOR_PERIODS`` holds the sector periods, each with its
  citation and whether the text was confirmed.
- ``ack_due``: the last day of the acknowledgement, counted by the engine's calendar
  (the day of receipt not counted), with every rule that made it and the years counted
  without a holiday schedule (the calendar's honest note, CAL-fixed-holidays).

What was and was not confirmed (docs/complaints.md, "The law"):

- market regulation, 《市场监督管理投诉举报处理暂行办法》 (国家市场监督管理总局令第20号,
  2022-03-24 第55号 and 2022-09-29 第61号 amended) Art. 14: a consumer complaint is
  accepted or refused within **7 working days** of receipt and the complainant told.
  The wording was found in a district market regulation bureau's published service
  guide and in commentary on the amended text; the official gazette text of the 2022
  version was not available, hence ``confirmed=False``. It is longer than JL's 5
  working days, so JL's period counts wherever both apply; it never shortens a clock.
- reports (举报) in market regulation are handled under the procedure rules (核查 and the
  立案 decision, REG-decision): no acknowledgement period shorter than 5 working days
  was found, so none is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalogue import JL, NA
from .workdays import Counted, WorkCalendar

RULE_ACK = "JL-complaint-ack"
RULE_SECTOR = "COMPLAINT-sector"
RULE_PROMISED = "NA-promised-deadline"
RULE_CONFIDENTIAL = "COMPLAINT-confidential"

#: JL 五(三): 5 working days from receipt.
ACK_WORKING_DAYS = 5
ACK_CITATION = JL + "五（三）"
PROMISED_CITATION = NA + "第16条"

SAMR_COMPLAINTS = "《市场监督管理投诉举报处理暂行办法》"


@dataclass(frozen=True)
class SectorPeriod:
    """A sector's own period for telling the filer whether the filing was accepted."""

    key: str
    working_days: int
    citation: str
    confirmed: bool


#: The sector periods, by key (the complaints app's category data names the key).
SECTOR_PERIODS: dict[str, SectorPeriod] = {
    "samr-complaint-acceptance": SectorPeriod(
        "samr-complaint-acceptance",
        7,
        SAMR_COMPLAINTS + "（2022年修正）第十四条",
        confirmed=False,
    ),
}


@dataclass(frozen=True)
class AckDeadline:
    """The acknowledgement deadline: its day, the period that counted, and the rules
    (IDs and citations) that made it."""

    due: Counted
    working_days: int
    rules: tuple[tuple[str, str], ...]
    #: the sector period considered (None: no sector period for this category)
    sector: SectorPeriod | None

    @property
    def unscheduled_years(self) -> tuple[int, ...]:
        return self.due.unscheduled_years


def counting_rule(rules: tuple[tuple[str, str], ...], working_days: int) -> tuple[str, str]:
    """Of the ``rules`` that made an acknowledgement deadline (``AckDeadline.rules``,
    as stored), the one whose period counted (ID and citation): the sector's
    (COMPLAINT-sector) when its period of ``working_days`` is shorter than JL's, else
    JL-complaint-ack."""
    if working_days < ACK_WORKING_DAYS:
        for rule in rules:
            if rule[0] == RULE_SECTOR:
                return rule
    for rule in rules:
        if rule[0] == RULE_ACK:
            return rule
    return (RULE_ACK, ACK_CITATION)


class UnknownSectorPeriod(LookupError):
    """The category data names a sector period the engine does not hold."""


def ack_due(
    calendar: WorkCalendar, received_on: dt.date, sector_period: str | None = None
) -> AckDeadline:
    """JL-complaint-ack: the last day to tell the filer whether the filing was accepted
    (``received_on`` not counted; working days of ``calendar``). With a sector period
    (COMPLAINT-sector) the shorter of the two counts (NA-promised-deadline)."""
    rules: list[tuple[str, str]] = [(RULE_ACK, ACK_CITATION)]
    days = ACK_WORKING_DAYS
    sector = None
    if sector_period:
        sector = SECTOR_PERIODS.get(sector_period)
        if sector is None:
            raise UnknownSectorPeriod(sector_period)
        rules.append((RULE_SECTOR, sector.citation))
        rules.append((RULE_PROMISED, PROMISED_CITATION))
        days = min(days, sector.working_days)
    return AckDeadline(calendar.add_working_days(received_on, days), days, tuple(rules), sector)

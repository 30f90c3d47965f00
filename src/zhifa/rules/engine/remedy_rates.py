"""Reconsideration and litigation against an organ's decisions, counted per organ and
year (issue #18 item 3): the proceedings, their outcomes, the reversal rate and the
heads' court appearance (JX-court-appearance, legal-rules.md §7 and §9).

Organ-level, not case-level: not a unit of the case audit (``RULES``); the supervision
app reads the ``remedy_filed`` steps of the cases in the user's scope and asks this
module how to group them into proceedings, how to count and what the threshold is.

**Proceedings** (``proceedings``). The platform records a remedy as ``remedy_filed``
``pending`` when it is filed and records the same kind again with its result when it is
decided (``cases.actions.remedy.record_remedy``); one already decided may be recorded
at once. A step with a result ends the earliest pending proceeding of the same kind of
the case (the pairing ``units.execution.remedy_pauses`` uses for APL-73-late-fee-paused);
without one pending, it is a proceeding filed and decided at once.

**Counts of a year** (``year_rates``), the platform's reading, published with the page:

- *filed*: proceedings filed in the year (by kind);
- *decided*: proceedings decided on the merits in the year (``decided_on`` in the year,
  result upheld, changed, revoked or confirmed unlawful); *withdrawn*: ended by the
  party's withdrawal in the year, shown apart, in no denominator;
- *reversal rate* = (changed + revoked + confirmed unlawful) / decided, both of the year
  and of both kinds (and per kind); none when nothing was decided (JX 五(二): "对违法或者
  不当的行政执法行为，该撤销的撤销，该变更的变更，该确认违法的确认违法");
- *court appearance rate* = litigation proceedings concluded in the year in which the
  head appeared / litigation proceedings concluded in the year, where a withdrawal with
  no appearance recorded is left out (withdrawn before a hearing: nobody appeared), and
  a concluded litigation whose appearance is not recorded counts as *not appeared* (the
  platform does not know the head appeared) and is counted in ``unrecorded``.

**The threshold** (``threshold``; JX 五(二): "市级以下行政机关及镇人民政府负责人出庭应诉率
不低于80%，县级人民政府负责人出庭应诉率不低于30%"): it binds the organs of JX's area
(``local.local_sources``, 嘉兴 3304). The registry knows an organ's level (its own, or
its region's) but has no field that tells a people's government from a department; the
platform's reading: an organ whose name ends in 人民政府 (the name the Organic Law of
local people's congresses and governments gives them) is a government, every other an
organ (行政机关) of its level. So: a county-level government, 30%; every other organ at
city, county or town level (including town governments and the city government, "市级
以下" read as including the city level, as 以下 includes the figure in Chinese
legislative drafting), 80%; a province-level organ is not named: no threshold.

CQ 六(六) ("各区县（自治县、市）人民政府和市人民政府各部门的负责人在本行政机关被诉或被申请复议
时，每年出庭应诉或参加行政复议案件公开审理应不少于一次") binds the organs of CQ's area
(重庆 50): a county-level government or a city-level department sued or with a
reconsideration in the year has its head appear at least once. The case-file format
records the head's appearance for litigation only (``head_appeared``), not attendance
at a reconsideration hearing: the count may be short of what happened, and the warning
says so.

An organ below its threshold in a year is a warning of JX-court-appearance (the
supervisor's warning model ``court_appearance``): yellow for the current year (the year
is not over), red for the year that ended before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .catalogue import CQ, JX, Text
from .local import local_sources
from .statistics import OrganRule

COURT_APPEARANCE_ID = "JX-court-appearance"
COURT_APPEARANCE = OrganRule(
    COURT_APPEARANCE_ID,
    "warning",
    JX + "五（二）；" + CQ + "六（六）",
    "Heads appear in court when their organ is sued: at least 80% for municipal-level-"
    "and-below organs and town governments, 30% for county governments (JX); at least "
    "once a year for county governments and municipal departments sued (CQ).",
)
CITATION_JX = JX + "五（二）"
CITATION_CQ = CQ + "六（六）"

RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"
KINDS = (RECONSIDERATION, LITIGATION)
PENDING = "pending"
WITHDRAWN = "withdrawn"
#: Decided on the merits; the reversals are the last three.
DECIDED = ("upheld", "changed", "revoked", "confirmed_unlawful")
REVERSED = ("changed", "revoked", "confirmed_unlawful")
RESULTS = (PENDING, *DECIDED, WITHDRAWN)

#: The formulas, as the page and the API publish them.
FORMULAS = {
    "reversal_rate": Text(
        "纠错率 =（变更 + 撤销 + 确认违法）÷ 当年审结（维持、变更、撤销、确认违法；撤回不计入）",
        "Reversal rate = (changed + revoked + confirmed unlawful) ÷ decided in the year "
        "(upheld, changed, revoked, confirmed unlawful; withdrawals not counted)",
    ),
    "court_appearance_rate": Text(
        "出庭应诉率 = 当年审结或撤诉的行政诉讼中负责人出庭的件数 ÷ 当年审结或撤诉的行政诉讼件数"
        "（撤诉且未记录出庭情况的不计入；未记录出庭情况的按未出庭计）",
        "Court appearance rate = litigation concluded in the year in which the head "
        "appeared ÷ litigation concluded in the year (a withdrawal with no appearance "
        "recorded is left out; an appearance not recorded counts as not appeared)",
    ),
}

JX_CODE = "JX"
CQ_CODE = "CQ"
JX_ORGAN_MIN = Fraction(80, 100)
JX_COUNTY_GOVERNMENT_MIN = Fraction(30, 100)
GOVERNMENT_SUFFIX = "人民政府"
LEVELS = ("province", "city", "county", "town")


@dataclass(frozen=True)
class RemedyStep:
    """A ``remedy_filed`` step as stored: its index in the case, day and fields."""

    index: int
    on: dt.date
    kind: str
    result: str = PENDING
    decided_on: dt.date | None = None
    head_appeared: bool | None = None


@dataclass(frozen=True)
class Proceeding:
    """One reconsideration or litigation: filed on ``filed_on`` (the step ``filed_step``),
    its result (``pending`` while undecided) and the day it ended, and for litigation
    whether the head appeared (None: not recorded)."""

    kind: str
    filed_on: dt.date
    filed_step: int
    result: str = PENDING
    decided_on: dt.date | None = None
    head_appeared: bool | None = None
    decided_step: int | None = None

    @property
    def concluded(self) -> bool:
        return self.result != PENDING

    @property
    def reversed(self) -> bool:
        return self.result in REVERSED

    @property
    def concluded_on(self) -> dt.date | None:
        """The day it ended: its ``decided_on``, else the day of the step that gave the
        result (a result recorded without its day)."""
        return self.decided_on if self.concluded else None


def proceedings(steps: Iterable[RemedyStep]) -> list[Proceeding]:
    """The proceedings of one case's ``remedy_filed`` steps (in any order; read in the
    order of their index): module docstring."""
    out: list[Proceeding] = []
    for step in sorted(steps, key=lambda s: s.index):
        if step.kind not in KINDS:
            raise ValueError(f"kind: unknown remedy kind {step.kind!r}")
        if step.result not in RESULTS:
            raise ValueError(f"result: unknown remedy result {step.result!r}")
        if step.result == PENDING:
            out.append(Proceeding(step.kind, step.on, step.index, head_appeared=step.head_appeared))
            continue
        decided_on = step.decided_on or step.on
        for n, open_one in enumerate(out):
            if open_one.kind == step.kind and not open_one.concluded:
                appeared = (
                    step.head_appeared if step.head_appeared is not None else open_one.head_appeared
                )
                out[n] = Proceeding(
                    step.kind,
                    open_one.filed_on,
                    open_one.filed_step,
                    step.result,
                    decided_on,
                    appeared,
                    step.index,
                )
                break
        else:
            out.append(
                Proceeding(
                    step.kind,
                    step.on,
                    step.index,
                    step.result,
                    decided_on,
                    step.head_appeared,
                    step.index,
                )
            )
    return out


def _rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@dataclass(frozen=True)
class KindCounts:
    """The counts of one kind (or both) in a year."""

    filed: int = 0
    decided: int = 0
    upheld: int = 0
    changed: int = 0
    revoked: int = 0
    confirmed_unlawful: int = 0
    withdrawn: int = 0
    pending: int = 0

    @property
    def reversed(self) -> int:
        return self.changed + self.revoked + self.confirmed_unlawful

    @property
    def reversal_rate(self) -> Fraction | None:
        return _rate(self.reversed, self.decided)

    @property
    def reversal_percent(self) -> str:
        return percent(self.reversal_rate)


@dataclass(frozen=True)
class Threshold:
    """The court-appearance requirement that binds an organ: a minimum rate (JX) or a
    minimum number of appearances in a year when sued (CQ), with its source."""

    source: str
    citation: str
    minimum_rate: Fraction | None = None
    minimum_count: int | None = None

    @property
    def percent(self) -> int | None:
        return None if self.minimum_rate is None else int(self.minimum_rate * 100)


@dataclass(frozen=True)
class YearRates:
    """An organ's counts and rates in a year, and how its court appearance stands
    against the threshold that binds it (``threshold`` None: none binds it)."""

    year: int
    reconsideration: KindCounts
    litigation: KindCounts
    total: KindCounts
    #: litigation concluded in the year counted in the court appearance rate …
    heard: int
    #: … of which the head appeared …
    appeared: int
    #: … and of which the appearance is not recorded (counted as not appeared)
    unrecorded: int
    threshold: Threshold | None = None
    below: bool = field(default=False)

    @property
    def court_appearance_rate(self) -> Fraction | None:
        return _rate(self.appeared, self.heard)

    @property
    def court_appearance_percent(self) -> str:
        return percent(self.court_appearance_rate)

    @property
    def required(self) -> str:
        """The requirement as the pages show it ("" when none binds)."""
        if self.threshold is None:
            return ""
        if self.threshold.percent is not None:
            return f"≥ {self.threshold.percent}%"
        return f"≥ {self.threshold.minimum_count}"


def _counts(found: list[Proceeding], year: int) -> KindCounts:
    by_result = dict.fromkeys(RESULTS, 0)
    for p in found:
        if p.concluded_on is not None and p.concluded_on.year == year:
            by_result[p.result] += 1
    return KindCounts(
        filed=sum(p.filed_on.year == year for p in found),
        decided=sum(by_result[r] for r in DECIDED),
        upheld=by_result["upheld"],
        changed=by_result["changed"],
        revoked=by_result["revoked"],
        confirmed_unlawful=by_result["confirmed_unlawful"],
        withdrawn=by_result[WITHDRAWN],
        # pending at the end of the year (or now, for the current year)
        pending=sum(
            p.filed_on.year <= year and (p.concluded_on is None or p.concluded_on.year > year)
            for p in found
        ),
    )


def is_government(name: str) -> bool:
    """The platform's reading of "people's government" (module docstring)."""
    return name.strip().endswith(GOVERNMENT_SUFFIX)


def threshold(
    level: str, name: str, region_code: str, year: int, adopted: tuple[str, ...] = ()
) -> Threshold | None:
    """The court-appearance requirement that binds an organ of ``level`` (province,
    city, county, town; blank: unknown) named ``name`` in ``region_code`` in ``year``
    (module docstring); None when none does. ``adopted``: local sources the region
    adopted."""
    if level and level not in LEVELS:
        raise ValueError(f"level: unknown level {level!r}")
    sources = local_sources()
    on = dt.date(year, 12, 31)
    government = is_government(name)

    def binds(code: str) -> bool:
        source = sources.get(code)
        return source is not None and (
            (code in adopted and source.in_force(on)) or source.covers(region_code, on)
        )

    if binds(JX_CODE) and level in ("city", "county", "town"):
        minimum = JX_COUNTY_GOVERNMENT_MIN if government and level == "county" else JX_ORGAN_MIN
        return Threshold(JX_CODE, CITATION_JX, minimum_rate=minimum)
    if binds(CQ_CODE) and (
        (level == "county" and government) or (level == "city" and not government)
    ):
        return Threshold(CQ_CODE, CITATION_CQ, minimum_count=1)
    return None


def year_rates(found: Iterable[Proceeding], year: int, bound: Threshold | None = None) -> YearRates:
    """An organ's counts and rates in ``year`` from its proceedings (every case), judged
    against ``bound`` (``threshold``)."""
    found = list(found)
    reconsideration = _counts([p for p in found if p.kind == RECONSIDERATION], year)
    litigation = _counts([p for p in found if p.kind == LITIGATION], year)
    total = _counts(found, year)
    heard = appeared = unrecorded = 0
    for p in found:
        if p.kind != LITIGATION or p.concluded_on is None or p.concluded_on.year != year:
            continue
        if p.result == WITHDRAWN and p.head_appeared is None:
            continue
        heard += 1
        if p.head_appeared:
            appeared += 1
        elif p.head_appeared is None:
            unrecorded += 1
    return judged(
        YearRates(year, reconsideration, litigation, total, heard, appeared, unrecorded),
        bound,
    )


def judged(counted: YearRates, bound: Threshold | None) -> YearRates:
    """``counted`` (a year's counts, however obtained: ``year_rates`` or counts kept
    by a nightly job) judged against ``bound`` (``threshold``): whether the organ's
    court appearance stands below it."""
    below = False
    if bound is not None:
        heard, appeared = counted.heard, counted.appeared
        if bound.minimum_rate is not None:
            below = heard > 0 and Fraction(appeared, heard) < bound.minimum_rate
        elif bound.minimum_count is not None:
            sued = counted.litigation.filed + counted.reconsideration.filed + heard
            below = sued > 0 and appeared < bound.minimum_count
    return replace(counted, threshold=bound, below=below)


def percent(rate: Fraction | None) -> str:
    """A rate as the pages show it: a percentage with one decimal, or "—"."""
    if rate is None:
        return "—"
    return f"{float(rate * 100):.1f}%"

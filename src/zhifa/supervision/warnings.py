"""The supervisor's warnings (SUP-warning, legal-rules.md §9; issue #17): what the rules
engine found in the cases and the complaint clocks of a user's scope, as yellow and red
warnings.

The law stays in the engine (``rules.engine.supervision``): it says which due days are
yellow or red on a day (``horizon``) and which findings are red. The cases' findings and
pending deadlines are those the last audit of each case kept (``cases.models.AuditItem``,
written when the case changes and by the nightly sweep): the list reads those rows in
one query and never audits a case. The complaint clocks come from the complaints app
(``complaints.clocks.ack_clocks``), with its own visibility policy.

Who sees what: a supervisor the cases of the organs of their region, an organ head those
of their organ, an officer the cases they work on (``cases.queries.mine``); the complaint
clocks follow the complaints policy (the receiving unit's staff and the region's
supervisors, never the organ complained about)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value, When

from zhifa.accounts.models import Role
from zhifa.cases.models import AuditItem, AuditItemKind, Case, CaseOfficer, OfficerRole
from zhifa.cases.queries import mine
from zhifa.complaints.clocks import AckClock, ack_clocks
from zhifa.core.scope import scoped
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.catalogue import PARTY_WINDOWS
from zhifa.rules.engine.complaints import counting_rule
from zhifa.rules.engine.supervision import (
    DEFAULT_YELLOW_WORKING_DAYS,
    LEVELS,
    RED,
    YELLOW,
    Horizon,
    deadline_level,
    horizon,
)

#: The roles that see warnings (and how far: the module's docstring).
ROLES = frozenset({Role.SUPERVISOR, Role.ORGAN_HEAD, Role.OFFICER})


def working_days() -> int:
    """N of SUP-warning: ``settings.ZHIFA_WARNING_WORKING_DAYS`` (default 3)."""
    return int(getattr(settings, "ZHIFA_WARNING_WORKING_DAYS", DEFAULT_YELLOW_WORKING_DAYS))


def window(today: dt.date) -> Horizon:
    """The warning window on ``today`` (the engine's calendar: one query)."""
    return horizon(today, database_calendar(), working_days())


def level_of(window: Horizon) -> When_:
    """The level of a stored row as SQL: red for a finding (only block findings are
    selected) or a deadline whose due day passed; yellow for the rest selected — the
    engine's ``deadline_level`` and ``finding_level`` on the rows ``case_warnings``
    selects (``tests/test_warnings.py`` checks that they agree)."""
    return When_(
        When(Q(kind=AuditItemKind.FINDING) | Q(due__lt=window.today), then=Value(RED)),
        default=Value(YELLOW),
        output_field=CharField(),
    )


def case_scope(user: Any) -> QuerySet[AuditItem]:
    """The stored findings and deadlines of the cases ``user`` may see as warnings."""
    items = scoped(user, AuditItem.objects.all(), organ_field="case__organ")
    role = getattr(user, "role", None)
    if getattr(user, "is_superuser", False):
        return items
    if role not in ROLES:
        return items.none()
    if role == Role.OFFICER:
        items = items.filter(case__in=Case.objects.filter(mine(user)).values("pk"))
    return items


def case_warnings(user: Any, window: Horizon) -> QuerySet[AuditItem]:
    """The warnings of the cases in ``user``'s scope on ``window.today``: the block
    findings, and the pending deadlines of the organ (not a party's window, not a paused
    clock) due on or before ``window.yellow_until``; annotated with ``level``."""
    selected = Q(kind=AuditItemKind.FINDING, severity="error") | (
        Q(kind=AuditItemKind.DEADLINE, paused=False, due__lte=window.yellow_until)
        & ~Q(rule__in=PARTY_WINDOWS)
    )
    return case_scope(user).filter(selected).annotate(level=level_of(window))


def listed(items: QuerySet[AuditItem]) -> QuerySet[AuditItem]:
    """``items`` as a page lists them, red first, then by due day (findings first) and
    case: the case, its organ and its investigators in a fixed number of queries."""
    investigators = CaseOfficer.objects.filter(role=OfficerRole.INVESTIGATOR).select_related(
        "officer"
    )
    return (
        items.select_related("case__organ", "case__opened_by")
        .prefetch_related(Prefetch("case__case_officers", queryset=investigators))
        .order_by(
            When_(When(level=RED, then=Value(0)), default=Value(1)),
            "due",
            "case_id",
            "pk",
        )
    )


def officer_names(case: Case) -> list[str]:
    """The case's investigators (from the prefetch of ``listed``), by name; before any
    is named (a case source not yet registered), the officer who opened the case."""
    names: list[str] = []
    for row in case.case_officers.all():
        if row.officer is not None:
            names.append(row.officer.name)
        elif row.snapshot:
            names.append(str(row.snapshot.get("name") or row.ref))
        else:
            names.append(row.ref)
    if not names and case.opened_by is not None:
        names.append(case.opened_by.get_full_name() or case.opened_by.get_username())
    return names


@dataclass
class OrganCount:
    organ_id: int
    name: str
    red: int = 0
    yellow: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow


@dataclass
class Summary:
    """The counts of the warnings in a scope by organ, and the rules and organs they
    name (the filters' choices): one grouped query, plus the complaint clocks."""

    organs: list[OrganCount] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    red: int = 0
    yellow: int = 0
    #: The case warnings counted: (organ, rule, level, number) — what a page's list of
    #: them narrowed by the filters holds, without counting the rows again.
    case_groups: list[tuple[int, str, str, int]] = field(default_factory=list)

    def cases_matching(
        self,
        level: str = "",
        organ: int | None = None,
        rule: str = "",
        organs: Collection[int] | None = None,
    ) -> int:
        """How many case warnings ``gather``'s filters keep (its ``cases``)."""
        return sum(
            n
            for o, r, lv, n in self.case_groups
            if (not level or lv == level)
            and (organ is None or o == organ)
            and (not rule or r == rule)
            and (organs is None or o in organs)
        )


def summary(
    items: QuerySet[AuditItem] | None,
    clocks: Iterable[ComplaintWarning],
    others: Iterable[Any] = (),
) -> Summary:
    """``items``: the case warnings (``case_warnings``), or None: not counted here (the
    dashboard keeps their counts). ``others``: the warnings of the registry, catalogue
    and disclosure models (``organ_warnings.OrganWarning``: ``organ_id``, ``organ_name``,
    ``level``, ``rule``)."""
    by_organ: dict[int, OrganCount] = {}
    rules: set[str] = set()
    case_groups: list[tuple[int, str, str, int]] = []
    grouped = (
        []
        if items is None
        else items.order_by()
        .values("case__organ_id", "case__organ__name", "rule", "level")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        count = by_organ.setdefault(
            row["case__organ_id"], OrganCount(row["case__organ_id"], row["case__organ__name"])
        )
        setattr(count, row["level"], getattr(count, row["level"]) + row["n"])
        rules.add(row["rule"])
        case_groups.append((row["case__organ_id"], row["rule"], row["level"], row["n"]))
    for clock in clocks:
        count = by_organ.setdefault(
            clock.clock.organ_id, OrganCount(clock.clock.organ_id, clock.clock.organ_name)
        )
        setattr(count, clock.level, getattr(count, clock.level) + 1)
        rules.add(clock.rule)
    for other in others:
        count = by_organ.setdefault(other.organ_id, OrganCount(other.organ_id, other.organ_name))
        setattr(count, other.level, getattr(count, other.level) + 1)
        rules.add(other.rule)
    organs = sorted(by_organ.values(), key=lambda c: (-c.red, -c.total, c.name, c.organ_id))
    return Summary(
        organs=organs,
        rules=sorted(rules),
        red=sum(c.red for c in organs),
        yellow=sum(c.yellow for c in organs),
        case_groups=case_groups,
    )


@dataclass(frozen=True)
class ComplaintWarning:
    """A complaint clock as a warning: its level and the rule that set its due day."""

    clock: AckClock
    level: str
    rule: str
    citation: str


def complaint_warnings(user: Any, window: Horizon) -> list[ComplaintWarning]:
    """The acknowledgement clocks of the complaints ``user`` may see, as warnings (the
    receiving unit's): red when the acceptance was not told by its due day, yellow when
    it falls due within the window. The rule named is the one whose period counted: the
    sector's when it is shorter (COMPLAINT-sector), else JL-complaint-ack."""
    if getattr(user, "role", None) not in ROLES and not getattr(user, "is_superuser", False):
        return []
    found = []
    for clock in ack_clocks(user, window.yellow_until):
        rule, citation = counting_rule(clock.rules, clock.working_days)
        level = deadline_level(rule, clock.due, None, window)
        if level is not None:
            found.append(ComplaintWarning(clock, level, rule, citation))
    return found


def level_counts(levels: Iterable[str]) -> dict[str, int]:
    counted = Counter(levels)
    return {level: counted.get(level, 0) for level in LEVELS}


# --- the one read model of the warnings page, the API and the dashboard -------------------


@dataclass
class Gathered:
    """Every warning of a user's scope on a day, from the four sources the page lists:
    the cases' (``cases``: stored findings and deadlines, a query annotated with
    ``level``), the complaint clocks (``clocks``), the warning models of the registry,
    catalogue and disclosure (``others``: ``organ_warnings.OrganWarning``) and the
    supervision notices owing a reply (``notices``: ``notices.NoticeWarning``).

    ``cases``, ``clocks``, ``others`` and ``notices`` are narrowed by the filters given
    to :func:`gather`; :meth:`counts` counts the whole scope (the page's table by organ
    and the dashboard's figures)."""

    window: Horizon
    cases: QuerySet[AuditItem]
    clocks: list[ComplaintWarning]
    others: list[Any]
    notices: list[Any]
    _all: tuple[QuerySet[AuditItem], list[ComplaintWarning], list[Any]] = field(repr=False)
    #: the filters ``cases`` is narrowed by (``cases_count``)
    _filters: dict[str, Any] = field(default_factory=dict, repr=False)

    def counts(self) -> Summary:
        """The warnings of the whole scope (not narrowed) by organ and level."""
        items, clocks, others = self._all
        return summary(items, clocks, others)

    def cases_count(self, counts: Summary) -> int:
        """How many rows ``cases`` holds, from ``counts`` (``counts()``: its groups
        narrowed by the same filters) rather than counting the rows again."""
        return counts.cases_matching(**self._filters)

    def organ_levels(self) -> dict[int, tuple[int, int]]:
        """(red, yellow) of each organ with warnings (every source, whole scope)."""
        return {c.organ_id: (c.red, c.yellow) for c in self.counts().organs}


def gather(
    user: Any,
    today: dt.date,
    level: str = "",
    organ: int | None = None,
    rule: str = "",
    organs: Collection[int] | None = None,
) -> Gathered:
    """The warnings of ``user``'s scope on ``today`` from every source, narrowed by
    ``level``, ``organ``, ``rule`` and ``organs`` (a region's organs) — the caller checks
    that ``organ`` is in the user's scope: the page names the error, the API refuses.
    One query per source (the cases' rows are read by the caller, paginated)."""
    # The warning models import this module (``ROLES``): imported here, not at the top.
    from . import notices, organ_warnings

    found_window = window(today)
    items = case_warnings(user, found_window)
    clocks = complaint_warnings(user, found_window)
    others = organ_warnings.organ_warnings(user, found_window)
    owed = notices.notice_warnings(user, found_window.today, found_window)
    cases = items
    if level:
        cases = cases.filter(level=level)
    if organ is not None:
        cases = cases.filter(case__organ_id=organ)
    if rule:
        cases = cases.filter(rule=rule)
    if organs is not None:
        cases = cases.filter(case__organ_id__in=list(organs))
        among = set(organs)
        clocks_in = [c for c in clocks if c.clock.organ_id in among]
        others_in = [w for w in others if w.organ_id in among]
        owed_in = [w for w in owed if w.organ_id in among]
    else:
        clocks_in, others_in, owed_in = clocks, others, owed
    return Gathered(
        window=found_window,
        cases=cases,
        clocks=[
            c
            for c in clocks_in
            if (not level or c.level == level)
            and (organ is None or c.clock.organ_id == organ)
            and (not rule or c.rule == rule)
        ],
        others=organ_warnings.narrowed(others_in, level=level, organ=organ, rule=rule),
        notices=notices.narrowed(owed_in, {"level": level, "organ": organ, "rule": rule}),
        _all=(items, clocks, [*others, *owed]),
        _filters={"level": level, "organ": organ, "rule": rule, "organs": organs},
    )

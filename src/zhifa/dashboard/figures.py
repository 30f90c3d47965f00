"""The read model of the supervision dashboard (issue #17 item 4): the figures of the
organs a user may see, for a year, in a fixed number of aggregate queries whatever the
number of organs and cases (no query per organ or case, no audit).

Who: a supervisor the organs of their region and its subregions, an organ head their
organ (``core.scope.visible_organs``); the complaints follow the complaints policy
(``complaints.policy.visible``); the warnings are those the warnings page counts
(``supervision.warnings``, the rows the last audit of each case kept).

What (each figure per organ, summed per region and in total):

- cases by status and by procedure: every case of the organ now (the case list's
  stock, not a year's flow);
- warnings now (red, yellow) as the warnings page counts them, and their trend: the
  case warnings per day as ``WarningSnapshot`` kept them. Today's case warnings of an
  organ are read from its row of the day when there is one (``count_warnings``, run
  every few minutes for the organs whose cases were audited since: a province's
  warnings are hundreds of thousands of stored rows, too many to count on each request);
  an organ without a row of the day is counted live. The other warnings (complaint
  clocks, the registry's, catalogue's and disclosure's models, notices) are few and
  always read live;
- decided in the year: cases with a ``decision`` step dated in the year; of them, those
  that had a legal review (a ``legal_review`` step) and a hearing (a ``hearing`` step),
  and the rates (share of the decided cases);
- fines decided in the year: the penalty decisions' fines as the annual statistics
  count them (``statistics.queries.figures_by_organ``: the decision's date);
- fines collected in the year: the amounts of the ``paid`` steps dated in the year
  (late fees included when paid: a payment is not split);
- complaints: received in the year, awaiting acceptance past the due day now, and
  disputed now (second look), by receiving unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from zhifa.cases.models import Case, CaseStatus, CaseStep, Procedure
from zhifa.complaints import policy as complaint_policy
from zhifa.complaints.models import ComplaintStatus
from zhifa.core.scope import Everyone, visible_organs
from zhifa.rules.engine.supervision import RED, Horizon
from zhifa.statistics import queries as statistics
from zhifa.supervision import notices, organ_warnings, warnings

from .models import OrganFigures, WarningSnapshot

CENT = Decimal("0.01")
#: Days of warning history the trend shows.
TREND_DAYS = 30


def money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class Row:
    """The figures of one organ (or a region's organs, or all of them)."""

    key: int | str
    name: str
    region: str = ""
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CaseStatus.values, 0))
    procedures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Procedure.values, 0))
    red: int = 0
    yellow: int = 0
    decided: int = 0
    reviewed: int = 0
    heard: int = 0
    fine_decisions: int = 0
    fines: Decimal = Decimal("0.00")
    payments: int = 0
    collected: Decimal = Decimal("0.00")
    complaints: int = 0
    ack_overdue: int = 0
    disputed: int = 0

    @property
    def cases(self) -> int:
        return sum(self.statuses.values())

    @property
    def review_rate(self) -> Decimal | None:
        return _rate(self.reviewed, self.decided)

    @property
    def hearing_rate(self) -> Decimal | None:
        return _rate(self.heard, self.decided)

    def add(self, other: Row) -> None:
        for status, n in other.statuses.items():
            self.statuses[status] += n
        for procedure, n in other.procedures.items():
            self.procedures[procedure] += n
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


SUMMED = (
    "red",
    "yellow",
    "decided",
    "reviewed",
    "heard",
    "fine_decisions",
    "fines",
    "payments",
    "collected",
    "complaints",
    "ack_overdue",
    "disputed",
)


def _rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal (None: nothing decided)."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Dashboard:
    year: int
    today: dt.date
    organs: list[Row]
    regions: list[Row]
    total: Row
    #: (day, red, yellow) of the case warnings kept per day, oldest first.
    trend: list[tuple[dt.date, int, int]]
    #: When the figures of sections 1-4 were computed (``OrganFigures``), or None: now.
    computed_at: dt.datetime | None = None
    #: When the earliest kept count of case warnings shown was made, or None: all live.
    warnings_counted_at: dt.datetime | None = None


def organs_of(user: Any) -> QuerySet[Any]:
    return visible_organs(user).select_related("region").order_by("region__path", "name", "pk")


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compiles each of the dashboard's aggregates (their estimated
    cost passes ``jit_above_cost`` at a province's size) and took ~200 ms a query to
    do it, more than the queries ran: off for these (one transaction, ``SET LOCAL``)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def dashboard(user: Any, year: int, today: dt.date) -> Dashboard:
    """The figures of the organs ``user`` may see for ``year`` (the warnings and the
    stock of cases as of ``today``)."""
    with _without_jit():
        return _dashboard(user, year, today)


def _dashboard(user: Any, year: int, today: dt.date) -> Dashboard:
    organs = list(organs_of(user))
    scope = organs_of(user)
    rows = {o.pk: Row(o.pk, o.name, o.region.name) for o in organs}
    region_of = {o.pk: (o.region.path, o.region.name) for o in organs}

    computed_at = _stored(rows, year, today)
    if computed_at is None:
        _case_figures(rows, scope, year)

    # 5. The warnings now, counted as the warnings page counts them: the case warnings
    # kept today (live for an organ without its count of the day), the others live.
    window = warnings.window(today)
    warnings_counted_at = _case_warnings(rows, user, window)
    counts = warnings.summary(
        None,
        warnings.complaint_warnings(user, window),
        [
            *organ_warnings.organ_warnings(user, window),
            *notices.notice_warnings(user, window.today, window),
        ],
    )
    for count in counts.organs:
        if count.organ_id in rows:
            rows[count.organ_id].red += count.red
            rows[count.organ_id].yellow += count.yellow

    # 6. Complaints, by receiving unit.
    for complaint in (
        complaint_policy.visible(user)
        .filter(organ__in=scope)
        .values("organ_id")
        .annotate(
            received=Count("pk", filter=Q(received_on__year=year)),
            overdue=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED, ack_due_on__lt=today)),
            disputed=Count("pk", filter=Q(status=ComplaintStatus.DISPUTED)),
        )
        .order_by()
    ):
        row = rows[complaint["organ_id"]]
        row.complaints, row.ack_overdue = complaint["received"], complaint["overdue"]
        row.disputed = complaint["disputed"]

    # 7. The trend of the case warnings (the nightly snapshots).
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    trend = [
        (day, red or 0, yellow or 0)
        for day, red, yellow in WarningSnapshot.objects.filter(
            organ__in=scope, day__range=(start, today)
        )
        .values_list("day")
        .annotate(Sum("red"), Sum("yellow"))
        .order_by("day")
    ]

    by_region: dict[str, Row] = {}
    total = Row("total", "")
    for organ in organs:
        row = rows[organ.pk]
        path, name = region_of[organ.pk]
        by_region.setdefault(path, Row(path, name)).add(row)
        total.add(row)
    return Dashboard(
        year=year,
        today=today,
        organs=[rows[o.pk] for o in organs],
        regions=[by_region[p] for p in sorted(by_region)],
        total=total,
        trend=trend,
        computed_at=computed_at,
        warnings_counted_at=warnings_counted_at,
    )


def _case_warnings(rows: dict[int, Row], user: Any, window: Horizon) -> dt.datetime | None:
    """The case warnings of the organs of ``rows`` on ``window.today`` into ``rows``:
    an organ's count kept today (``WarningSnapshot``) when there is one, else counted
    live (one grouped query for all such organs). Returns when the earliest kept count
    used was made, or None (all live)."""
    kept: dict[int, dt.datetime] = {}
    for organ_id, red, yellow, at in WarningSnapshot.objects.filter(
        organ_id__in=list(rows), day=window.today, counted_at__isnull=False
    ).values_list("organ_id", "red", "yellow", "counted_at"):
        rows[organ_id].red, rows[organ_id].yellow = red, yellow
        if at is not None:
            kept[organ_id] = at
    missing = [pk for pk in rows if pk not in kept]
    if missing:
        live: QuerySet[Any] = warnings.case_warnings(user, window).filter(
            case__organ_id__in=missing
        )
        for organ_id, level, n in (
            live.values_list("case__organ_id", "level").annotate(n=Count("pk")).order_by()
        ):
            if level == RED:
                rows[organ_id].red += n
            else:
                rows[organ_id].yellow += n
    return min(kept.values(), default=None)


def _case_figures(rows: dict[int, Row], scope: QuerySet[Any], year: int) -> None:
    """Sections 1-4 of the figures (the cases now; decided, fines and payments in the
    year) of the organs of ``scope`` into ``rows``, live: six grouped queries."""
    # 1. The cases now, by organ, status and procedure.
    cases = Case.objects.filter(organ__in=scope)
    for organ_id, status, procedure, n in (
        cases.values_list("organ_id", "status", "procedure").annotate(n=Count("pk")).order_by()
    ):
        rows[organ_id].statuses[status] = rows[organ_id].statuses.get(status, 0) + n
        rows[organ_id].procedures[procedure] = rows[organ_id].procedures.get(procedure, 0) + n

    # 2. The cases decided in the year, and how many had a legal review or a hearing.
    def has(step: str) -> Exists:
        return Exists(CaseStep.objects.filter(case=OuterRef("pk"), step=step))

    decided = cases.filter(
        Exists(CaseStep.objects.filter(case=OuterRef("pk"), step="decision", on__year=year))
    )
    for item in (
        decided.annotate(reviewed=has("legal_review"), heard=has("hearing"))
        .values("organ_id")
        .annotate(
            n=Count("pk"),
            r=Count("pk", filter=Q(reviewed=True)),
            h=Count("pk", filter=Q(heard=True)),
        )
        .order_by()
    ):
        row = rows[item["organ_id"]]
        row.decided, row.reviewed, row.heard = item["n"], item["r"], item["h"]

    # 3. Fines decided in the year (as the annual statistics count them: two queries).
    for organ_id, figures in statistics.figures_by_organ(scope, year).items():
        rows[organ_id].fine_decisions = figures.fine_decisions
        rows[organ_id].fines = figures.fines

    # 4. Payments recorded in the year.
    for organ_id, n, amount in (
        CaseStep.objects.filter(case__organ__in=scope, step="paid", on__year=year)
        .values_list("case__organ_id")
        .annotate(
            n=Count("pk"),
            amount=Sum(Cast(KT("data__amount"), DecimalField(max_digits=16, decimal_places=2))),
        )
        .order_by()
    ):
        rows[organ_id].payments = n
        rows[organ_id].collected = money(amount)


#: The figures ``OrganFigures`` keeps (those of sections 1-4).
STORED = ("decided", "reviewed", "heard", "fine_decisions", "fines", "payments", "collected")


def _stored(rows: dict[int, Row], year: int, today: dt.date) -> dt.datetime | None:
    """Fill ``rows`` with the figures the nightly job kept for ``year`` (``refresh``)
    when every organ of ``rows`` has its row computed on ``today``; their time (the
    earliest), or None (nothing filled: the page counts them live)."""
    if not rows:
        return None
    kept = list(
        OrganFigures.objects.filter(organ_id__in=list(rows), year=year).values_list(
            "organ_id", "computed_at", "figures"
        )
    )
    if len(kept) != len(rows) or any(
        timezone.localdate(at) != today for _organ, at, _figures in kept
    ):
        return None
    for organ_id, _at, data in kept:
        row = rows[organ_id]
        row.statuses.update(data["statuses"])
        row.procedures.update(data["procedures"])
        for name in STORED:
            value = data[name]
            setattr(row, name, money(value) if isinstance(value, str) else value)
    return min(at for _organ, at, _figures in kept)


def refresh(year: int, now: dt.datetime) -> int:
    """Compute the figures of sections 1-4 of every organ for ``year`` (the dashboard's
    own grouped queries, once for all organs) and keep them (``OrganFigures``, computed
    at ``now``; a year computed again is overwritten). Returns the number of organs."""
    from zhifa.core.organisation import organ_model

    organs = organ_model().objects.all()
    rows = {pk: Row(pk, "") for pk in organs.values_list("pk", flat=True)}
    with _without_jit():
        _case_figures(rows, organs, year)
    kept = [
        OrganFigures(
            organ_id=pk,
            year=year,
            computed_at=now,
            figures={
                "statuses": row.statuses,
                "procedures": row.procedures,
                **{
                    name: str(value) if isinstance(value, Decimal) else value
                    for name in STORED
                    for value in [getattr(row, name)]
                },
            },
        )
        for pk, row in rows.items()
    ]
    with transaction.atomic():
        OrganFigures.objects.filter(year=year).delete()
        OrganFigures.objects.bulk_create(kept)
    return len(kept)


#: A case audited up to this long before a count began may be missing from it (its
#: transaction not yet committed when the count read the stored rows): its organ is
#: counted again by the next ``count_warnings``.
COUNT_MARGIN = dt.timedelta(minutes=2)


def stale_organs(today: dt.date) -> list[int]:
    """The organs whose case warnings of ``today`` must be counted (again): those with
    no count of the day, and those with a case audited since their count began (less
    ``COUNT_MARGIN``). Two queries: the day's rows, and one index range per counted
    organ (``case_organ_audited_at``)."""
    from zhifa.core.organisation import organ_model

    organs = list(organ_model().objects.order_by("pk").values_list("pk", flat=True))
    counted = WarningSnapshot.objects.filter(day=today, counted_at__isnull=False)
    fresh = set(
        counted.exclude(
            Exists(
                Case.objects.filter(
                    organ=OuterRef("organ_id"),
                    audited_at__gte=ExpressionWrapper(
                        OuterRef("counted_at") - COUNT_MARGIN, output_field=DateTimeField()
                    ),
                )
            )
        ).values_list("organ_id", flat=True)
    )
    return [pk for pk in organs if pk not in fresh]


def count_warnings(today: dt.date, organs: list[int] | None = None) -> int:
    """Count and keep the case warnings of ``organs`` (default: ``stale_organs``) on
    ``today`` (``WarningSnapshot``), as the warnings page counts them for a user who
    sees every organ; an organ without warnings is kept with zeros so the trend shows
    the day. The dashboard reads these counts; the last count of a day stays as that
    day's history. One grouped query and one write; idempotent (a day counted again is
    overwritten). Returns the number of organs counted."""
    if organs is None:
        organs = stale_organs(today)
    if not organs:
        return 0
    counted_at = timezone.now()
    window = warnings.window(today)
    found: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for start in range(0, len(organs), 500):
        batch = organs[start : start + 500]
        items: QuerySet[Any] = warnings.case_warnings(Everyone(), window).filter(
            case__organ_id__in=batch
        )
        for organ_id, level, n in (
            items.values_list("case__organ_id", "level").annotate(n=Count("pk")).order_by()
        ):
            found[organ_id][0 if level == RED else 1] += n
    with transaction.atomic():
        WarningSnapshot.objects.filter(day=today, organ_id__in=organs).delete()
        WarningSnapshot.objects.bulk_create(
            WarningSnapshot(
                organ_id=pk,
                day=today,
                red=found[pk][0],
                yellow=found[pk][1],
                counted_at=counted_at,
            )
            for pk in organs
        )
    return len(organs)


def snapshot(today: dt.date) -> int:
    """Count the case warnings of every organ on ``today`` (``count_warnings``)."""
    from zhifa.core.organisation import organ_model

    return count_warnings(today, list(organ_model().objects.values_list("pk", flat=True)))

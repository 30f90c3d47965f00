"""The read model of the annual statistics: figures counted from the cases, in the
database, for a set of organs and a year (GB118-annual-stats).

One computation serves the staff pages (running figures), the publication (the snapshot
it freezes) and, through the snapshots, the public pages and the API.

What puts an act in a year: its step's date (``CaseStep.on``). A penalty decision is
counted in the year of its decision date (the ``decision`` step's ``on``), whatever
happens to it later (service, payment, a change or revocation: a published figure is
corrected by republishing, with a reason).

Counted:

- penalty decisions: ``decision`` steps with outcome ``penalty``, each once, under its
  heaviest category (``rules.engine.statistics.heaviest``); the amounts of their fines
  and confiscations (the penalties' ``amount``), and how many decisions have each;
- coercion: sealing or seizure measures taken (``seizure`` steps, 查封、扣押 — ACL
  Art. 9(2)(3); an extension is not a new measure) and applications to the court for
  enforcement (``court_application``); evidence preserved by registration
  (``preservation``, 先行登记保存, APL Art. 56) is shown beside them, not summed in;
- not recorded on this platform (``None``, never a fabricated 0): licensing (the
  platform has penalty cases only), inspection (a case whose source is an inspection is
  not a count of inspections), levy, and the other coercive measures (restricting
  personal freedom, freezing deposits).

Cost: two queries for any number of organs — the penalty figures grouped by organ and
heaviest category, and the coercion steps grouped by organ and step — whatever the
number of cases. The penalty query reads each decision's penalties with the database's
JSON table function (SQLite ``json_each``, PostgreSQL ``jsonb_array_elements``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from zhifa.cases.models import Case, CaseStep
from zhifa.rules.engine import statistics as rules

CENT = Decimal("0.01")
#: The steps of the coercion figures (and the preserved evidence shown beside them).
COERCION_STEPS = {
    "seizure": "seizures",
    "court_application": "court_applications",
    "preservation": "preservations",
}
#: The kinds of act the platform does not record (shown as "not recorded").
NOT_RECORDED = ("licensing", "inspection", "levy")
#: The keys of the decision lists a figure links to: every penalty decision, each
#: category, decisions with a fine or a confiscation, and the coercion steps.
LIST_KEYS: tuple[str, ...] = (
    "penalty",
    *rules.DISPLAY_ORDER,
    "fines",
    "confiscations",
    *COERCION_STEPS.values(),
)


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _rank_case(type_sql: str) -> str:
    """SQL giving the rank of the penalty type ``type_sql`` (the engine's order)."""
    whens = " ".join(f"WHEN '{t}' THEN {r}" for t, r in sorted(rules.TYPE_RANK.items()))
    return f"CASE {type_sql} {whens} ELSE 0 END"


def _decisions_sql(organs_sql: str) -> str:
    """One row per penalty decision of the organs (``organs_sql``: a subquery of organ
    IDs) dated in [%s, %s]: id, organ, date, document number, heaviest rank, fine
    amount and count, confiscation amount and count."""
    step = _quote(CaseStep._meta.db_table)
    case = _quote(Case._meta.db_table)
    on = _quote("on")
    if connection.vendor == "postgresql":
        elements = (
            "LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.data->'penalties')"
            " = 'array' THEN s.data->'penalties' ELSE '[]'::jsonb END) AS p(value) ON TRUE"
        )
        kind = "(p.value->>'type')"
        amount = (
            "(CASE WHEN jsonb_typeof(p.value->'amount') = 'number' "
            "THEN (p.value->>'amount')::numeric END)"
        )
        outcome = "s.data->>'outcome'"
    else:
        elements = "LEFT JOIN json_each(s.data, '$.penalties') AS p"
        kind = "(CASE WHEN p.type = 'object' THEN json_extract(p.value, '$.type') END)"
        amount = (
            "(CASE WHEN p.type = 'object' AND json_type(p.value, '$.amount') IN "
            "('integer', 'real') THEN json_extract(p.value, '$.amount') END)"
        )
        outcome = "json_extract(s.data, '$.outcome')"
    # Only constants are formatted in (table and column names from the models, the
    # engine's penalty types, the organ subquery Django compiled); values are parameters.
    return (
        f"SELECT s.id AS id, c.organ_id AS organ_id, s.case_id AS case_id, s.{on} AS day, "  # noqa: S608
        f"s.document_number AS number, "
        f"COALESCE(MAX({_rank_case(kind)}), 0) AS heaviest, "
        f"COALESCE(SUM(CASE WHEN {kind} = 'fine' THEN {amount} END), 0) AS fine, "
        f"COUNT(CASE WHEN {kind} = 'fine' THEN 1 END) AS fines, "
        f"COALESCE(SUM(CASE WHEN {kind} = 'confiscation' THEN {amount} END), 0) AS conf, "
        f"COUNT(CASE WHEN {kind} = 'confiscation' THEN 1 END) AS confs "
        f"FROM {step} s JOIN {case} c ON c.id = s.case_id {elements} "
        f"WHERE s.step = 'decision' AND {outcome} = 'penalty' "
        f"AND s.{on} >= %s AND s.{on} <= %s AND c.organ_id IN ({organs_sql}) "
        f"GROUP BY s.id, c.organ_id, s.case_id, s.{on}, s.document_number"
    )


def _organs_subquery(organs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = organs.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def money(value: Any) -> Decimal:
    """An amount the database summed (SQLite: a float) as yuan with two decimals."""
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class Figures:
    """The statistics of one organ (or the sum of several) for a year."""

    year: int
    decisions: int = 0
    categories: dict[str, int] | None = None
    fine_decisions: int = 0
    fines: Decimal = Decimal("0.00")
    confiscation_decisions: int = 0
    confiscations: Decimal = Decimal("0.00")
    seizures: int = 0
    court_applications: int = 0
    preservations: int = 0

    def __post_init__(self) -> None:
        if self.categories is None:
            self.categories = dict.fromkeys(rules.DISPLAY_ORDER, 0)

    def add(self, other: Figures) -> None:
        assert self.categories is not None and other.categories is not None
        self.decisions += other.decisions
        for key, n in other.categories.items():
            self.categories[key] = self.categories.get(key, 0) + n
        self.fine_decisions += other.fine_decisions
        self.fines += other.fines
        self.confiscation_decisions += other.confiscation_decisions
        self.confiscations += other.confiscations
        self.seizures += other.seizures
        self.court_applications += other.court_applications
        self.preservations += other.preservations

    def counts(self) -> dict[str, int]:
        """The count of each list (``LIST_KEYS``): what the list links show."""
        assert self.categories is not None
        return {
            "penalty": self.decisions,
            **self.categories,
            "fines": self.fine_decisions,
            "confiscations": self.confiscation_decisions,
            "seizures": self.seizures,
            "court_applications": self.court_applications,
            "preservations": self.preservations,
        }

    def to_json(self) -> dict[str, Any]:
        """The figures as the snapshot and the API hold them: amounts as decimal text;
        ``None`` for a kind the platform does not record."""
        return {
            "year": self.year,
            "penalty": {
                "decisions": self.decisions,
                "categories": dict(self.categories or {}),
                "fines": {"decisions": self.fine_decisions, "amount": str(self.fines)},
                "confiscations": {
                    "decisions": self.confiscation_decisions,
                    "amount": str(self.confiscations),
                },
            },
            "coercion": {
                "seizures": self.seizures,
                "court_applications": self.court_applications,
                "other_measures": None,
            },
            "preservations": self.preservations,
            **dict.fromkeys(NOT_RECORDED),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figures:
        penalty = data["penalty"]
        categories = dict.fromkeys(rules.DISPLAY_ORDER, 0)
        categories.update(penalty["categories"])
        return cls(
            year=int(data["year"]),
            decisions=int(penalty["decisions"]),
            categories=categories,
            fine_decisions=int(penalty["fines"]["decisions"]),
            fines=Decimal(penalty["fines"]["amount"]),
            confiscation_decisions=int(penalty["confiscations"]["decisions"]),
            confiscations=Decimal(penalty["confiscations"]["amount"]),
            seizures=int(data["coercion"]["seizures"]),
            court_applications=int(data["coercion"]["court_applications"]),
            preservations=int(data["preservations"]),
        )


def figures_by_organ(organs: QuerySet[Any], year: int) -> dict[int, Figures]:
    """The figures of each organ of ``organs`` for ``year`` (an organ without activity
    is absent: ``total`` and the pages show it as zeros). Two queries."""
    organs_sql, organs_params = _organs_subquery(organs)
    start, end = year_range(year)
    sql = (  # constants only (_decisions_sql)
        "SELECT d.organ_id, d.heaviest, COUNT(*), SUM(d.fine), "  # noqa: S608
        "SUM(CASE WHEN d.fines > 0 THEN 1 ELSE 0 END), SUM(d.conf), "
        "SUM(CASE WHEN d.confs > 0 THEN 1 ELSE 0 END) "
        f"FROM ({_decisions_sql(organs_sql)}) d GROUP BY d.organ_id, d.heaviest"
    )
    found: dict[int, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (start, end, *organs_params))
        for organ_id, rank, n, fine, with_fine, conf, with_conf in cursor.fetchall():
            figures = found.setdefault(organ_id, Figures(year))
            assert figures.categories is not None
            figures.categories[rules.category_of_rank(int(rank))] += int(n)
            figures.decisions += int(n)
            figures.fines += money(fine)
            figures.fine_decisions += int(with_fine or 0)
            figures.confiscations += money(conf)
            figures.confiscation_decisions += int(with_conf or 0)
    steps = (
        CaseStep.objects.filter(
            step__in=list(COERCION_STEPS), on__range=(start, end), case__organ__in=organs
        )
        .values_list("case__organ_id", "step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for organ_id, step, n in steps:
        figures = found.setdefault(organ_id, Figures(year))
        setattr(figures, COERCION_STEPS[step], getattr(figures, COERCION_STEPS[step]) + n)
    return found


def total(figures: Iterable[Figures], year: int) -> Figures:
    result = Figures(year)
    for f in figures:
        result.add(f)
    return result


def figures_of(organs: QuerySet[Any], year: int) -> Figures:
    """The figures of ``organs`` together (an organ, or a region's organs)."""
    return total(figures_by_organ(organs, year).values(), year)


# --- the lists a figure links to ---------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """One row of a decision list: what the public may see of a counted step."""

    step_id: int
    organ_id: int
    case_id: int
    day: dt.date
    number: str
    kind: str  # a category key, or a coercion step name
    fine: Decimal | None
    confiscation: Decimal | None


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def decision_rows(organs: QuerySet[Any], year: int) -> list[Listed]:
    """Every counted penalty decision of ``organs`` in ``year`` (one query), in date
    order."""
    organs_sql, organs_params = _organs_subquery(organs)
    start, end = year_range(year)
    sql = f"SELECT * FROM ({_decisions_sql(organs_sql)}) d ORDER BY d.day, d.id"  # noqa: S608
    rows: list[Listed] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, (start, end, *organs_params))
        for row in cursor.fetchall():
            step_id, organ_id, case_id, day, number, rank, fine, fines, conf, confs = row
            rows.append(
                Listed(
                    int(step_id),
                    int(organ_id),
                    int(case_id),
                    _as_date(day),
                    number or "",
                    rules.category_of_rank(int(rank)),
                    money(fine) if fines else None,
                    money(conf) if confs else None,
                )
            )
    return rows


def coercion_rows(organs: QuerySet[Any], year: int) -> list[Listed]:
    start, end = year_range(year)
    found = (
        CaseStep.objects.filter(
            step__in=list(COERCION_STEPS), on__range=(start, end), case__organ__in=organs
        )
        .order_by("on", "pk")
        .values_list("pk", "case__organ_id", "case_id", "on", "document_number", "step")
    )
    return [
        Listed(pk, organ, case, on, number, step, None, None)
        for pk, organ, case, on, number, step in found
    ]


def lists_of(organs: QuerySet[Any], year: int) -> dict[str, list[int]]:
    """For each list key (``LIST_KEYS``), the IDs of the steps it counts, in date order
    (two queries)."""
    lists: dict[str, list[int]] = {key: [] for key in LIST_KEYS}
    for row in decision_rows(organs, year):
        lists["penalty"].append(row.step_id)
        lists[row.kind].append(row.step_id)
        if row.fine is not None:
            lists["fines"].append(row.step_id)
        if row.confiscation is not None:
            lists["confiscations"].append(row.step_id)
    for row in coercion_rows(organs, year):
        lists[COERCION_STEPS[row.kind]].append(row.step_id)
    return lists


def rows_of(step_ids: Iterable[int]) -> list[Listed]:
    """The public rows of the given steps (one page of a list), in the given order:
    the decision's 文号, organ, date, heaviest category and amounts; a coercion step's
    文号, organ, date and kind. One query; no party data is read."""
    ids = list(step_ids)
    found = {
        pk: (organ, case, on, number, step, data)
        for pk, organ, case, on, number, step, data in CaseStep.objects.filter(
            pk__in=ids
        ).values_list(
            "pk", "case__organ_id", "case_id", "on", "document_number", "step", "data__penalties"
        )
    }
    rows: list[Listed] = []
    for pk in ids:
        if pk not in found:
            continue
        organ, case, on, number, step, penalties = found[pk]
        if step != "decision":
            rows.append(Listed(pk, organ, case, on, number, step, None, None))
            continue
        items = [p for p in penalties or [] if isinstance(p, dict)]
        amounts = {
            kind: [p.get("amount") for p in items if p.get("type") == kind]
            for kind in ("fine", "confiscation")
        }
        rows.append(
            Listed(
                pk,
                organ,
                case,
                on,
                number,
                rules.heaviest(str(p.get("type")) for p in items),
                _sum(amounts["fine"]),
                _sum(amounts["confiscation"]),
            )
        )
    return rows


def _sum(amounts: list[Any]) -> Decimal | None:
    if not amounts:
        return None
    return sum(
        (money(a) for a in amounts if isinstance(a, int | float) and not isinstance(a, bool)),
        Decimal("0.00"),
    )

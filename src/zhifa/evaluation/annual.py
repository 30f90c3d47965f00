"""The annual indicators of the evaluation (评议考核, JL-evaluation): per organ and per
officer for a year, in a fixed number of aggregate queries whatever the number of organs
and cases (no query per organ, officer or case; no audit). The formulas are the
engine's (``rules.engine.evaluation_grades.INDICATORS``, published on the portal).

Read models reused: the supervisor's warnings (``supervision.warnings.case_warnings``:
the rows the last audit kept, red and yellow as the warnings page counts them), the
remedies read model (``supervision.remedies``: reversal and court appearance by the
engine's ``remedy_rates``), the case-file scores (``FileScore``), the registry
(officers, training, exams), the party's ratings (``party.ConductRating``) and the
complaints (by organ and officer complained about: counts only, never a filing).

Each indicator's value is a ``Value``: its numerator and denominator (or a plain
number) and the text shown; "无数据" where the platform holds no data, with the reason."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case, CaseOfficer, CaseStep, OfficerRole
from zhifa.complaints.models import Complaint, ComplaintStatus
from zhifa.party.models import ConductRating
from zhifa.registry.models import ExamRecord, Officer, OfficerKind, TrainingRecord
from zhifa.rules.engine import evaluation_grades as rule
from zhifa.rules.engine.supervision import RED
from zhifa.supervision import remedies, warnings

from .models import FileScore

NO_DATA = "无数据"
SATISFIED = 4  # "满意" and "非常满意" on the party's 1–5 scale (party.services.SCORE_LABELS)


@dataclass(frozen=True)
class Value:
    text: str
    n: float | None = None
    d: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "n": self.n, "d": self.d}


def _pct(n: int, d: int) -> Value:
    if not d:
        return Value("—", n, d)
    return Value(f"{(Decimal(100 * n) / Decimal(d)).quantize(Decimal('0.1'))}%（{n}/{d}）", n, d)


def _num(n: Any) -> Value:
    return Value(str(n), float(n))


@dataclass
class Counts:
    """The raw counts of one organ or officer for the year."""

    cases: int = 0
    decided: int = 0
    reviewed: int = 0
    heard: int = 0
    red: int = 0
    warned: int = 0
    scored: int = 0
    score_avg: float | None = None
    training: Decimal = Decimal("0")
    exams: int = 0
    passed: int = 0
    officers: int = 0
    reviewers: int = 0
    complaints: dict[str, int] = field(default_factory=dict)
    ratings: int = 0
    satisfied: int = 0
    remedy: Any = None  # the engine's YearRates (organ)


def values(counts: Counts, subject: str) -> dict[str, Value]:
    """Each indicator of ``subject`` (organ or officer) as shown."""
    no_data = {i.code: i.no_data for i in rule.INDICATORS if i.no_data is not None}
    out: dict[str, Value] = {}
    for code, why in no_data.items():
        out[code] = Value(f"{NO_DATA}（{why.zh}）")
    c = counts
    out["cases"] = _num(c.cases)
    out["overdue_rate"] = _pct(c.red, c.cases)
    out["warning_rate"] = _pct(c.warned, c.cases)
    out["review_rate"] = _pct(c.reviewed, c.decided)
    out["hearing_rate"] = _pct(c.heard, c.decided)
    out["file_score"] = (
        Value(f"{c.score_avg:.1f}（{c.scored}份）", c.score_avg, c.scored)
        if c.scored
        else Value("—（未评查）")
    )
    out["exam_pass_rate"] = _pct(c.passed, c.exams)
    closed = sum(
        c.complaints.get(s, 0) for s in (ComplaintStatus.CLOSED, ComplaintStatus.CONFIRMED)
    )
    rejected = c.complaints.get(ComplaintStatus.REJECTED, 0)
    total = sum(c.complaints.values())
    out["complaints"] = Value(
        f"{total}（办结{closed}，不予受理{rejected}，处理中{total - closed - rejected}）", total
    )
    if subject == rule.ORGAN:
        out["officers"] = _num(c.officers)
        out["cases_per_officer"] = (
            Value(f"{Decimal(c.cases) / Decimal(c.officers):.1f}", c.cases, c.officers)
            if c.officers
            else Value("—")
        )
        per = (c.training / c.officers).quantize(Decimal("0.1")) if c.officers else None
        out["training_hours"] = Value(
            f"{c.training}（人均{per}）" if per is not None else f"{c.training}", float(c.training)
        )
        out["reviewer_ratio"] = _pct(c.reviewers, c.officers)
        out["satisfaction"] = (
            _pct(c.satisfied, c.ratings) if c.ratings else Value(f"{NO_DATA}（当年无当事人评价）")
        )
        r = c.remedy
        if r is None:
            out["reversal_rate"] = Value("—（当年无审结的复议、诉讼）", 0, 0)
            out["court_appearance"] = Value("—（当年无审结的行政诉讼）", 0, 0)
        else:
            out["reversal_rate"] = _pct(r.total.reversed, r.total.decided)
            concluded = r.heard
            out["court_appearance"] = _pct(r.appeared, concluded)
    else:
        out["training_hours"] = _num(c.training)
        out["satisfaction"] = Value(rule.OFFICER_NOT_COUNTED.zh)
    return out


def _registered_in(year: int) -> Exists:
    return Exists(CaseStep.objects.filter(case=OuterRef("pk"), step="registered", on__year=year))


def _step(step: str, year: int | None = None, ref: str = "pk") -> Exists:
    q = CaseStep.objects.filter(case=OuterRef(ref), step=step)
    if year is not None:
        q = q.filter(on__year=year)
    return Exists(q)


def organ_counts(user: Any, organs: Iterable[Any], year: int, today: dt.date) -> dict[int, Counts]:
    """The counts of ``organs`` (in ``user``'s scope) for ``year``; the warnings as of
    ``today``. About a dozen aggregate queries."""
    ids = [getattr(o, "pk", o) for o in organs]
    rows = {pk: Counts() for pk in ids}
    # Cases registered in the year; decided in the year, with legal review and hearing.
    for item in (
        Case.objects.filter(organ_id__in=ids)
        .annotate(
            reg=_registered_in(year),
            dec=_step("decision", year),
            rev=_step("legal_review"),
            hear=_step("hearing"),
        )
        .filter(Q(reg=True) | Q(dec=True))
        .values("organ_id")
        .annotate(
            n=Count("pk", filter=Q(reg=True)),
            d=Count("pk", filter=Q(dec=True)),
            r=Count("pk", filter=Q(dec=True, rev=True)),
            h=Count("pk", filter=Q(dec=True, hear=True)),
        )
        .order_by()
    ):
        row = rows[item["organ_id"]]
        row.cases, row.decided, row.reviewed, row.heard = (
            item["n"],
            item["d"],
            item["r"],
            item["h"],
        )
    # Warnings now of the year's cases (the warnings page's rows and levels).
    window = warnings.window(today)
    for item in (
        warnings.case_warnings(user, window)
        .filter(case__organ_id__in=ids)
        .filter(
            Exists(
                CaseStep.objects.filter(case=OuterRef("case_id"), step="registered", on__year=year)
            )
        )
        .values("case__organ_id")
        .annotate(
            red=Count("case_id", distinct=True, filter=Q(level=RED)),
            any=Count("case_id", distinct=True),
        )
        .order_by()
    ):
        rows[item["case__organ_id"]].red = item["red"]
        rows[item["case__organ_id"]].warned = item["any"]
    # Case-file scores of campaigns whose period ends in the year.
    for item in (
        FileScore.objects.filter(
            drawn__roster__organ_id__in=ids, drawn__roster__campaign__period_end__year=year
        )
        .values("drawn__roster__organ_id")
        .annotate(n=Count("pk"), avg=Avg("total"))
        .order_by()
    ):
        row = rows[item["drawn__roster__organ_id"]]
        row.scored, row.score_avg = item["n"], float(item["avg"])
    # The registry: officers, legal reviewers, training, exams.
    for organ_id, n in (
        Officer.objects.filter(organ_id__in=ids, active=True, kind=OfficerKind.OFFICER)
        .values_list("organ_id")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[organ_id].officers = n
    for organ_id, n in (
        User.objects.filter(organ_id__in=ids, is_active=True, role=Role.LEGAL_REVIEWER)
        .values_list("organ_id")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[organ_id].reviewers = n
    for organ_id, hours in (
        TrainingRecord.objects.filter(
            officer__organ_id__in=ids,
            officer__active=True,
            officer__kind=OfficerKind.OFFICER,
            year=year,
        )
        .values_list("officer__organ_id")
        .annotate(Sum("hours"))
        .order_by()
    ):
        rows[organ_id].training = hours or Decimal("0")
    for organ_id, n, p in (
        ExamRecord.objects.filter(officer__organ_id__in=ids, taken_on__year=year)
        .values_list("officer__organ_id")
        .annotate(n=Count("pk"), p=Count("pk", filter=Q(passed=True)))
        .order_by()
    ):
        rows[organ_id].exams, rows[organ_id].passed = n, p
    # Complaints about the organ received in the year, by status (counts only).
    for organ_id, status, n in (
        Complaint.objects.filter(subject_organ_id__in=ids, received_on__year=year)
        .values_list("subject_organ_id", "status")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[organ_id].complaints[status] = n
    # The party's ratings of the year.
    for organ_id, n, s in (
        ConductRating.objects.filter(organ_id__in=ids, rated_on__year=year)
        .values_list("organ_id")
        .annotate(n=Count("pk"), s=Count("pk", filter=Q(score__gte=SATISFIED)))
        .order_by()
    ):
        rows[organ_id].ratings, rows[organ_id].satisfied = n, s
    # Reconsideration and litigation (the remedies read model and the engine's rates).
    for found in remedies.rates_for(user, year):
        if found.organ.pk in rows:
            rows[found.organ.pk].remedy = found.rates
    return rows


def officer_counts(
    user: Any, organs: Iterable[Any], year: int, today: dt.date
) -> dict[int, Counts]:
    """The counts of the active officers of ``organs`` for ``year`` (cases: those they
    investigate)."""
    ids = [getattr(o, "pk", o) for o in organs]
    officers = Officer.objects.filter(organ_id__in=ids, active=True, kind=OfficerKind.OFFICER)
    rows = {pk: Counts() for pk in officers.values_list("pk", flat=True)}
    roles = CaseOfficer.objects.filter(officer_id__in=list(rows), role=OfficerRole.INVESTIGATOR)
    for item in (
        roles.annotate(
            reg=_step("registered", year, "case_id"),
            dec=_step("decision", year, "case_id"),
            rev=_step("legal_review", None, "case_id"),
            hear=_step("hearing", None, "case_id"),
        )
        .filter(Q(reg=True) | Q(dec=True))
        .values("officer_id")
        .annotate(
            n=Count("case_id", distinct=True, filter=Q(reg=True)),
            d=Count("case_id", distinct=True, filter=Q(dec=True)),
            r=Count("case_id", distinct=True, filter=Q(dec=True, rev=True)),
            h=Count("case_id", distinct=True, filter=Q(dec=True, hear=True)),
        )
        .order_by()
    ):
        row = rows[item["officer_id"]]
        row.cases, row.decided, row.reviewed, row.heard = (
            item["n"],
            item["d"],
            item["r"],
            item["h"],
        )
    window = warnings.window(today)
    year_roles = roles.filter(_step("registered", year, "case_id"))
    for item in (
        warnings.case_warnings(user, window)
        .filter(case_id__in=year_roles.values("case_id"))
        .filter(
            case__case_officers__role=OfficerRole.INVESTIGATOR,
            case__case_officers__officer_id__in=list(rows),
        )
        .values("case__case_officers__officer_id")
        .annotate(
            red=Count("case_id", distinct=True, filter=Q(level=RED)),
            any=Count("case_id", distinct=True),
        )
        .order_by()
    ):
        row = rows[item["case__case_officers__officer_id"]]
        row.red, row.warned = item["red"], item["any"]
    for item in (
        FileScore.objects.filter(
            drawn__roster__campaign__period_end__year=year,
            drawn__case__case_officers__role=OfficerRole.INVESTIGATOR,
            drawn__case__case_officers__officer_id__in=list(rows),
        )
        .values("drawn__case__case_officers__officer_id")
        .annotate(n=Count("pk", distinct=True), avg=Avg("total"))
        .order_by()
    ):
        row = rows[item["drawn__case__case_officers__officer_id"]]
        row.scored, row.score_avg = item["n"], float(item["avg"])
    for officer_id, hours in (
        TrainingRecord.objects.filter(officer_id__in=list(rows), year=year)
        .values_list("officer_id")
        .annotate(Sum("hours"))
        .order_by()
    ):
        rows[officer_id].training = hours or Decimal("0")
    for officer_id, n, p in (
        ExamRecord.objects.filter(officer_id__in=list(rows), taken_on__year=year)
        .values_list("officer_id")
        .annotate(n=Count("pk"), p=Count("pk", filter=Q(passed=True)))
        .order_by()
    ):
        rows[officer_id].exams, rows[officer_id].passed = n, p
    for officer_id, status, n in (
        Complaint.objects.filter(subject_officer_id__in=list(rows), received_on__year=year)
        .values_list("subject_officer_id", "status")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[officer_id].complaints[status] = n
    return rows


def snapshot(shown: dict[str, Value]) -> dict[str, Any]:
    """The indicators as the grade keeps them (JSON)."""
    return {code: v.as_json() for code, v in shown.items()}


def organ_rows(
    user: Any, organs: list[Any], year: int, today: dt.date
) -> dict[int, dict[str, Value]]:
    return {pk: values(c, rule.ORGAN) for pk, c in organ_counts(user, organs, year, today).items()}


def officer_rows(
    user: Any, organs: list[Any], year: int, today: dt.date
) -> dict[int, dict[str, Value]]:
    return {
        pk: values(c, rule.OFFICER) for pk, c in officer_counts(user, organs, year, today).items()
    }


def by_organ(officers: Iterable[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for o in officers:
        out[o.organ_id].append(o)
    return out

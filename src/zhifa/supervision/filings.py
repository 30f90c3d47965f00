"""Filings with the justice bureau (执法目录备案, NA-major-filing: NA 30; issue #17 item 6).

- **A major decision's document catalogue**: the organ's head or legal reviewer files the
  list of the case's issued documents (``file_major_decision``); due 30 days after the
  decision (the engine: ``rules.engine.filing``).
- **The quarterly case catalogue**: the cases the organ concluded (closed) in a quarter
  (``concluded_cases``), downloadable as Excel, filed the same way (``file_quarter``).
- **What is missing** (``major_rows``, ``quarter_rows``): the supervisor's page and the
  organ's warnings (``organ_warnings.major_filings``).

Each filing is written with its record entry in one transaction and never changed.
Scope: every query goes through ``core.scope``; the engine judges which decision is
major, the due day and the status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.labels import step_label
from zhifa.cases.models import MAJOR_VIOLATION, Case, CaseStep
from zhifa.core.roles import Role
from zhifa.core.scope import scoped
from zhifa.core.validation import date_problem
from zhifa.records.services import record_change
from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import filing as rule

from .models import Filing, FilingKind

FILE_ACTION = "supervision.filing.file"
#: Who files for the organ.
FILING_ROLES = (Role.ORGAN_HEAD, Role.LEGAL_REVIEWER)
#: The step that concludes a case (结案) for the quarterly catalogue.
CONCLUDED = "closed"
DECISION = "decision"


def may_file(user: Any, organ_id: int) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in FILING_ROLES
        and getattr(user, "organ_id", None) == organ_id
    )


def _filed_on(on: Any, today: dt.date) -> dt.date:
    problem = date_problem(on, today=today)
    if problem:
        raise ValidationError({"filed_on": [problem]})
    return on if isinstance(on, dt.date) else dt.date.fromisoformat(on)


def decision_day(case: Case) -> dt.date | None:
    """The day of the case's first penalty decision."""
    found = case.steps.filter(step=DECISION).aggregate(first=Min("on"))["first"]
    return found if isinstance(found, dt.date) else None


def document_catalogue(case: Case) -> list[dict[str, Any]]:
    """The case's issued documents, in the order of the case file: what a major
    decision's catalogue lists."""
    return [
        {
            "step": s.step,
            "document": str(step_label(s.step)),
            "number": s.document_number,
            "on": s.on.isoformat(),
        }
        for s in case.steps.exclude(document_number="").order_by("index")
    ]


def _record(actor: Any, filing: Filing) -> None:
    record_change(
        actor,
        filing.organ_id,
        FILE_ACTION,
        filing,
        {
            "organ": filing.organ_id,
            "kind": filing.kind,
            "case": filing.case_id,
            "year": filing.year,
            "quarter": filing.quarter,
            "filed_on": filing.filed_on.isoformat(),
            "due_on": filing.due_on.isoformat() if filing.due_on else None,
            "catalogue": filing.catalogue,
        },
    )


def file_major_decision(case: Case, *, actor: Any, on: Any = None) -> Filing:
    """File the document catalogue of the case's major decision (NA 30). Refused: not
    the organ's head or reviewer (403); not a major decision, no decision yet, filed
    already, a bad day (``ValidationError`` naming the field)."""
    if not may_file(actor, case.organ_id):
        raise PermissionDenied
    today = timezone.localdate()
    filed_on = _filed_on(today if on is None else on, today)
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if not rule.is_major(locked.violation):
            raise ValidationError(
                {"case": [_("The case's decision is not a major enforcement decision.")]}
            )
        decided = decision_day(locked)
        if decided is None:
            raise ValidationError({"case": [_("The case has no penalty decision yet.")]})
        if filed_on < decided:
            raise ValidationError(
                {
                    "filed_on": [
                        _("The filing day is before the decision (%(day)s).")
                        % {"day": decided.isoformat()}
                    ]
                }
            )
        if Filing.objects.filter(case=locked, kind=FilingKind.MAJOR_DECISION).exists():
            raise ValidationError({"case": [_("The decision's catalogue is filed already.")]})
        filing = Filing(
            organ_id=locked.organ_id,
            kind=FilingKind.MAJOR_DECISION,
            case=locked,
            decided_on=decided,
            due_on=rule.filing_due(decided, database_calendar()).due,
            filed_on=filed_on,
            filed_by=actor,
            catalogue=document_catalogue(locked),
        )
        try:
            with transaction.atomic():
                filing.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"case": [_("The decision's catalogue is filed already.")]}
            ) from exc
        _record(actor, filing)
    return filing


def concluded_cases(organ: EnforcementSubject, year: int, quarter: int) -> list[dict[str, Any]]:
    """The cases ``organ`` concluded (closed) in the quarter, by day: the quarterly case
    catalogue."""
    first, last = rule.quarter_bounds(year, quarter)
    steps = (
        CaseStep.objects.filter(case__organ=organ, step=CONCLUDED, on__gte=first, on__lte=last)
        .select_related("case")
        .order_by("on", "case_id")
    )
    return [
        {
            "case": s.case_id,
            "number": s.case.registration_number or s.case.case_id,
            "party": s.case.party_name,
            "procedure": s.case.procedure,
            "closed_on": s.on.isoformat(),
        }
        for s in steps
    ]


def file_quarter(
    organ: EnforcementSubject, year: int, quarter: int, *, actor: Any, on: Any = None
) -> Filing:
    """File the organ's catalogue of the cases concluded in the quarter (NA 30). Refused:
    not the organ's head or reviewer (403); the quarter has not ended, filed already, a
    bad quarter or day (``ValidationError`` naming the field)."""
    if not may_file(actor, organ.pk):
        raise PermissionDenied
    today = timezone.localdate()
    filed_on = _filed_on(today if on is None else on, today)
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": [_("Give a quarter from 1 to 4.")]})
    if not 1949 <= year <= today.year:
        raise ValidationError({"year": [_("Give a year from 1949 to this year.")]})
    if rule.quarter_bounds(year, quarter)[1] >= filed_on:
        raise ValidationError({"quarter": [_("The quarter has not ended yet.")]})
    with transaction.atomic():
        filing = Filing(
            organ=organ,
            kind=FilingKind.QUARTERLY,
            year=year,
            quarter=quarter,
            filed_on=filed_on,
            filed_by=actor,
            catalogue=concluded_cases(organ, year, quarter),
        )
        try:
            with transaction.atomic():
                filing.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"quarter": [_("The quarter's catalogue is filed already.")]}
            ) from exc
        _record(actor, filing)
    return filing


# --- what is filed and what is missing ---------------------------------------------------


@dataclass(frozen=True)
class MajorRow:
    case: Case
    decided_on: dt.date
    due: dt.date
    filed_on: dt.date | None
    status: str  # rule.filing_status: filed / late / open / overdue


def major_cases(user: Any) -> QuerySet[Case]:
    """The cases in ``user``'s scope with a penalty decision on a violation marked
    major (the engine judges each: ``rule.is_major``)."""
    decided = CaseStep.objects.filter(case=OuterRef("pk"), step=DECISION)
    return scoped(user, Case.objects.filter(MAJOR_VIOLATION, Exists(decided)))


def major_rows(
    user: Any, today: dt.date, organ: int | None = None, unfiled: bool = False
) -> list[MajorRow]:
    """Each major decision in scope with its due day, its filing day and its status:
    one query (and one for the calendar when a due day must be computed). ``unfiled``:
    only those not filed (the warnings), with only the case fields a warning names."""
    filed = Filing.objects.filter(kind=FilingKind.MAJOR_DECISION, case=OuterRef("pk"))
    decisions = CaseStep.objects.filter(case=OuterRef("pk"), step=DECISION).order_by("on")
    cases = (
        major_cases(user)
        .select_related("organ")
        .annotate(
            decided=Subquery(decisions.values("on")[:1]),
            filed_on=Subquery(filed.values("filed_on")[:1]),
            filed_due=Subquery(filed.values("due_on")[:1]),
        )
    )
    if organ is not None:
        cases = cases.filter(organ_id=organ)
    if unfiled:
        cases = cases.exclude(Exists(filed)).only(
            "pk", "case_id", "registration_number", "violation", "organ_id", "organ__name"
        )
    calendar = None
    rows = []
    for case in cases.order_by("decided", "pk"):
        if not rule.is_major(case.violation):
            continue
        due = case.filed_due
        if due is None:
            calendar = calendar or database_calendar()
            due = rule.filing_due(case.decided, calendar).due
        rows.append(
            MajorRow(
                case,
                case.decided,
                due,
                case.filed_on,
                rule.filing_status(due, case.filed_on, today),
            )
        )
    return rows


@dataclass(frozen=True)
class QuarterRow:
    organ: EnforcementSubject
    year: int
    quarter: int
    filing: Filing | None


def quarter_rows(user: Any, today: dt.date, organ: int | None = None) -> list[QuarterRow]:
    """For each enforcing organ in scope, every quarter ended since its first concluded
    case, with its filing (or none)."""
    organs = scoped(
        user,
        EnforcementSubject.objects.filter(subject_type__in=ENFORCING_TYPES),
        organ_field="",
    )
    if organ is not None:
        organs = organs.filter(pk=organ)
    # Each organ's first conclusion (the earliest ``closed`` step of its cases): one
    # grouped query over the steps' index by kind and day (``case_step_step_on_case``);
    # annotating the organs joined every organ's cases to their steps, seconds at a
    # province's size.
    first = dict(
        CaseStep.objects.filter(step=CONCLUDED, case__organ__in=organs.values("pk"))
        .values_list("case__organ_id")
        .annotate(first=Min("on"))
        .order_by()
    )
    organs = organs.filter(pk__in=list(first)).order_by("name", "pk")
    filed = {
        (f.organ_id, f.year, f.quarter): f
        for f in Filing.objects.filter(kind=FilingKind.QUARTERLY, organ__in=organs.values("pk"))
    }
    rows = []
    for o in organs:
        for year, quarter in rule.ended_quarters(first[o.pk], today):
            rows.append(QuarterRow(o, year, quarter, filed.get((o.pk, year, quarter))))
    return rows

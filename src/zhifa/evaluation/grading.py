"""The annual evaluation's grades (评议考核, JL-evaluation; docs/adr/0021-annual-grades.md):
who may grade and see, recording a grade with its consequences, publishing a year.

- Who grades (the engine's ``GRADERS``, JL 六(一)): an organ is graded by a supervisor
  of a region with its own justice bureau whose region contains the organ (the organs a
  campaign may cover, ``campaigns.plannable_organs``); an officer by the head of his
  organ ("各行政执法部门负责对…所属行政执法人员进行考核").
- Who sees: those supervisors the organs of their region and their officers; an organ
  head his organ and its officers; nobody else (404 outside).
- The grade is the grader's decision (the seeds fix no thresholds), recorded once per
  subject and year with the assessment, beside the indicators computed then (kept on
  the row and in the entry). Its consequences (``rules.engine.evaluation_grades``) are
  applied in the same transaction: an organ 不合格 gets a supervision notice with the
  rectification deadline (SUP-notice); an officer 不合格 has the consequences shown, and
  if also 不合格 the year before he is flagged in the registry (``registry.services.
  flag_officer``: its record entry in the organ's chain), for the registry
  administrator to carry out.
- Publication: a supervisor publishes the year's grades of the organs of his region
  (and their officers'); the portal shows them, officers' names masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import Role
from zhifa.core.validation import typed_text_problem
from zhifa.records.services import record_change
from zhifa.registry.models import EnforcementSubject, Officer, OfficerKind
from zhifa.registry.services import flag_officer
from zhifa.rules.engine import evaluation_grades as rule
from zhifa.supervision.models import NoticeKind
from zhifa.supervision.notices import issue_notice, issuing_bureau

from . import annual
from .campaigns import plan_refusal, plannable_organs
from .models import AnnualGrade, Grade, GradeSubject

GRADE_ACTION = "evaluation.annual.grade"
PUBLISH_ACTION = "evaluation.annual.publish"
FIRST_YEAR = 2000
MAX_TEXT = 4000


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _head(user: Any) -> bool:
    return bool(_active(user) and user.role == Role.ORGAN_HEAD and user.organ_id is not None)


def visible_organs(user: Any) -> QuerySet[EnforcementSubject]:
    """The organs whose evaluation ``user`` sees."""
    if plan_refusal(user) is None:
        return plannable_organs(user)
    if _head(user):
        return EnforcementSubject.objects.filter(pk=user.organ_id).select_related("region")
    return EnforcementSubject.objects.none()


def may_see(user: Any) -> bool:
    return plan_refusal(user) is None or _head(user)


def may_grade_organ(user: Any, organ: Any) -> bool:
    return plan_refusal(user) is None and plannable_organs(user).filter(pk=organ.pk).exists()


def may_grade_officer(user: Any, officer: Any) -> bool:
    return _head(user) and officer.organ_id == user.organ_id


def visible_grades(user: Any) -> QuerySet[AnnualGrade]:
    return AnnualGrade.objects.filter(organ__in=visible_organs(user).values("pk"))


def get_organ_or_404(user: Any, pk: int) -> EnforcementSubject:
    found = visible_organs(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def year_problem(year: Any, today: dt.date) -> str | None:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        return _("Give a year from %(first)d to %(last)d.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
    return None


def parse_year(raw: Any, today: dt.date) -> int:
    """A year of the query string; ValidationError naming ``year``."""
    text = str(raw or "").strip()
    year = int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None
    problem = year_problem(year, today) if year is not None else year_problem(None, today)
    if problem:
        raise ValidationError({"year": [problem]})
    assert year is not None
    return year


def _text(errors: dict[str, list[str]], name: str, value: Any, required: bool) -> str:
    value = value if isinstance(value, str) else ""
    problem = typed_text_problem(value) if value else None
    if problem is None and len(value) > MAX_TEXT:
        problem = _("At most %(n)s characters.") % {"n": MAX_TEXT}
    if problem is None and required and not value.strip():
        problem = _("This field is required.")
    if problem:
        errors[name] = [problem]
    return value.strip()


def previous_grade(year: int, *, organ: Any = None, officer: Any = None) -> str | None:
    found = AnnualGrade.objects.filter(year=year - 1)
    found = (
        found.filter(officer=officer)
        if officer is not None
        else found.filter(organ=organ, officer__isnull=True)
    )
    row = found.only("grade").first()
    return row.grade if row else None


def record_grade(
    actor: Any,
    *,
    year: Any,
    grade: Any,
    assessment: Any,
    organ: Any = None,
    officer: Any = None,
    rectification: Any = "",
    deadline: Any = None,
    today: dt.date,
) -> AnnualGrade:
    """Record the grade of ``organ`` or ``officer`` (one of them) for ``year`` with the
    grader's assessment, and apply its consequences (``apply_consequences``) in the same
    transaction. An organ 不合格 needs ``rectification`` and ``deadline`` (the notice).
    PermissionDenied for a user who may not grade it; ValidationError naming the field."""
    if (organ is None) == (officer is None):
        raise ValidationError({"subject": [_("Grade an organ or an officer.")]})
    if officer is not None:
        if not may_grade_officer(actor, officer):
            raise PermissionDenied(_("An officer is graded by the head of his organ (JL 六(一))."))
        organ = officer.organ
    elif not may_grade_organ(actor, organ):
        raise PermissionDenied(
            _("An organ is graded by a supervisor of its region's justice bureau (JL 六(一)).")
        )
    errors: dict[str, list[str]] = {}
    problem = year_problem(year, today)
    if problem:
        errors["year"] = [problem]
    if grade not in Grade.values:
        errors["grade"] = [_("Choose 优秀, 合格 or 不合格.")]
    text = _text(errors, "assessment", assessment, required=True)
    subject = rule.OFFICER if officer is not None else rule.ORGAN
    fails_organ = subject == rule.ORGAN and grade == Grade.FAIL
    rect = _text(errors, "rectification", rectification, required=fails_organ)
    if fails_organ and not isinstance(deadline, dt.date):
        errors["deadline"] = [_("Give the rectification deadline.")]
    if officer is not None and (officer.kind != OfficerKind.OFFICER):
        errors["officer"] = [_("Auxiliary staff are not graded as enforcement officers.")]
    if not errors:
        exists = AnnualGrade.objects.filter(year=year)
        exists = (
            exists.filter(officer=officer)
            if officer is not None
            else exists.filter(organ=organ, officer__isnull=True)
        )
        if exists.exists():
            errors["grade"] = [_("Already graded for this year: a grade is recorded once.")]
    if errors:
        raise ValidationError(errors)
    if officer is not None:
        rows = annual.officer_rows(actor, [organ], year, today)
        shown = rows.get(officer.pk) or annual.values(annual.Counts(), rule.OFFICER)
    else:
        shown = annual.organ_rows(actor, [organ], year, today)[organ.pk]
    with transaction.atomic():
        row = AnnualGrade.objects.create(
            year=year,
            subject=GradeSubject.OFFICER if officer is not None else GradeSubject.ORGAN,
            organ=organ,
            officer=officer,
            grade=grade,
            assessment=text,
            indicators=annual.snapshot(shown),
            graded_by=actor,
            graded_at=timezone.now(),
        )
        apply_consequences(actor, row, rectification=rect, deadline=deadline, today=today)
    return row


def apply_consequences(
    actor: Any, row: AnnualGrade, *, rectification: str, deadline: Any, today: dt.date
) -> AnnualGrade:
    """The engine's consequences of ``row`` applied and recorded (``evaluation.annual.
    grade`` in the organ's chain): an organ 不合格 gets its rectification notice; an officer
    不合格 two years running is flagged in the registry. Runs in the caller's transaction."""
    subject = rule.OFFICER if row.officer_id is not None else rule.ORGAN
    previous = previous_grade(row.year, organ=row.organ, officer=row.officer)
    found = rule.consequences(subject, row.grade, previous)
    if rule.ORGAN_RECTIFICATION in found:
        row.notice = issue_notice(
            actor=actor,
            organ=row.organ,
            kind=NoticeKind.NOTICE,
            findings=_("%(year)s annual evaluation: 不合格. %(text)s")
            % {"year": row.year, "text": row.assessment},
            rectification=rectification,
            deadline=deadline,
            pattern=_("Annual evaluation %(year)s (JL-evaluation)") % {"year": row.year},
        )
    if rule.REMOVAL_OR_CANCELLATION in found:
        assert row.officer is not None
        row.flag, _created = flag_officer(
            row.officer,
            rule=rule.RULE_ID,
            year=row.year,
            reason=rule.flag_reason(row.officer.name, row.year),
            consequence=rule.REMOVAL_OR_CANCELLATION.text.zh,
            on=today,
            actor=actor,
        )
    row.consequences = [c.code for c in found]
    row.save(update_fields=["notice", "flag", "consequences"])
    record_change(
        actor,
        row.organ_id,
        GRADE_ACTION,
        row,
        {
            "year": row.year,
            "subject": row.subject,
            "organ": row.organ_id,
            "officer": row.officer_id,
            "grade": row.grade,
            "assessment": row.assessment,
            "previous": previous,
            "consequences": row.consequences,
            "notice": row.notice_id,
            "flag": row.flag_id,
            "indicators": {k: v["text"] for k, v in row.indicators.items()},
            "rule": rule.RULE_ID,
        },
    )
    return row


def publish_year(actor: Any, year: Any, today: dt.date) -> int:
    """Publish the year's grades of the organs of ``actor``'s region and of their
    officers (those not yet published); returns how many. Recorded as
    ``evaluation.annual.publish`` in the bureau's chain."""
    refusal = plan_refusal(actor)
    if refusal:
        raise PermissionDenied(refusal)
    problem = year_problem(year, today)
    if problem:
        raise ValidationError({"year": [problem]})
    with transaction.atomic():
        # Ordered by pk: the model's ordering joins the (nullable) officer, and
        # PostgreSQL locks no row on the nullable side of an outer join.
        found = (
            AnnualGrade.objects.select_for_update()
            .filter(
                year=year,
                organ__in=plannable_organs(actor).values("pk"),
                published_at__isnull=True,
            )
            .order_by("pk")
        )
        pks = list(found.values_list("pk", flat=True))
        if not pks:
            raise ValidationError({"year": [_("No unpublished grade of this year.")]})
        AnnualGrade.objects.filter(pk__in=pks).update(published_at=timezone.now())
        bureau = issuing_bureau(actor)
        record_change(
            actor,
            bureau,
            PUBLISH_ACTION,
            bureau,
            {"year": year, "grades": sorted(pks), "rule": rule.RULE_ID},
        )
    return len(pks)


def published(year: int) -> QuerySet[AnnualGrade]:
    return AnnualGrade.objects.filter(year=year, published_at__isnull=False).select_related(
        "organ", "officer"
    )


def officers_of(organs: QuerySet[EnforcementSubject]) -> QuerySet[Officer]:
    return (
        Officer.objects.filter(organ__in=organs.values("pk"), active=True, kind=OfficerKind.OFFICER)
        .select_related("organ")
        .order_by("organ__name", "name", "pk")
    )


def grades_by_subject(year: int, organs: QuerySet[EnforcementSubject]) -> dict[Any, AnnualGrade]:
    """``("organ", pk)`` / ``("officer", pk)`` → the year's grade."""
    out: dict[Any, AnnualGrade] = {}
    for g in AnnualGrade.objects.filter(year=year, organ__in=organs.values("pk")).select_related(
        "notice", "flag"
    ):
        key = ("officer", g.officer_id) if g.officer_id else ("organ", g.organ_id)
        out[key] = g
    return out

"""The annual evaluation pages (评议考核, JL-evaluation): the year's indicators of the
organs and officers a user sees beside their grades, the grade forms of the grader
(``grading``: a supervisor grades organs, an organ head his officers), the publication,
and the public pages (the indicators' formulas; the published grades, officers' names
masked). Outside the scope: 404; an act the user may not take: 403; bad input: 400 with
the error at its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.portal.queries import public_organs
from zhifa.portal.views import public_page
from zhifa.registry.models import Officer
from zhifa.rules.engine import evaluation_grades as rule

from . import annual, grading
from .forms import GradeForm
from .models import Grade


def _mask(name: str) -> str:
    """An officer's name as the portal shows it (as accountability's public page does)."""
    return f"{name[:1]}某" if name else ""


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year")
    if raw in (None, ""):
        return today.year - 1 if today.year > grading.FIRST_YEAR else today.year
    return grading.parse_year(raw, today)


def _indicators(level: str) -> list[rule.Indicator]:
    return [i for i in rule.INDICATORS if level in i.levels]


def _page(request: HttpRequest, year: int, forms: dict[Any, GradeForm] | None = None) -> Any:
    user: Any = request.user
    today = timezone.localdate()
    organs_qs = grading.visible_organs(user)
    organs = list(organs_qs.order_by("region__path", "name", "pk"))
    organ_values = annual.organ_rows(user, organs, year, today)
    officers = list(grading.officers_of(organs_qs))
    officer_values = annual.officer_rows(user, organs, year, today)
    grades = grading.grades_by_subject(year, organs_qs)
    forms = forms or {}
    organ_ind = _indicators(rule.ORGAN)
    officer_ind = _indicators(rule.OFFICER)

    def row(kind: str, obj: Any, shown: dict[str, annual.Value], inds: list[Any]) -> dict[str, Any]:
        g = grades.get((kind, obj.pk))
        may = (
            grading.may_grade_officer(user, obj)
            if kind == "officer"
            else grading.may_grade_organ(user, obj)
        )
        return {
            "obj": obj,
            "kind": kind,
            "cells": [(i, shown.get(i.code)) for i in inds],
            "grade": g,
            "consequences": [
                c
                for c in (
                    rule.NOT_EXCELLENT_CIVIL_SERVICE,
                    rule.CRITICISM_OR_TRAINING,
                    rule.REMOVAL_OR_CANCELLATION,
                    rule.ORGAN_RECTIFICATION,
                )
                if g and c.code in g.consequences
            ],
            "form": None
            if g or not may
            else forms.get((kind, obj.pk)) or GradeForm(prefix=f"{kind}-{obj.pk}", subject=kind),
        }

    return {
        "year": year,
        "years": list(range(today.year, max(grading.FIRST_YEAR, today.year - 5) - 1, -1)),
        "organ_rows": [row("organ", o, organ_values[o.pk], organ_ind) for o in organs],
        "officer_rows": [
            row("officer", o, officer_values.get(o.pk, {}), officer_ind) for o in officers
        ],
        "organ_indicators": organ_ind,
        "officer_indicators": officer_ind,
        "may_publish": grading.plan_refusal(user) is None,
        "rule": rule,
        "grades_text": rule.GRADES,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def annual_page(request: HttpRequest) -> HttpResponse:
    if not grading.may_see(request.user):
        raise PermissionDenied(_("The annual evaluation is for supervisors and organ heads."))
    try:
        year = _year(request)
    except ValidationError as exc:
        return render(
            request, "evaluation/annual.html", {"error": exc.message_dict["year"][0]}, status=400
        )
    return render(request, "evaluation/annual.html", _page(request, year))


@login_required
@require_POST
def grade(request: HttpRequest, year: int, kind: str, pk: int) -> HttpResponse:
    user: Any = request.user
    if not grading.may_see(user):
        raise PermissionDenied(_("The annual evaluation is for supervisors and organ heads."))
    today = timezone.localdate()
    if grading.year_problem(year, today):
        raise Http404
    organs = grading.visible_organs(user)
    target: Any
    if kind == "organ":
        target = grading.get_organ_or_404(user, pk)
        subject = {"organ": target}
    elif kind == "officer":
        target = grading.officers_of(organs).filter(pk=pk).first()
        if target is None:
            target = Officer.objects.filter(pk=pk, organ__in=organs.values("pk")).first()
        if target is None:
            raise Http404
        subject = {"officer": target}
    else:
        raise Http404
    form = GradeForm(request.POST, prefix=f"{kind}-{pk}", subject=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grading.record_grade(
                user,
                year=year,
                grade=data["grade"],
                assessment=data["assessment"],
                rectification=data.get("rectification") or "",
                deadline=data.get("deadline"),
                today=today,
                **subject,
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("The grade is recorded."))
            return redirect(reverse("evaluation:annual") + f"?year={year}")
    return render(
        request,
        "evaluation/annual.html",
        _page(request, year, {(kind, pk): form}),
        status=400,
    )


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    user: Any = request.user
    try:
        n = grading.publish_year(user, year, timezone.localdate())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s grade(s) published on the portal.") % {"n": n})
    return redirect(reverse("evaluation:annual") + f"?year={year}")


# --- public ------------------------------------------------------------------------------


@public_page
def public_indicators(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/public_indicators.html",
        {"rule": rule, "indicators": rule.INDICATORS, "grades": rule.GRADES},
    )


@public_page
def public_year(request: HttpRequest, year: int) -> HttpResponse:
    found = list(
        grading.published(year)
        .filter(organ__in=public_organs())
        .order_by("organ__name", "officer__name", "pk")
    )
    organs = [g for g in found if g.officer_id is None]
    officers = [
        {
            "organ": g.organ.name,
            "name": _mask(g.officer.name if g.officer else ""),
            "grade": g.get_grade_display(),
            "grade_code": g.grade,
        }
        for g in found
        if g.officer_id is not None
    ]
    response = render(
        request,
        "evaluation/public_year.html",
        {
            "year": year,
            "organs": organs,
            "officers": officers,
            "rule": rule,
            "organ_indicators": _indicators(rule.ORGAN),
            "Grade": Grade,
        },
    )
    response.last_changed = max(  # type: ignore[attr-defined]
        (g.published_at for g in found if g.published_at), default=None
    )
    return response

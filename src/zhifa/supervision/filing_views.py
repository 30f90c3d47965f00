"""The filings page (NA-major-filing, issue #17 item 6): the major decisions and the
quarters in the user's scope, what is filed and what is missing; the organ's head or
legal reviewer files from it (POST with CSRF); the quarterly catalogue as Excel."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from zhifa.cases.models import Case
from zhifa.core.roles import Role
from zhifa.core.scope import get_scoped_or_404, require_role, visible_organs
from zhifa.core.validation import parse_id
from zhifa.registry.models import EnforcementSubject
from zhifa.registry.tabular import formula_safe
from zhifa.rules.engine import filing as rule

from . import filings

ROLES = (Role.SUPERVISOR, Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.ADMINISTRATOR)


def _organ_filter(request: HttpRequest) -> int | None:
    raw = request.GET.get("organ", "")
    return parse_id(raw) if raw else None


@login_required
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *ROLES)
    user: Any = request.user
    today = timezone.localdate()
    organ = _organ_filter(request)
    majors = filings.major_rows(user, today, organ)
    quarters = filings.quarter_rows(user, today, organ)
    return render(
        request,
        "supervision/filing_list.html",
        {
            "majors": majors,
            "quarters": quarters,
            "missing_majors": sum(r.status in ("open", "overdue", "late") for r in majors),
            "missing_quarters": sum(r.filing is None for r in quarters),
            "organs": visible_organs(user).order_by("name"),
            "organ": organ,
            "rule": rule.MAJOR_FILING_RULE,
            "user_organ": getattr(user, "organ_id", None),
            "may_file": user.role in filings.FILING_ROLES,
        },
    )


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        for problem in problems:
            messages.error(request, f"{field}: {problem}")


@login_required
@require_POST
def file_major(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *filings.FILING_ROLES)
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=pk)
    try:
        filings.file_major_decision(case, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("The decision's document catalogue is filed."))
    return redirect("supervision:filing_list")


@login_required
@require_POST
def file_quarter(request: HttpRequest, organ: int, year: int, quarter: int) -> HttpResponse:
    require_role(request.user, *filings.FILING_ROLES)
    subject = get_scoped_or_404(
        request.user, EnforcementSubject.objects.all(), organ_field="", pk=organ
    )
    try:
        filings.file_quarter(subject, year, quarter, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The quarter's case catalogue is filed."))
    return redirect("supervision:filing_list")


@login_required
@require_GET
def quarter_catalogue(request: HttpRequest, organ: int, year: int, quarter: int) -> HttpResponse:
    """The quarter's case catalogue as Excel: as filed when it is, else as it stands."""
    require_role(request.user, *ROLES)
    subject = get_scoped_or_404(
        request.user, EnforcementSubject.objects.all(), organ_field="", pk=organ
    )
    if not 1 <= quarter <= 4:
        return HttpResponse(_("quarter: give a quarter from 1 to 4."), status=400)
    filed = subject.filings.filter(kind="quarterly", year=year, quarter=quarter).first()
    rows = filed.catalogue if filed else filings.concluded_cases(subject, year, quarter)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}Q{quarter}"
    sheet.append([_("Case number"), _("Party"), _("Procedure"), _("Closed on")])
    for row in rows:
        sheet.append(
            [
                formula_safe(row["number"]),
                formula_safe(row["party"]),
                row["procedure"],
                row["closed_on"],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="catalogue-{subject.pk}-{year}Q{quarter}.xlsx"'
    )
    return response

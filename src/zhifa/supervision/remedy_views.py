"""The remedies page (issue #18 item 3): the reconsiderations and litigations against
the decisions in the user's scope, their outcomes and the heads' court appearance, with
each organ's counts and rates of the year (``remedies``, the engine's
``remedy_rates``); the same as Excel."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from zhifa.cases.steps import REMEDY_KINDS, REMEDY_RESULTS
from zhifa.core.scope import require_role, visible_organs
from zhifa.registry.tabular import formula_safe
from zhifa.rules.engine import remedy_rates as engine

from . import remedies

#: The proceedings a page lists (the Excel has them all).
PAGE_SIZE = 50


def _read(request: HttpRequest) -> tuple[remedies.Filters, int, list[str]]:
    """The filters (the year of the rates: the filter's, else the current one) and the
    problems of a bad query, each naming its parameter."""
    today = timezone.localdate()
    try:
        filters = remedies.parse_filters(request.GET, today)
        remedies.check_organ(request.user, filters.organ)
    except ValidationError as exc:
        labels = _field_labels()
        problems = [
            _("%(field)s: %(problem)s") % {"field": labels.get(field, field), "problem": p}
            for field, ps in exc.message_dict.items()
            for p in ps
        ]
        return remedies.Filters(), today.year, problems
    return filters, filters.year or today.year, []


def _field_labels() -> dict[str, str]:
    """The filters' labels as the form shows them: an error names the field by them."""
    return {
        "year": _("Year"),
        "organ": _("Organ"),
        "kind": _("Kind"),
        "result": pgettext("remedy", "Result"),
    }


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    kinds = {k: str(label) for k, label in REMEDY_KINDS}
    results = {k: str(label) for k, label in REMEDY_RESULTS}
    return kinds, results


def _appeared(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Yes") if value else _("No")


@login_required
@require_GET
def remedy_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *remedies.ROLES)
    user: Any = request.user
    filters, year, problems = _read(request)
    read = remedies.all_rows(user, filters.organ)  # one query for the rows and the rates
    found = remedies.rows(user, filters, read)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    by_organ = remedies.rates_of_year(user, year, timezone.localdate(), filters.organ, read)
    kinds, results = _labels()
    return render(
        request,
        "supervision/remedy_list.html",
        {
            "rows": page.object_list,
            "page": page,
            "count": len(found),
            "rates": by_organ,
            "year": year,
            "filters": filters,
            "problems": problems,
            "organs": visible_organs(user).order_by("name").only("pk", "name"),
            "kinds": REMEDY_KINDS,
            "results": REMEDY_RESULTS,
            "kind_labels": kinds,
            "result_labels": results,
            "rule": engine.COURT_APPEARANCE,
            "formulas": engine.FORMULAS,
            "query": request.GET.urlencode(),
        },
        status=400 if problems else 200,
    )


@login_required
@require_GET
def remedy_excel(request: HttpRequest) -> HttpResponse:
    """The page's rows and rates as Excel (two sheets), with the same filters."""
    require_role(request.user, *remedies.ROLES)
    user: Any = request.user
    filters, year, problems = _read(request)
    if problems:
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain")
    kinds, results = _labels()
    book = Workbook()
    sheet = book.active
    sheet.title = pgettext("remedy", "Proceedings")[:31]
    sheet.append(
        [
            _("Case number"),
            _("Party"),
            _("Organ"),
            _("Kind"),
            pgettext("remedy", "Filed on"),
            pgettext("remedy", "Result"),
            pgettext("remedy", "Decided on"),
            _("Head appeared in court"),
        ]
    )
    read = remedies.all_rows(user, filters.organ)
    for r in remedies.rows(user, filters, read):
        p = r.proceeding
        sheet.append(
            [
                formula_safe(r.case_number),
                formula_safe(r.party),
                formula_safe(r.organ.name),
                kinds.get(p.kind, p.kind),
                p.filed_on,
                results.get(p.result, p.result),
                p.decided_on,
                _appeared(p.head_appeared) if p.kind == engine.LITIGATION else "",
            ]
        )
    rates_sheet = book.create_sheet(_("Rates %(year)d") % {"year": year})
    rates_sheet.append(
        [
            _("Organ"),
            _("Year"),
            _("Reconsiderations filed"),
            _("Litigations filed"),
            pgettext("remedy", "Decided"),
            _("Reversed"),
            _("Withdrawn"),
            _("Reversal rate"),
            _("Litigation heard"),
            _("Head appeared"),
            _("Appearance not recorded"),
            _("Court appearance rate"),
            _("Required"),
            _("Below the requirement"),
        ]
    )
    for o in remedies.rates_of_year(user, year, timezone.localdate(), filters.organ, read):
        t = o.rates
        rates_sheet.append(
            [
                formula_safe(o.organ.name),
                year,
                t.reconsideration.filed,
                t.litigation.filed,
                t.total.decided,
                t.total.reversed,
                t.total.withdrawn,
                engine.percent(t.total.reversal_rate),
                t.heard,
                t.appeared,
                t.unrecorded,
                engine.percent(t.court_appearance_rate),
                t.required,
                _("Yes") if t.below else _("No"),
            ]
        )
    rates_sheet.append([])
    for text in engine.FORMULAS.values():
        rates_sheet.append([text.zh])
    rates_sheet.append([f"{engine.COURT_APPEARANCE.id} {engine.COURT_APPEARANCE.citation}"])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="remedies-{year}.xlsx"'
    return response

"""The supervision dashboard (issue #17 item 4): the page (tables readable without
script, every number a link to what it counts; the charts drawn by the vendored ECharts
from a JSON data island, docs/adr/0017-dashboard-echarts.md) and its Excel download.
Supervisors see their region, organ heads their organ; everyone else (an administrator
or a superuser too) is refused (403)."""

from __future__ import annotations

import io
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhifa.cases.models import CaseStatus, Procedure
from zhifa.core.organisation import region_model
from zhifa.core.roles import Role
from zhifa.core.scope import visible_organs, visible_regions
from zhifa.core.validation import parse_id
from zhifa.registry.tabular import formula_safe

from . import figures
from .figures import Dashboard, Row

#: Who sees the dashboard (and how far: ``figures``).
ROLES = (Role.SUPERVISOR, Role.ORGAN_HEAD)
FIRST_YEAR = 1949
#: The paths of the URL names the page links, reversed once per request (``_path``).
_PATHS: ContextVar[dict[str, str] | None] = ContextVar("dashboard_paths", default=None)


def _allowed(user: Any) -> None:
    if getattr(user, "role", None) not in ROLES:
        raise PermissionDenied(_("The dashboard is for supervisors and organ heads."))


def _year(request: HttpRequest) -> tuple[int, str]:
    """The year asked for (default: this year); a bad one is named and this year shown."""
    latest = timezone.localdate().year
    raw = request.GET.get("year", "")
    if not raw:
        return latest, ""
    if len(raw) == 4 and raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= latest:
        return int(raw), ""
    return latest, _("year: give a year from %(first)s to %(latest)s.") % {
        "first": FIRST_YEAR,
        "latest": latest,
    }


def _url(name: str, **query: Any) -> str:
    given = {k: v for k, v in query.items() if v not in (None, "")}
    return _path(name) + ("?" + urlencode(given) if given else "")


def _path(name: str) -> str:
    """``reverse(name)``, once per name and request: the page links every figure of
    every organ (thousands of links for a province), reversing each took a third of
    the page's time."""
    paths = _PATHS.get()
    if paths is None:
        return reverse(name)
    if name not in paths:
        paths[name] = reverse(name)
    return paths[name]


def _links(year: int, organ: int | str | None, region: str | None = None) -> dict[str, Any]:
    """The lists each figure of a row counts (``organ``: the row's organ; ``region``:
    a region row's code; neither for the total: the lists of the whole scope). Every
    list is one every viewer of the dashboard may open for their scope."""
    cases = "cases:list"
    where = {"organ": organ, "region": region}
    return {
        "cases": _url(cases, **where),
        "statuses": {s: _url(cases, status=s, **where) for s in CaseStatus.values},
        "procedures": {p: _url(cases, procedure=p, **where) for p in Procedure.values},
        "red": _url("supervision:warning_list", level="red", **where),
        "yellow": _url("supervision:warning_list", level="yellow", **where),
        "decided": _url(cases, decided=year, **where),
        "reviewed": _url(cases, decided=year, **where, **{"with": "legal_review"}),
        "heard": _url(cases, decided=year, **where, **{"with": "hearing"}),
        "fines": _url("dashboard:fines", year=year, **where),
        "collected": _url(cases, paid=year, **where),
        "complaints": _url("complaints:desk", year=year, **where),
        "ack_overdue": _url("complaints:desk", overdue=1, **where),
        "disputed": _url("complaints:desk", status="disputed", **where),
    }


#: The organ's key in the links of one organ made for all (``_organ_links``).
_ORGAN = "0organ0"


def _substituted(links: Any, organ: str) -> Any:
    if isinstance(links, dict):
        return {k: _substituted(v, organ) for k, v in links.items()}
    return links.replace(_ORGAN, organ)


def _organ_links(rows: list[Row], year: int) -> list[dict[str, Any]]:
    """``_links`` of each organ row: built once with a placeholder for the organ and
    filled in per row (a province's page links about 2,700 figures; encoding each
    query string took a quarter of the page's time)."""
    pattern = _links(year, _ORGAN)
    return [_substituted(pattern, str(int(row.key))) for row in rows]


def _cells(row: Row, links: dict[str, Any]) -> dict[str, list[tuple[str, int, str]]]:
    """The row's cases by status and by procedure in the tables' order, with links."""
    return {
        "statuses": [(s, row.statuses[s], links["statuses"][s]) for s in CaseStatus.values],
        "procedures": [(p, row.procedures[p], links["procedures"][p]) for p in Procedure.values],
    }


def _figure(name: str, value: Any, url: str) -> SafeString:
    return format_html(
        '<td class="num"><a class="figure" data-figure="{}" href="{}">{}</a></td>',
        name,
        url,
        value,
    )


def _join(parts: Any, separator: str = "") -> SafeString:
    """Safe strings joined (each already escaped by ``format_html``)."""
    return format_html_join(separator, "{}", ((part,) for part in parts))


def _rate(name: str, value: Any, url: str) -> SafeString:
    """A rate, linking to the cases its numerator counts; "—" (no link) when nothing
    was decided."""
    if value is None:
        return format_html('<td class="num rate">{}</td>', "—")
    return format_html(
        '<td class="num rate"><a class="figure" data-figure="{}" href="{}">{}</a></td>',
        name,
        url,
        value,
    )


def _organ_rows(organs: list[tuple[Row, dict[str, Any], Any]]) -> dict[str, SafeString]:
    """The organs' rows of the four tables (cases by status, by procedure; warnings,
    decisions and fines; complaints), each cell a figure linking to its list. Built here
    rather than in the template: a province's page has about 2,700 of them, and the
    template engine's per-variable work took half of the page's time. Numbers as they
    are (the page does not localize them either)."""
    tables: dict[str, list[SafeString]] = {
        "status": [],
        "procedure": [],
        "main": [],
        "complaints": [],
    }
    for row, links, cells in organs:
        name = format_html('<th scope="row">{}</th>', row.name)
        tables["status"].append(
            format_html(
                "<tr>{}{}{}</tr>",
                name,
                _join(_figure(f"status-{s}", n, url) for s, n, url in cells["statuses"]),
                _figure("cases", row.cases, links["cases"]),
            )
        )
        tables["procedure"].append(
            format_html(
                "<tr>{}{}</tr>",
                name,
                _join(_figure(f"procedure-{p}", n, url) for p, n, url in cells["procedures"]),
            )
        )
        main = [
            _figure("red", row.red, links["red"]),
            _figure("yellow", row.yellow, links["yellow"]),
            _figure("decided", row.decided, links["decided"]),
            _figure("reviewed", row.reviewed, links["reviewed"]),
            _rate("review_rate", row.review_rate, links["reviewed"]),
            _figure("heard", row.heard, links["heard"]),
            _rate("hearing_rate", row.hearing_rate, links["heard"]),
            _figure("fines", row.fines, links["fines"]),
            _figure("collected", row.collected, links["collected"]),
        ]
        tables["main"].append(
            format_html('<tr data-organ="{}">{}{}</tr>', row.key, name, _join(main, "\n"))
        )
        complaints = [
            _figure("complaints", row.complaints, links["complaints"]),
            _figure("ack_overdue", row.ack_overdue, links["ack_overdue"]),
            _figure("disputed", row.disputed, links["disputed"]),
        ]
        tables["complaints"].append(format_html("<tr>{}{}</tr>", name, _join(complaints, "\n")))
    return {k: _join(v) for k, v in tables.items()}


def _chart_data(
    board: Dashboard, organ_links: list[dict[str, Any]], total_links: dict[str, Any]
) -> dict[str, Any]:
    """What the charts draw (the data island): labels, values and the link of each."""
    return {
        "statuses": [
            {
                "label": str(label),
                "value": board.total.statuses[s],
                "url": total_links["statuses"][s],
            }
            for s, label in CaseStatus.choices
        ],
        "organs": [r.name for r in board.organs],
        "warnings": {
            "red": [
                {"value": r.red, "url": links["red"]}
                for r, links in zip(board.organs, organ_links, strict=True)
            ],
            "yellow": [
                {"value": r.yellow, "url": links["yellow"]}
                for r, links in zip(board.organs, organ_links, strict=True)
            ],
        },
        "money": {
            "fines": [
                {"value": float(r.fines), "url": links["fines"]}
                for r, links in zip(board.organs, organ_links, strict=True)
            ],
            "collected": [
                {"value": float(r.collected), "url": links["collected"]}
                for r, links in zip(board.organs, organ_links, strict=True)
            ],
        },
        "trend": {
            "days": [d.isoformat() for d, _red, _yellow in board.trend],
            "red": [red for _d, red, _yellow in board.trend],
            "yellow": [yellow for _d, _red, yellow in board.trend],
        },
        "labels": {
            "red": _("red"),
            "yellow": _("yellow"),
            "fines": _("Fines decided (yuan)"),
            "collected": _("Collected (yuan)"),
            "cases": _("Cases"),
        },
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _allowed(user)
    year, error = _year(request)
    today = timezone.localdate()
    board = figures.dashboard(user, year, today)
    token = _PATHS.set({})
    try:
        return _page(request, board, year, today, error)
    finally:
        _PATHS.reset(token)


def _page(
    request: HttpRequest, board: Dashboard, year: int, today: Any, error: str
) -> HttpResponse:
    user: Any = request.user
    organ_links = _organ_links(board.organs, year)
    total_links = _links(year, None)
    codes = dict(
        region_model()
        .objects.filter(path__in=[r.key for r in board.regions])
        .values_list("path", "code")
    )
    region_links = [_links(year, None, codes.get(str(r.key))) for r in board.regions]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": board,
            "year": year,
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 9) - 1, -1)),
            "error": error,
            "organ_rows": _organ_rows(
                [
                    (row, links, _cells(row, links))
                    for row, links in zip(board.organs, organ_links, strict=True)
                ]
            ),
            "total_links": total_links,
            "regions": list(zip(board.regions, region_links, strict=True)),
            "total_cells": _cells(board.total, total_links),
            "statuses": CaseStatus.choices,
            "procedures": Procedure.choices,
            "chart_data": _chart_data(board, organ_links, total_links),
            "xlsx_url": _url("dashboard:xlsx", year=year),
            "regional": user.role == Role.SUPERVISOR,
        },
        status=400 if error else 200,
    )


#: The columns of the Excel sheets: (header, how to read a row).
def _columns() -> list[tuple[str, Any]]:
    columns: list[tuple[str, Any]] = [(_("Cases"), lambda r: r.cases)]
    columns += [(str(label), lambda r, s=s: r.statuses[s]) for s, label in CaseStatus.choices]
    columns += [(str(label), lambda r, p=p: r.procedures[p]) for p, label in Procedure.choices]
    columns += [
        (_("Warnings: red"), lambda r: r.red),
        (_("Warnings: yellow"), lambda r: r.yellow),
        (_("Decided in the year"), lambda r: r.decided),
        (_("With legal review"), lambda r: r.reviewed),
        (_("Legal review rate (%)"), lambda r: r.review_rate),
        (_("With a hearing"), lambda r: r.heard),
        (_("Hearing rate (%)"), lambda r: r.hearing_rate),
        (_("Decisions with a fine"), lambda r: r.fine_decisions),
        (_("Fines decided (yuan)"), lambda r: r.fines),
        (_("Payments"), lambda r: r.payments),
        (_("Collected (yuan)"), lambda r: r.collected),
        (_("Complaints received"), lambda r: r.complaints),
        (_("Acceptance overdue"), lambda r: r.ack_overdue),
        (_("Disputed"), lambda r: r.disputed),
    ]
    return columns


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as an Excel workbook: organs, regions, the trend."""
    from openpyxl import Workbook

    user: Any = request.user
    _allowed(user)
    year, error = _year(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    board = figures.dashboard(user, year, timezone.localdate())
    columns = _columns()
    book = Workbook()
    organs = book.active
    organs.title = _("Organs")
    organs.append([_("Organ"), _("Region"), *(h for h, _read in columns)])
    for row in board.organs:
        names = [formula_safe(row.name), formula_safe(row.region)]
        organs.append([*names, *(_cell(read(row)) for _h, read in columns)])
    organs.append([_("Total"), "", *(_cell(read(board.total)) for _h, read in columns)])
    regions = book.create_sheet(_("Regions"))
    regions.append([_("Region"), *(h for h, _read in columns)])
    for row in board.regions:
        regions.append([formula_safe(row.name), *(_cell(read(row)) for _h, read in columns)])
    trend = book.create_sheet(_("Warning trend"))
    trend.append([_("Day"), _("Warnings: red"), _("Warnings: yellow")])
    for day, red, yellow in board.trend:
        trend.append([day, red, yellow])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{year}.xlsx"'
    return response


def _cell(value: Any) -> Any:
    """Money and rates as numbers (Excel sums them); no rate as an empty cell."""
    return None if value is None else value


#: The decisions the fines list shows per page.
FINES_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "HEAD"])
def fines(request: HttpRequest) -> HttpResponse:
    """The penalty decisions with a fine dated in the year that the dashboard's "fines
    decided" counts (``statistics.queries.decision_rows``, as the annual statistics
    count them), of the viewer's organs — narrowed to one organ (``organ``) or the
    organs of a region itself (``region``, a code; as the dashboard's region rows count,
    not its subregions'). An organ or region outside the scope: 404."""
    from django.core.paginator import Paginator

    from zhifa.statistics import queries as statistics

    user: Any = request.user
    _allowed(user)
    year, error = _year(request)
    organs = visible_organs(user)
    owner = ""
    raw_organ, code = request.GET.get("organ", ""), request.GET.get("region", "")
    if raw_organ:
        organ_pk = parse_id(raw_organ)
        organ = organs.filter(pk=organ_pk).first() if organ_pk is not None else None
        if organ is None:
            raise Http404
        organs, owner = organs.filter(pk=organ.pk), organ.name
    elif code:
        region = None
        if len(code) <= 12 and code.isascii() and code.isdigit():
            region = visible_regions(user).filter(code=code).first()
        if region is None:
            raise Http404
        organs, owner = organs.filter(region=region), region.name
    rows = [r for r in statistics.decision_rows(organs, year) if r.fine is not None]
    names = dict(organs.values_list("pk", "name"))
    page = Paginator(rows, FINES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/fines.html",
        {
            "year": year,
            "error": error,
            "owner": owner,
            "page": page,
            "rows": [(r, names.get(r.organ_id, "")) for r in page.object_list],
            "count": len(rows),
            "total": sum((r.fine for r in rows if r.fine is not None), figures.money(0)),
            "back": _url("dashboard:dashboard", year=year),
        },
        status=400 if error else 200,
    )

"""The statistics pages.

Public (no login; only published snapshots, never a party's data): a year's organs and
regions, an organ's and a region's published figures with their chart, and the list
behind every figure. Staff (login, scope): an organ's running figures of any year, its
publication status and the publish action; a supervisor's view of their organs'
publication status (GB118-annual-report)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.roles import ORGAN_ROLES
from zhifa.core.scope import visible_organs, visible_regions
from zhifa.core.validation import parse_id
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import statistics as rules
from zhifa.rules.engine.statistics import ANNUAL_REPORT, ANNUAL_STATS

from . import policy, published, queries, services
from .chart import bar_chart
from .labels import CATEGORY_LABELS, LIST_LABELS, NOT_RECORDED_LABELS, STATUS_LABELS
from .models import Publication

PAGE_SIZE = 50


def _check_year(year: int) -> None:
    if not policy.FIRST_YEAR <= year <= policy.LAST_YEAR:
        raise Http404


def _check_key(key: str) -> None:
    if key not in queries.LIST_KEYS:
        raise Http404


def _version(request: HttpRequest) -> int | None:
    """``?version=N`` (a positive number), else the latest; a bad value is a 404 of
    the version it names."""
    raw = request.GET.get("version")
    if raw is None or raw == "":
        return None
    found = parse_id(raw, canonical=True)
    if found is None:
        raise Http404
    return found


def _figure_rows(figures: queries.Figures, link: Any) -> dict[str, Any]:
    """What the figures template shows: each figure with its label and list link."""
    counts = figures.counts()
    categories = [
        {
            "key": key,
            "label": CATEGORY_LABELS[key],
            "value": counts[key],
            # The format has no type for the other penalties laws prescribe: shown as
            # not recorded unless a decision without a named type was counted there.
            "not_recorded": key == "other" and counts[key] == 0,
            "url": link(key),
        }
        for key in rules.DISPLAY_ORDER
    ]
    chart = bar_chart(
        [(str(c["label"]), c["value"], c["url"]) for c in categories if not c["not_recorded"]]
    )
    return {
        "figures": figures,
        "categories": categories,
        "chart": chart,
        "total_url": link("penalty"),
        "fines_url": link("fines"),
        "confiscations_url": link("confiscations"),
        "coercion": [
            {"key": key, "label": LIST_LABELS[key], "value": counts[key], "url": link(key)}
            for key in ("seizures", "court_applications", "preservations")
        ],
        "not_recorded": [str(label) for label in NOT_RECORDED_LABELS.values()],
        "stats_rule": ANNUAL_STATS,
    }


def _page_of(request: HttpRequest, ids: list[int]) -> tuple[Any, list[queries.Listed]]:
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, queries.rows_of(page.object_list)


def _list_rows(rows: list[queries.Listed]) -> list[dict[str, Any]]:
    names = published.organ_names(r.organ_id for r in rows)
    return [
        {
            "number": r.number,
            "organ": names.get(r.organ_id, ""),
            "day": r.day,
            "kind": LIST_LABELS.get(r.kind, r.kind),
            "fine": r.fine,
            "confiscation": r.confiscation,
            "case_id": r.case_id,
        }
        for r in rows
    ]


# --- public ------------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    """The statistics of last year (the year organs publish now)."""
    return redirect("statistics:year", year=rules.report_year(timezone.localdate()))


def public_year(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    today = timezone.localdate()
    statuses = published.statuses(policy.statistical_organs().filter(active=True), year, today)
    regions = Region.objects.filter(pk__in={s.organ.region_id for s in statuses}).order_by("code")
    years = sorted(set(published.published_years()) | {rules.report_year(today)}, reverse=True)
    return render(
        request,
        "statistics/public_year.html",
        {
            "year": year,
            "years": years,
            "statuses": [(s, STATUS_LABELS[s.status]) for s in statuses],
            "regions": regions,
            "report_rule": ANNUAL_REPORT,
        },
    )


def _digest_holds(publication: Publication) -> bool:
    return bool(
        services.snapshot_digest(publication.figures, publication.lists) == publication.digest
    )


def public_organ(request: HttpRequest, year: int, organ_id: int) -> HttpResponse:
    _check_year(year)
    publication = published.organ_publication(organ_id, year, _version(request))
    version = publication.version
    latest = published.versions(organ_id, year)

    def link(key: str) -> str:
        url = reverse("statistics:organ_list", args=[year, organ_id, key])
        return url if version == latest[-1].version else f"{url}?version={version}"

    context = _figure_rows(queries.Figures.from_json(publication.figures), link)
    context.update(
        {
            "year": year,
            "organ": publication.organ,
            "publication": publication,
            "versions": latest,
            "is_latest": version == latest[-1].version,
            "digest_holds": _digest_holds(publication),
        }
    )
    return render(request, "statistics/public_organ.html", context)


def _region(code: str) -> Region:
    if not code.isdigit() or len(code) > 9:
        raise Http404
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def public_region(request: HttpRequest, year: int, code: str) -> HttpResponse:
    _check_year(year)
    region = _region(code)
    figures, publications = published.region_figures(region, year)
    today = timezone.localdate()
    statuses = published.statuses(published.region_organs(region).filter(active=True), year, today)

    def link(key: str) -> str:
        return reverse("statistics:region_list", args=[year, code, key])

    context = _figure_rows(figures, link)
    context.update(
        {
            "year": year,
            "region": region,
            "publications": publications,
            "statuses": [(s, STATUS_LABELS[s.status]) for s in statuses],
        }
    )
    return render(request, "statistics/public_region.html", context)


def public_organ_list(request: HttpRequest, year: int, organ_id: int, key: str) -> HttpResponse:
    _check_year(year)
    _check_key(key)
    publication = published.organ_publication(organ_id, year, _version(request))
    page, rows = _page_of(request, list(publication.lists.get(key, [])))
    return render(
        request,
        "statistics/public_list.html",
        {
            "year": year,
            "title": LIST_LABELS[key],
            "owner": publication.organ.name,
            "back": reverse("statistics:organ", args=[year, organ_id]),
            "publication": publication,
            "page": page,
            "rows": _list_rows(rows),
            "count": page.paginator.count,
        },
    )


def public_region_list(request: HttpRequest, year: int, code: str, key: str) -> HttpResponse:
    _check_year(year)
    _check_key(key)
    region = _region(code)
    page, rows = _page_of(request, published.region_list(region, year, key))
    return render(
        request,
        "statistics/public_list.html",
        {
            "year": year,
            "title": LIST_LABELS[key],
            "owner": region.name,
            "back": reverse("statistics:region", args=[year, code]),
            "page": page,
            "rows": _list_rows(rows),
            "count": page.paginator.count,
        },
    )


# --- staff -------------------------------------------------------------------------------


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """An organ's user: their organ's running figures of this year. A supervisor or an
    administrator: the publication status of last year's statistics of their organs."""
    user: Any = request.user
    today = timezone.localdate()
    if user.role in ORGAN_ROLES and user.organ_id:
        return staff_organ(request, user.organ_id, today.year)
    year = rules.report_year(today)
    organs: QuerySet[EnforcementSubject] = policy.statistical_organs().filter(
        pk__in=visible_organs(user).values("pk"), active=True
    )
    statuses = published.statuses(organs, year, today)
    return render(
        request,
        "statistics/staff_home.html",
        {
            "year": year,
            "statuses": [(s, STATUS_LABELS[s.status]) for s in statuses],
            "overdue": sum(1 for s in statuses if s.status == "overdue"),
            "regions": visible_regions(user).filter(level__in=["province", "city", "county"])[:50],
            "report_rule": ANNUAL_REPORT,
        },
    )


@login_required
def staff_organ(request: HttpRequest, organ_id: int, year: int) -> HttpResponse:
    _check_year(year)
    organ = policy.organ_in_scope(request.user, organ_id)
    today = timezone.localdate()
    organs = EnforcementSubject.objects.filter(pk=organ.pk)

    def link(key: str) -> str:
        return reverse("statistics:staff_list", args=[organ.pk, year, key])

    context = _figure_rows(queries.figures_of(organs, year), link)
    report_year = rules.report_year(today)
    versions = published.versions(organ.pk, year)
    report_versions = versions if year == report_year else published.versions(organ.pk, report_year)
    deadline = rules.annual_report_deadline(
        report_year,
        database_calendar(),
        report_versions[0].published_on if report_versions else None,
    )
    refusal = policy.publish_refusal(request.user, organ)
    context.update(
        {
            "year": year,
            "today": today,
            "organ": organ,
            "running": year >= today.year,
            "versions": versions,
            "report_year": report_year,
            "deadline": deadline,
            "deadline_status": deadline.status(today),
            "deadline_label": STATUS_LABELS[deadline.status(today)],
            "report_rule": ANNUAL_REPORT,
            "may_publish": refusal is None and year < today.year,
            "publish_refusal": refusal,
            "years": list(range(today.year, max(today.year - 6, policy.FIRST_YEAR - 1), -1)),
        }
    )
    return render(request, "statistics/staff_organ.html", context)


@login_required
def staff_list(request: HttpRequest, organ_id: int, year: int, key: str) -> HttpResponse:
    _check_year(year)
    _check_key(key)
    organ = policy.organ_in_scope(request.user, organ_id)
    lists = queries.lists_of(EnforcementSubject.objects.filter(pk=organ.pk), year)
    page, rows = _page_of(request, lists[key])
    return render(
        request,
        "statistics/staff_list.html",
        {
            "year": year,
            "title": LIST_LABELS[key],
            "owner": organ.name,
            "back": reverse("statistics:staff_organ", args=[organ.pk, year]),
            "page": page,
            "rows": _list_rows(rows),
            "count": page.paginator.count,
        },
    )


@login_required
@require_POST
def staff_publish(request: HttpRequest, organ_id: int, year: int) -> HttpResponse:
    organ = policy.organ_in_scope(request.user, organ_id)
    try:
        publication = services.publish(
            organ, year, actor=request.user, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
        return redirect("statistics:staff_organ", organ_id=organ.pk, year=year)
    messages.success(
        request,
        _("The statistics of %(year)s were published (version %(version)s).")
        % {"year": year, "version": publication.version},
    )
    return redirect("statistics:staff_organ", organ_id=organ.pk, year=year)

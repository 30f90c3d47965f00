"""Reading the published statistics (the snapshots): what the public pages and the API
show. Nothing here reads the cases, except ``queries.rows_of`` for the page of a list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from zhifa.core.validation import DB_MAX_ID
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import statistics as rules

from . import policy, queries
from .models import Publication


def current(queryset: QuerySet[Publication] | None = None) -> QuerySet[Publication]:
    """The latest version of each organ's publication of each year."""
    base = Publication.objects.all() if queryset is None else queryset
    newer = Publication.objects.filter(
        organ=OuterRef("organ"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    return base.filter(~Exists(newer))


def organ_publication(organ_id: int, year: int, version: int | None = None) -> Publication:
    """The organ's publication of ``year`` (the latest, or ``version``); 404 when it
    has none — or when ``organ_id`` (from the URL) is beyond any database id."""
    if not 1 <= organ_id <= DB_MAX_ID:
        raise Http404
    found = Publication.objects.filter(organ_id=organ_id, year=year).select_related("organ__region")
    found = found.filter(version=version) if version is not None else current(found)
    publication = found.first()
    if publication is None:
        raise Http404
    return publication


def versions(organ_id: int, year: int) -> list[Publication]:
    return list(
        Publication.objects.filter(organ_id=organ_id, year=year)
        .order_by("version")
        .only("pk", "organ_id", "year", "version", "reason", "published_on", "digest")
    )


def region_organs(region: Region) -> QuerySet[EnforcementSubject]:
    """The organs of a region and every region below it (a region includes its
    organs)."""
    return policy.statistical_organs().filter(region__path__startswith=region.path)


@dataclass
class OrganStatus:
    """An organ's publication of a year: published (and when), or not, with the
    GB118-annual-report deadline's status as of today."""

    organ: EnforcementSubject
    publication: Publication | None
    first_published_on: dt.date | None
    due: dt.date
    status: str  # met | missed | open | overdue
    unscheduled: tuple[int, ...]


def statuses(organs: QuerySet[EnforcementSubject], year: int, today: dt.date) -> list[OrganStatus]:
    """Each organ's publication status for ``year`` (three queries, the calendar's
    included)."""
    organ_list = list(organs.select_related("region").order_by("region__code", "name"))
    latest = {
        p.organ_id: p
        for p in current(Publication.objects.filter(year=year, organ__in=organ_list)).only(
            "pk", "organ_id", "year", "version", "published_on", "figures"
        )
    }
    first = dict(
        Publication.objects.filter(year=year, organ__in=organ_list, version=1).values_list(
            "organ_id", "published_on"
        )
    )
    calendar = database_calendar()
    result = []
    for organ in organ_list:
        item = rules.annual_report_deadline(year, calendar, first.get(organ.pk))
        result.append(
            OrganStatus(
                organ,
                latest.get(organ.pk),
                first.get(organ.pk),
                item.due.due,
                item.status(today),
                item.due.unscheduled_years,
            )
        )
    return result


def region_figures(region: Region, year: int) -> tuple[queries.Figures, list[Publication]]:
    """The sum of the published figures of the region's organs for ``year`` and the
    publications it sums (the organs that have not published are not in it)."""
    publications = list(
        current(Publication.objects.filter(year=year, organ__in=region_organs(region)))
        .select_related("organ")
        .only("pk", "organ", "year", "version", "figures", "published_on")
        .order_by("organ__region__code", "organ__name")
    )
    return (
        queries.total((queries.Figures.from_json(p.figures) for p in publications), year),
        publications,
    )


def region_list(region: Region, year: int, key: str) -> list[int]:
    """The step IDs of list ``key`` over the region's current publications."""
    ids: list[int] = []
    for lists in (
        current(Publication.objects.filter(year=year, organ__in=region_organs(region)))
        .order_by("organ__region__code", "organ__name")
        .values_list("lists", flat=True)
    ):
        ids.extend(lists.get(key, []))
    return ids


def published_years() -> list[int]:
    return list(Publication.objects.order_by("-year").values_list("year", flat=True).distinct())


def organ_names(organ_ids: Any) -> dict[int, str]:
    return dict(EnforcementSubject.objects.filter(pk__in=set(organ_ids)).values_list("pk", "name"))

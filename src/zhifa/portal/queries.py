"""What the portal reads, and only that: the public organs, their ex-ante data, when
each page last changed, and the power list as it stood on a day.

Only public data leaves this module: an officer is read as name, organ, enforcement
fields and certificate (number, term, status) — never the ID number or any other field
of the registry (``Officer`` is read with ``only``). Every list is read in a fixed
number of queries, whatever its length.

History (JL-power-list-update): a power item is edited in place (one row per code),
but every change is in the organ's record chain (``power_item.create`` with the values,
``power_item.update`` with the old and new value of each changed field). The list as
it stood on a day is the items of today with the changes recorded after that day
undone; an item created after that day was not on it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from zhifa.catalogue.models import (
    THREE_LISTS,
    Article,
    DiscretionBenchmark,
    PowerItem,
)
from zhifa.records.models import Entry
from zhifa.registry.models import (
    ENFORCING_TYPES,
    Certificate,
    EnforcementSubject,
    Entrustment,
    OfficerKind,
    Region,
)

#: The record actions whose entries change what a page publishes (by page).
SUBJECT_ACTIONS = ("subject.",)
OFFICER_ACTIONS = (
    "officer.create",
    "officer.update",
    "officer.transfer_in",
    "officer.transfer_out",
    "certificate.",
)
ENTRUSTMENT_ACTIONS = ("entrustment.",)
POWER_ACTIONS = ("power_item.create", "power_item.update")
BENCHMARK_ACTIONS = ("benchmark.",)
ORGAN_ACTIONS = (
    *SUBJECT_ACTIONS,
    *OFFICER_ACTIONS,
    *ENTRUSTMENT_ACTIONS,
    *POWER_ACTIONS,
    *BENCHMARK_ACTIONS,
)
POWER_ITEM_TYPE = "catalogue.poweritem"


def public_organs() -> QuerySet[EnforcementSubject]:
    """The organs the portal shows: active subjects that may enforce (statutory,
    authorised, entrusted). Internal units and temporary bodies cannot enforce and
    are not listed."""
    return EnforcementSubject.objects.filter(
        active=True, subject_type__in=[str(t) for t in ENFORCING_TYPES]
    )


def regions_with_organs() -> QuerySet[Region]:
    """The regions where at least one public organ sits, with their count."""
    return (
        Region.objects.filter(
            subjects__active=True,
            subjects__subject_type__in=[str(t) for t in ENFORCING_TYPES],
        )
        .annotate(organ_count=Count("subjects"))
        .order_by("code")
    )


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def last_recorded(
    organ_ids: Iterable[int] | QuerySet[Any], actions: Iterable[str]
) -> dt.datetime | None:
    """When the last recorded change of ``actions`` (prefixes when ending with a dot) in
    the chains of ``organ_ids`` (IDs, or a query of them: a subquery) was made; ``None``
    when none was recorded. One query."""
    wanted = Q()
    for action in actions:
        wanted |= Q(action__startswith=action) if action.endswith(".") else Q(action=action)
    organs = organ_ids if isinstance(organ_ids, QuerySet) else list(organ_ids)
    found = Entry.objects.filter(wanted, organ_id__in=organs).aggregate(last=Max("recorded_at"))
    last: dt.datetime | None = found["last"]
    return last


def latest(*candidates: dt.date | dt.datetime | None) -> dt.date | None:
    """The latest day among ``candidates`` (times are taken as their local day)."""
    days = [
        timezone.localdate(c) if isinstance(c, dt.datetime) else c
        for c in candidates
        if c is not None
    ]
    return max(days, default=None)


# --- officers ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOfficer:
    name: str
    organ: str
    fields: str
    certificate: str
    valid_from: dt.date
    valid_to: dt.date
    status: str


def officers(organ: EnforcementSubject, on: dt.date) -> list[PublicOfficer]:
    """The organ's enforcement officers (not auxiliary staff) with their certificates
    and each certificate's status on ``on``. Two queries; the officer is read with its
    public fields only."""
    certificates = (
        Certificate.objects.filter(
            officer__organ=organ, officer__active=True, officer__kind=OfficerKind.OFFICER
        )
        .select_related("officer")
        .only(
            "number",
            "valid_from",
            "valid_to",
            "status",
            "officer__name",
            "officer__enforcement_fields",
        )
        .prefetch_related("history")
        .order_by("officer__name", "number")
    )
    return [
        PublicOfficer(
            name=c.officer.name,
            organ=organ.name,
            fields=c.officer.enforcement_fields,
            certificate=c.number,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            status=c.status_on(on),
        )
        for c in certificates
    ]


def officer_count(organ: EnforcementSubject) -> int:
    """How many certificates ``officers`` lists for the organ (one query)."""
    return Certificate.objects.filter(
        officer__organ=organ, officer__active=True, officer__kind=OfficerKind.OFFICER
    ).count()


# --- the power list and its history ------------------------------------------------


@dataclass
class PublicPowerItem:
    code: str
    name: str
    category: str
    responsibilities: str
    valid_from: dt.date
    valid_to: dt.date | None
    published_on: dt.date | None
    basis: list[Article] = field(default_factory=list)
    #: Changed after the day the list is read for (only when reading a past day).
    changed_since: bool = False

    @property
    def category_label(self) -> str:
        from zhifa.catalogue.models import PowerCategory

        return str(PowerCategory(self.category).label) if self.category else ""


#: The power item's fields the list publishes, as the record holds them.
_ITEM_FIELDS = (
    "code",
    "name",
    "category",
    "responsibilities",
    "valid_from",
    "valid_to",
    "published",
    "published_on",
)


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _current_values(item: PowerItem) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(item, name) for name in _ITEM_FIELDS}
    values["basis"] = sorted(a.pk for a in item.basis.all())
    return values


def _undo(values: dict[str, Any], changes: dict[str, Any]) -> None:
    for name, change in changes.items():
        if name in values and isinstance(change, dict) and "old" in change:
            values[name] = change["old"]


@dataclass(frozen=True)
class PowerList:
    on: dt.date
    items: list[PublicPowerItem]
    #: The days the published list changed, newest first (never after today).
    change_days: list[dt.date]
    last_changed: dt.date | None


def power_list(organ: EnforcementSubject, on: dt.date, today: dt.date) -> PowerList:
    """The organ's published power list as it stood on ``on`` (items in force and
    published that day, as they read that day), the days it changed and the last one.
    Five queries whatever the length of the list and of its history."""
    items = list(
        PowerItem.objects.filter(subject=organ).prefetch_related("basis__law").order_by("code")
    )
    entries = list(
        Entry.objects.filter(
            organ_id=organ.pk, object_type=POWER_ITEM_TYPE, action__in=POWER_ACTIONS
        )
        .only("action", "object_id", "payload", "recorded_at", "seq")
        .order_by("seq")
    )
    boundary = end_of(on)
    later: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.recorded_at >= boundary:
            later.setdefault(entry.object_id, []).append(entry)
    articles = {a.pk: a for item in items for a in item.basis.all()}
    states: list[tuple[dict[str, Any], bool]] = []
    for item in items:
        values = _current_values(item)
        created_later = False
        undone = later.get(str(item.pk), [])
        for entry in reversed(undone):
            if entry.action == "power_item.create":
                created_later = True
                break
            payload = json.loads(entry.payload)
            _undo(values, payload.get("changes", {}))
        if created_later:
            continue
        states.append((values, bool(undone)))
    missing = {pk for values, _ in states for pk in values["basis"]} - set(articles)
    if missing:
        articles.update(
            (a.pk, a) for a in Article.objects.filter(pk__in=missing).select_related("law")
        )
    listed = []
    for values, changed in states:
        valid_from = _as_date(values["valid_from"])
        valid_to = _as_date(values["valid_to"])
        published_on = _as_date(values["published_on"])
        if not values["published"] or valid_from is None or valid_from > on:
            continue
        if (valid_to is not None and valid_to < on) or (published_on and published_on > on):
            continue
        listed.append(
            PublicPowerItem(
                code=str(values["code"]),
                name=str(values["name"]),
                category=str(values["category"]),
                responsibilities=str(values["responsibilities"] or ""),
                valid_from=valid_from,
                valid_to=valid_to,
                published_on=published_on,
                basis=[articles[pk] for pk in values["basis"] if pk in articles],
                changed_since=changed and on < today,
            )
        )
    listed.sort(key=lambda i: i.code)
    days: set[dt.date] = {timezone.localdate(e.recorded_at) for e in entries}
    for item in items:
        if item.published:
            days.update(d for d in (item.valid_from, item.published_on) if d)
            if item.valid_to:
                days.add(item.valid_to + dt.timedelta(days=1))
    change_days = sorted((d for d in days if d <= today), reverse=True)
    return PowerList(
        on=on,
        items=listed,
        change_days=change_days,
        last_changed=change_days[0] if change_days else None,
    )


def power_count(organ: EnforcementSubject, today: dt.date) -> int:
    """How many items the organ's published power list holds today (one query; today's
    list is the items as they are, no change to undo)."""
    return (
        PowerItem.objects.filter(subject=organ, published=True, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(Q(published_on__isnull=True) | Q(published_on__lte=today))
        .count()
    )


# --- discretion benchmarks and the three lists ---------------------------------------


@dataclass(frozen=True)
class Benchmarks:
    on: dt.date
    benchmarks: list[DiscretionBenchmark]
    #: circumstance → [(benchmark, band)] for the 三张清单.
    three_lists: list[tuple[str, Any, list[tuple[DiscretionBenchmark, Any]]]]
    change_days: list[dt.date]
    last_changed: dt.date | None


def benchmarks(organ: EnforcementSubject, on: dt.date, today: dt.date) -> Benchmarks:
    """The organ's published discretion benchmarks in force on ``on`` (each benchmark
    is versioned by its dates) with their bands, and the 三张清单 made from the bands.
    Three queries."""
    from zhifa.catalogue.models import Circumstance

    rows = list(
        DiscretionBenchmark.objects.filter(power_item__subject=organ, published=True)
        .select_related("power_item", "penalty_article__law")
        .prefetch_related("bands")
        .order_by("power_item__code", "violation", "-valid_from")
    )
    current = [
        b
        for b in rows
        if b.valid_from <= on
        and (b.valid_to is None or on <= b.valid_to)
        and (b.published_on is None or b.published_on <= on)
    ]
    lists = []
    for circumstance in THREE_LISTS:
        entries = [
            (b, band)
            for b in current
            for band in b.bands.all()
            if band.circumstance == circumstance
        ]
        lists.append((str(circumstance), Circumstance(circumstance).label, entries))
    days: set[dt.date] = set()
    for b in rows:
        days.update(d for d in (b.valid_from, b.published_on) if d)
        if b.valid_to:
            days.add(b.valid_to + dt.timedelta(days=1))
    change_days = sorted((d for d in days if d <= today), reverse=True)
    return Benchmarks(
        on=on,
        benchmarks=current,
        three_lists=lists,
        change_days=change_days,
        last_changed=change_days[0] if change_days else None,
    )


# --- entrustments --------------------------------------------------------------------


def entrustments(organ: EnforcementSubject) -> list[Entrustment]:
    """The published entrustments the organ gave or received, with their power items.
    Two queries."""
    return list(
        Entrustment.objects.filter(Q(entrusting_organ=organ) | Q(entrusted=organ), published=True)
        .select_related("entrusting_organ", "entrusted")
        .prefetch_related("power_items")
        .order_by("-valid_from", "pk")
    )

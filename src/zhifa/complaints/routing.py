"""Routing as data (``data/categories.toml``): which unit receives a filing, by its
category and region. The law of the clocks is the engine's
(``zhifa.rules.engine.complaints``); this module only says who receives what."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject, Region

from .models import ComplaintKind

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.toml"


@dataclass(frozen=True)
class Category:
    key: str
    kind: str
    label_zh: str
    label_en: str
    organ_names: tuple[str, ...] = ()
    sector_period: str | None = None

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "").startswith("en") else self.label_zh


@dataclass(frozen=True)
class Route:
    category: str
    region: str
    organ: str


class NoReceivingUnit(LookupError):
    """No unit of the registry receives this filing in this region."""


def load(path: Path = CATEGORIES_FILE) -> tuple[dict[str, Category], tuple[Route, ...]]:
    """Read the data file (raises ValueError naming the entry on bad data)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    categories: dict[str, Category] = {}
    for i, raw in enumerate(data.get("category", [])):
        key = raw.get("key")
        if not isinstance(key, str) or not key or key in categories:
            raise ValueError(f"category[{i}].key: a unique key is needed")
        if raw.get("kind") not in ComplaintKind.values:
            raise ValueError(f"category[{i}].kind: complaint or report")
        categories[key] = Category(
            key,
            raw["kind"],
            str(raw.get("label", key)),
            str(raw.get("label_en", raw.get("label", key))),
            tuple(raw.get("organ_names", ())),
            raw.get("sector_period"),
        )
    routes = []
    for i, raw in enumerate(data.get("route", [])):
        if raw.get("category") not in categories:
            raise ValueError(f"route[{i}].category: not a category")
        routes.append(Route(raw["category"], str(raw["region"]), str(raw["organ"])))
    return categories, tuple(routes)


@functools.cache
def _data() -> tuple[dict[str, Category], tuple[Route, ...]]:
    return load()


def categories() -> dict[str, Category]:
    return _data()[0]


def category_choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in categories().values()]


def category_label(key: str) -> str:
    found = categories().get(key)
    return found.label if found is not None else key


def receiving_unit(category: Category, region: Region) -> EnforcementSubject:
    """The unit that receives a filing of ``category`` in ``region``: a report goes to
    the competent organ (a route of the data, else an organ of the region or the
    nearest one above it whose name says its field), a complaint — and a report no
    organ is found for — to the justice bureau of the region or the nearest above."""
    chain = list(reversed(region.ancestors()))  # the region first, then upwards
    active = EnforcementSubject.objects.filter(active=True, region__in=chain)
    if category.kind == ComplaintKind.REPORT:
        for route in _data()[1]:
            if route.category != category.key:
                continue
            for r in chain:
                if r.code == route.region:
                    found = active.filter(region=r, name=route.organ).first()
                    if found is not None:
                        return found
        if category.organ_names:
            organs = list(active.filter(subject_type__in=ENFORCING_TYPES, is_justice_bureau=False))
            for r in chain:
                for organ in sorted(organs, key=lambda o: o.pk):
                    if organ.region_id == r.pk and any(
                        n in organ.name for n in category.organ_names
                    ):
                        return organ
    bureaus = list(active.filter(is_justice_bureau=True))
    for r in chain:
        for bureau in sorted(bureaus, key=lambda o: o.pk):
            if bureau.region_id == r.pk:
                return bureau
    raise NoReceivingUnit(region.code)

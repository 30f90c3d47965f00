"""The organisation as the infrastructure apps (``core``, ``records``) know it: the
organ and region models named in settings (``ZHIFA_ORGAN_MODEL``,
``ZHIFA_REGION_MODEL``), looked up like ``django.contrib.auth.get_user_model``. So the
scope layer and the record work on the registry's organs and regions without importing
the registry (docs/adr/0010-app-layers.md)."""

from __future__ import annotations

from typing import Any, TypeAlias

from django.apps import apps
from django.conf import settings


def organ_model() -> Any:
    """The organ model (``settings.ZHIFA_ORGAN_MODEL``): has ``region``, ``name``."""
    return apps.get_model(settings.ZHIFA_ORGAN_MODEL, require_ready=False)


def region_model() -> Any:
    """The region model (``settings.ZHIFA_REGION_MODEL``): has a materialised ``path``;
    its manager's queryset has ``subtree(region)``."""
    return apps.get_model(settings.ZHIFA_REGION_MODEL, require_ready=False)


#: Names for the settings-named models in the annotations of the infrastructure apps,
#: which cannot import the domain's classes (``Any`` to the type checker).
Organ: TypeAlias = Any
Region: TypeAlias = Any
User: TypeAlias = Any


def justice_bureau_for(region: Any) -> Any:
    """The active justice bureau (司法局) that keeps the record of changes made at the
    level of ``region`` rather than by one organ (law text, a supervisor's account): the
    region's own, or that of the nearest region above it that has one; for ``None`` (the
    whole platform) the one justice bureau at the highest level. ``None`` when there is
    none above the region (or, for the platform, several tie at the top)."""
    bureaus = organ_model().objects.filter(is_justice_bureau=True, active=True)
    if region is not None:
        while region is not None:
            bureau = bureaus.filter(region=region).order_by("pk").first()
            if bureau is not None:
                return bureau
            region = region.parent
        return None
    found = list(bureaus.select_related("region"))
    if not found:
        return None
    top = min(len(b.region.path) for b in found)
    highest = [b for b in found if len(b.region.path) == top]
    return highest[0] if len(highest) == 1 else None

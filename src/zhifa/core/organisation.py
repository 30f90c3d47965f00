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

"""System checks of the publication log's configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

DEFAULT_ORIGIN = "zhifa.localhost/transparency"


@register("transparency")
def origin_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from .checkpoints import origin

    try:
        origin()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="transparency.E001")]
    return []


@register("transparency", deploy=True)
def origin_named(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "TRANSPARENCY_ORIGIN", "") == DEFAULT_ORIGIN:
        return [
            Warning(
                "The publication log has the development origin "
                f"{DEFAULT_ORIGIN!r}; its checkpoints name no real site.",
                hint="Set ZHIFA_TRANSPARENCY_ORIGIN (e.g. zhifa.example.gov.cn/transparency) "
                "before the first publication, and keep it.",
                id="transparency.W001",
            )
        ]
    return []

"""Template helpers of the public pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_if(name: str, *args: Any) -> str:
    """The URL of ``name``, or "" when no such page is installed: a link to a section
    another app provides is shown only when that app is there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""

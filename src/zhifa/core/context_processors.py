from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import sections_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    return {"nav_sections": [s for s in sections_for(user) if s.url_name]}

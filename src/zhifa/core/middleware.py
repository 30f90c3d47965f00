"""Locale selection: Simplified Chinese unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language header, so an office PC
with an English browser would get the English UI. Zhifa's UI is Chinese by default;
English is a choice made with the language switch (stored in the language cookie).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _name in settings.LANGUAGES}
    return choice if choice in supported else settings.LANGUAGE_CODE


class LocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ApiErrorShapeMiddleware:
    """Error responses under /api/ that did not come from the API's own handlers
    (405 from URL dispatch, CSRF failures, 413 …) get the API's one JSON error shape."""

    CODES = {
        400: "invalid",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        429: "too_many_requests",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from django.http import JsonResponse
            from django.utils.translation import gettext

            from .api import error_body

            status = response.status_code
            code = self.CODES.get(status, "server_error" if status >= 500 else "error")
            message = gettext("The request could not be processed (HTTP %(status)s).") % {
                "status": status
            }
            shaped = JsonResponse(error_body(status, code, message), status=status)
            if "Allow" in response:
                shaped["Allow"] = response["Allow"]
            return shaped
        return response


#: The site's Content-Security-Policy: every page uses its own static files only (no
#: inline script or style, no other origin), is framed by no one and posts its forms
#: only to itself. ``data:`` images: the icons of the API's Swagger UI.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sets ``Content-Security-Policy`` (settings.ZHIFA_CONTENT_SECURITY_POLICY, default
    ``CONTENT_SECURITY_POLICY``) on every response that has none: Django 5.2 has no
    built-in CSP. A page that needs inline script or style breaks under it: move the
    code to a static file (core/static/zhifa/zhifa.js, zhifa.css)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "ZHIFA_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response

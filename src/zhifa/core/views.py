"""Home page, health check and the error pages; the helpers of every app's pages
(filters from the query string, service errors on a form, who may manage)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from ninja import FilterSchema
from pydantic import ValidationError

from .navigation import sections_for
from .scope import visible_organs

F = TypeVar("F", bound=FilterSchema)


def parse_filters(request: HttpRequest, schema: type[F]) -> tuple[F, dict[str, str], list[str]]:
    """The list page's filter from the query string; bad values are reported, not 500."""
    params = {k: v for k, v in request.GET.items() if k in schema.model_fields and v}
    try:
        return schema(**params), params, []
    except ValidationError as exc:
        errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return schema(), params, errors


def apply_service(form: Form, action: Callable[[], Any]) -> Any:
    """Run a service; its validation errors are shown on the form, naming the field."""
    try:
        return action()
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error if target else f"{field}: {error}")
        else:
            form.add_error(None, exc.messages)
        return None


def can_manage(user: Any, roles: tuple[str, ...]) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) in roles)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    organs = visible_organs(user)
    context = {
        "sections": sections_for(user),
        "organ_count": organs.count(),
    }
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def _api_error(request: HttpRequest, status: int, message: str = "") -> JsonResponse | None:
    """Errors under /api/ keep the API's JSON shape even when Django raises them."""
    if not request.path.startswith("/api/"):
        return None
    from .api import error_body

    codes = {400: "invalid", 403: "forbidden", 404: "not_found", 500: "server_error"}
    messages = {
        400: _("The request is not valid."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        500: _("An internal error occurred; it has been logged."),
    }
    return JsonResponse(
        error_body(status, codes[status], message or str(messages[status])), status=status
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 400) or render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 403) or render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the site's 403 page explaining an expired form (Django's own
    page is English and technical); JSON under /api/. The reason is not shown."""
    from .api import csrf_failure_message

    return _api_error(request, 403, csrf_failure_message()) or render(
        request, "403_csrf.html", status=403
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 404) or render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be the problem.
    from django.template import loader

    api_response = _api_error(request, 500)
    if api_response is not None:
        return api_response
    return HttpResponse(loader.get_template("500.html").render({}), status=500)

"""Home page, health check and the error pages; the helpers of every app's pages
(filters from the query string, service errors on a form, who may manage) and the one
generic view of a form that calls one service on one object of the user's scope
(``ScopedFormView``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from ninja import FilterSchema
from pydantic import ValidationError

from .navigation import sections_for
from .scope import require_role, visible_organs

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
        add_errors(form, exc)
        return None


def add_errors(form: Form, exc: DjangoValidationError) -> None:
    """A service's validation errors on the form: each at its field when the form has
    it, the rest at the top, prefixed with the field's name."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error if target else f"{field}: {error}")
    else:
        form.add_error(None, exc.messages)


def can_manage(user: Any, roles: tuple[str, ...]) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) in roles)


class ScopedFormView(View):
    """A form that calls one service on one object of the user's scope — the shape of
    most action pages, declared once. Configured per action by a subclass (an app's
    family of pages: where the object comes from, where the page goes) and the
    arguments of ``as_view`` (the form, the roles, the service, the message)::

        suspend = login_required(CaseFormView.as_view(form_class=SuspendForm, ...))

    A request goes: the object through the scope layer (``get_object``: outside the
    scope, 404) and the role (``roles``: 403) — in that order, or the role first
    (``role_first``); the policy (``check``: raises 404 or 403); on GET the unbound
    form (``initial``) on the page (``render_page``, 200); on POST the bound form and,
    when valid, ``service(obj, user, form)``: its ``ValidationError`` goes on the form
    (``show_errors``) and ``invalid`` answers (the page again, 400 unless
    ``invalid_status`` says otherwise); success adds ``success_message`` and redirects
    to ``success_url``. Only the methods of ``http_method_names`` are answered (405)."""

    http_method_names = ["post"]
    #: The roles that may use the form (none: the policy of ``check`` decides).
    roles: Collection[str] = ()
    #: Check the role before loading the object (a 403 before a 404).
    role_first = False
    form_class: type[Form] = Form
    #: The one service the form calls: ``service(obj, user, form)``.
    service: Callable[[Any, Any, Any], Any] | None = None
    #: The message after success (``success_message`` may compute it).
    message = ""
    template_name = ""
    invalid_status = 400

    def get_object(self) -> Any:
        """The object, read through the scope layer (outside the scope: ``Http404``)."""
        raise NotImplementedError

    def check(self, obj: Any) -> None:
        """The policy: raise ``Http404`` or ``PermissionDenied`` to refuse."""

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def get_form(self, obj: Any, data: Mapping[str, Any] | None) -> Form:
        if data is None:
            return self.form_class(initial=self.initial(obj), **self.form_kwargs(obj))
        return self.form_class(data, **self.form_kwargs(obj))

    def show_errors(self, form: Form, exc: DjangoValidationError) -> None:
        add_errors(form, exc)

    def success_message(self, obj: Any, result: Any) -> str:
        return str(self.message)

    def success_level(self, obj: Any, result: Any) -> int:
        """The level of the message after success (``messages.WARNING`` when the act
        was recorded with warnings the user must see)."""
        return messages.SUCCESS

    def success_url(self, obj: Any, result: Any) -> str:
        raise NotImplementedError

    def context(self, obj: Any, form: Form) -> dict[str, Any]:
        return {"form": form}

    def render_page(self, obj: Any, form: Form, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, self.context(obj, form), status=status)

    def invalid(self, obj: Any, form: Form) -> HttpResponse:
        return self.render_page(obj, form, self.invalid_status)

    def load(self) -> Any:
        user = self.request.user
        if self.role_first and self.roles:
            require_role(user, *self.roles)
        obj = self.get_object()
        if not self.role_first and self.roles:
            require_role(user, *self.roles)
        self.check(obj)
        return obj

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.load()
        return self.render_page(obj, self.get_form(obj, None))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.load()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            assert self.service is not None, "a ScopedFormView names its service"
            try:
                result = self.service(obj, request.user, form)
            except DjangoValidationError as exc:
                self.show_errors(form, exc)
            else:
                text = self.success_message(obj, result)
                if text:
                    messages.add_message(request, self.success_level(obj, result), text)
                return redirect(self.success_url(obj, result))
        return self.invalid(obj, form)


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


# --- the administrator's page of background work ------------------------------------------


def _staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in active staff (the platform's administrators, superusers) only: others
    are sent to sign in (anonymous) or refused (403)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _task_status_labels() -> dict[str, str]:
    from django_tasks import TaskResultStatus

    return {
        TaskResultStatus.READY: str(pgettext_lazy("task", "waiting")),
        TaskResultStatus.RUNNING: str(pgettext_lazy("task", "running")),
        TaskResultStatus.SUCCESSFUL: str(pgettext_lazy("task", "succeeded")),
        TaskResultStatus.FAILED: str(pgettext_lazy("task", "failed")),
    }


@_staff_only
@require_GET
def background_page(request: HttpRequest) -> HttpResponse:
    """Every periodic job with its last run, last success, failures and next slot; the
    other tasks' recent results; "run now" (``background``)."""
    from django.contrib import admin

    from . import background

    return render(
        request,
        "core/background.html",
        {
            **admin.site.each_context(request),
            "is_nav_sidebar_enabled": False,
            "title": _("Background work"),
            "state": background.background(),
            "status_labels": _task_status_labels(),
        },
    )


@_staff_only
@require_POST
def background_run(request: HttpRequest, job: str) -> HttpResponse:
    """Enqueue a job now (not twice while one waits)."""
    from . import background

    found = background.job_named(job)
    if found is None:
        raise Http404
    result, enqueued = background.run_now(found, request.user)
    if enqueued:
        messages.success(
            request, _("%(job)s was enqueued; a worker runs it next.") % {"job": found.name}
        )
    else:
        messages.warning(
            request,
            _("%(job)s already waits for a worker (enqueued %(when)s): not enqueued again.")
            % {
                "job": found.name,
                "when": timezone.localtime(result.enqueued_at).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
    return redirect("core:background")

"""The JSON API at /api/v1/ (django-ninja), its OpenAPI document, and the one error
shape every endpoint returns::

    {"status": 400, "code": "invalid", "message": "…",
     "errors": [{"path": "body.code", "message": "…"}]}
"""

from __future__ import annotations

import logging
import os
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from . import api_messages

logger = logging.getLogger(__name__)


class FieldError(Schema):
    path: str
    message: str


class ErrorOut(Schema):
    status: int
    code: str
    message: str
    errors: list[FieldError] = []


def error_body(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "errors": errors or []}


def _path(loc: Any) -> str:
    """``body.<field>…`` for a body field, whichever name the endpoint gives its body
    parameter (django-ninja puts it second), so that schema errors and the services'
    field errors (``on_django_validation_error``) name a field the same way."""
    parts = [str(p) for p in (loc or [])]
    if len(parts) >= 2 and parts[0] == "body":
        del parts[1]
    return ".".join(parts)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zf_…``: a personal API token acting as its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The accounts app answers (settings.ZHIFA_API_TOKEN_AUTHENTICATOR): core imports
        # no domain app.
        user = import_string(settings.ZHIFA_API_TOKEN_AUTHENTICATOR)(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(Exception):
    """A session-authenticated unsafe request without a valid CSRF token."""


class SessionAuth(NinjaSessionAuth):
    """The session cookie of a logged-in user, with Django's CSRF check for unsafe
    methods (named like django-ninja's class: the name is the OpenAPI security scheme's).

    Authentication is decided first: a request without a logged-in session (and without
    a Bearer token, tried before) is unauthenticated (401) and never reaches the CSRF
    check, which only protects what a session may do; a logged-in session without a
    valid token is refused with the API's error shape (403 ``forbidden``, a message
    saying what is missing) instead of django-ninja's English "CSRF check Failed"."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)


#: How the OpenAPI document describes the 400 of an operation that takes input.
BAD_INPUT_DESCRIPTION = (
    "Bad input (`code` `invalid`): `errors` names each field (`body.…`, `query.…`, "
    "`path.…`, `form.…`) and says what is wrong with it: a missing or mistyped value, "
    "an id or offset past the database's range (1 to 2^63-1), null where the field "
    "takes none, text with NUL, other control characters than tab and newline, or "
    "lone surrogates."
)

#: The API's error responses, each in the shape of ``ErrorOut``: the one mapping from
#: which the OpenAPI document describes them. ``ZhifaAPI`` lists 400, 401, 403 and 404 on
#: every operation they can answer (see its docstring); an operation that answers
#: another one (409, 422) declares it in its ``response=`` (``error_responses(409)``).
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: BAD_INPUT_DESCRIPTION,
    401: (
        "Not authenticated (`code` `unauthenticated`): no valid API token "
        "(`Authorization: Bearer zf_…`) and no logged-in session."
    ),
    403: (
        "Forbidden (`code` `forbidden`): your role or scope does not allow this, or a "
        "session-authenticated unsafe request lacks its CSRF token."
    ),
    404: (
        "Not found (`code` `not_found`): no such object in your scope, named in the path "
        "or, where an operation lists it without a path parameter, by an id in the body "
        "(objects outside your scope are answered as if they did not exist)."
    ),
    409: (
        "Conflict (`code` `conflict`): the object changed since you read it "
        "(e.g. `expected_steps` no longer matches), or its state does not allow this now."
    ),
    422: (
        "Refused by the rules (`code` `rule_violation`): `errors` lists the findings "
        "that forbid the step, each with its `path` and `message`."
    ),
}

_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """``response=`` entries for error statuses an operation answers beyond those every
    operation lists (``{201: X, **error_responses(409)}``)."""
    unknown = set(statuses) - set(ERROR_DESCRIPTIONS)
    if unknown:
        raise ValueError(f"Undescribed error status(es): {sorted(unknown)}")
    return dict.fromkeys(statuses, ErrorOut)


#: The OpenAPI links of the document (a client, or schemathesis's stateful phase, follows
#: them from one call to the next): for each path parameter, the operations whose success
#: response gives a value for it (``"METHOD /path"`` under the API's root) and where in
#: that response's body it is (a JSON pointer). Every operation that takes the parameter in
#: its path gets a link from each of them; an operation taking several (the record's
#: timeline of an object) gets the ones the producer gives. ``add_links`` refuses an
#: operation or a first pointer segment the document does not have.
API_LINKS: dict[str, dict[str, str]] = {
    "case_pk": {
        "POST /cases": "/id",
        "GET /cases": "/items/0/id",
        "GET /review/requests/{request_id}": "/case",
    },
    "law_id": {"POST /laws": "/id", "GET /laws": "/items/0/id"},
    "complaint_id": {"GET /complaints": "/items/0/id"},
    "article_id": {
        "POST /laws/{law_id}/articles": "/id",
        "GET /laws/{law_id}": "/articles/0/id",
    },
    "officer_id": {"POST /officers": "/id", "GET /officers": "/items/0/id"},
    "document_id": {"POST /cases/{case_pk}/documents": "/id"},
    "certificate_id": {
        "POST /officers/{officer_id}/certificates": "/id",
        "GET /officers/{officer_id}": "/certificates/0/id",
    },
    "organ_id": {
        "POST /organs": "/id",
        "GET /organs": "/items/0/id",
        "GET /me": "/organ_id",
        "GET /officers/{officer_id}": "/organ_id",
    },
    "item_id": {
        "POST /power-items": "/id",
        "GET /power-items": "/items/0/id",
        "POST /benchmarks": "/power_item_id",
        "GET /benchmarks/{benchmark_id}": "/power_item_id",
    },
    "benchmark_id": {
        "POST /benchmarks": "/id",
        "GET /benchmarks": "/items/0/id",
        "GET /power-items/{item_id}/band": "/benchmark_id",
    },
    "entrustment_id": {"POST /entrustments": "/id", "GET /entrustments": "/items/0/id"},
    "request_id": {"POST /review/requests": "/id", "GET /review/requests": "/items/0/id"},
    "evidence_id": {"POST /records/evidence": "/id", "GET /records/evidence": "/items/0/id"},
    "interference_id": {
        "POST /cases/{case_pk}/interference": "/id",
        "GET /supervision/interference": "/items/0/id",
    },
    "notice_id": {
        "POST /supervision/notices": "/id",
        "GET /supervision/notices": "/items/0/id",
    },
    "bulk_id": {"GET /supervision/bulk-audits": "/items/0/id"},
    "filing_id": {
        "POST /supervision/filings/major-decisions": "/id",
        "POST /supervision/filings/quarters": "/id",
    },
    "object_type": {
        "POST /records/evidence": "/object_type",
        "GET /records/evidence/{evidence_id}": "/object_type",
        "GET /records/entries": "/items/0/object_type",
    },
    "object_id": {
        "POST /records/evidence": "/object_id",
        "GET /records/evidence/{evidence_id}": "/object_id",
        "GET /records/entries": "/items/0/object_id",
    },
}


def _success(operation: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """The first 2xx response of an operation (its status as keyed, the response)."""
    for status, response in sorted(operation.get("responses", {}).items(), key=lambda s: str(s[0])):
        if 200 <= int(status) < 300:
            return status, response
    return None


def _body_properties(schema: dict[str, Any], response: dict[str, Any]) -> set[str]:
    """The top-level property names of a JSON response's schema (following one $ref)."""
    body = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return set(body.get("properties", {}))


def add_links(schema: dict[str, Any], links: dict[str, dict[str, str]] = API_LINKS) -> None:
    """Add the OpenAPI links ``links`` declares to the success responses of ``schema``."""
    paths: dict[str, Any] = schema.get("paths", {})
    if not paths:
        return
    root = os.path.commonpath(list(paths)) if len(paths) > 1 else ""
    consumers: list[tuple[str, set[str]]] = []
    for operations in paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "operationId" in operation:
                params = {
                    p["name"] for p in operation.get("parameters") or [] if p.get("in") == "path"
                }
                if params:
                    consumers.append((operation["operationId"], params))
    by_producer: dict[str, dict[str, str]] = {}
    for param, producers in links.items():
        if not any(param in params for _, params in consumers):
            raise ValueError(f"API_LINKS: no operation takes the path parameter {param!r}")
        for producer, pointer in producers.items():
            by_producer.setdefault(producer, {})[param] = pointer
    for producer, given in by_producer.items():
        method, _, path = producer.partition(" ")
        operation = paths.get(root + path, {}).get(method.lower())
        success = _success(operation) if isinstance(operation, dict) else None
        if operation is None or success is None:
            raise ValueError(f"API_LINKS: no operation {producer!r} with a success response")
        _, response = success
        properties = _body_properties(schema, response)
        for pointer in given.values():
            if pointer.split("/")[1] not in properties:
                raise ValueError(f"API_LINKS: {producer!r} has no {pointer!r} in its response")
        response_links = response.setdefault("links", {})
        for operation_id, params in consumers:
            taken = {p: f"$response.body#{given[p]}" for p in sorted(params & set(given))}
            if taken and operation_id != operation.get("operationId"):
                response_links[operation_id] = {"operationId": operation_id, "parameters": taken}


class ZhifaAPI(NinjaAPI):
    """``NinjaAPI`` whose OpenAPI document lists the errors every operation can answer,
    in the shape of ``ErrorOut`` and described by ``ERROR_DESCRIPTIONS``:

    - 400 on every operation that takes parameters or a body (the input checks of every
      endpoint: bounded ids and offsets, ``InputSchema`` text);
    - 401 and 403 on every operation that requires authentication (every one: the API's
      authentication is global; the scope layer and CSRF answer 403);
    - 404 on every operation with a path parameter (``get_scoped_or_404``; an unknown
      ``kind`` of import or export).

    Other errors an operation declares in its ``response=`` (``error_responses(409)``) get their
    description from the same mapping."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorOut" not in schemas:
            error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(error_schema.pop("$defs", {}))
            schemas["ErrorOut"] = error_schema
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                parameters = operation.get("parameters") or []
                statuses = set()
                if parameters or operation.get("requestBody"):
                    statuses.add(400)
                if operation.get("security", schema.get("security")):
                    statuses |= {401, 403}
                if any(p.get("in") == "path" for p in parameters):
                    statuses.add(404)
                # ninja keys the responses by int status (sorted when exported).
                responses = operation["responses"]
                for status in statuses:
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"content": _ERROR_REF}
                for status, response in responses.items():
                    code = int(status)
                    # ninja's default description is the reason phrase; keep any other.
                    default = response.get("description") in (None, HTTPStatus(code).phrase)
                    if code in ERROR_DESCRIPTIONS and default:
                        response["description"] = ERROR_DESCRIPTIONS[code]
        add_links(schema)
        return schema


api = ZhifaAPI(
    title="Zhifa API",
    version="1",
    description=(
        "Zhifa (执法) JSON API. Authentication: a personal API token "
        "(`Authorization: Bearer zf_…`, created under 'API tokens' in the web UI) or the "
        "session cookie of a logged-in user (with the CSRF token for unsafe methods). "
        "Every call sees exactly what its user may see. Every error has the shape of ErrorOut."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)


def _respond(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(status, code, message, errors), status=status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"path": _path(err.get("loc")), "message": api_messages.message(err)} for err in exc.errors
    ]
    return _respond(request, 400, "invalid", _("The request is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            errors.extend({"path": f"body.{field}", "message": m} for m in field_errors)
    else:
        errors.extend({"path": "body", "message": m} for m in exc.messages)
    return _respond(request, 400, "invalid", _("The request is not valid."), errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, 401, "unauthenticated", _("Log in to use the API."))


@api.exception_handler(CsrfFailed)
def on_csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return _respond(request, 403, "forbidden", csrf_failure_message())


def csrf_failure_message() -> str:
    return _(
        "The request lacks a valid CSRF token: send the csrftoken cookie's value in the "
        "X-CSRFToken header, or authenticate with an API token."
    )


class ForbiddenField(PermissionDenied):
    """403 ``forbidden`` naming the input field (``query.organ``) whose value lies
    outside the caller's scope: the endpoint says so rather than answer as if the value
    had not been given."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.errors = [{"path": path, "message": message}]


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _respond(
        request,
        403,
        "forbidden",
        _("You do not have permission to do this."),
        getattr(exc, "errors", None),
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Not found."))


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _respond(
        request,
        413,
        "too_large",
        _("The request body is too large."),
        [{"path": "body", "message": f"at most {limit} bytes"}],
    )


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    return _respond(
        request,
        400,
        "invalid",
        _("The request is not valid."),
        [{"path": "body", "message": f"at most {limit} files"}],
    )


@api.exception_handler(TooManyFieldsSent)
def on_too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return _respond(
        request,
        400,
        "invalid",
        _("The request is not valid."),
        [{"path": "body", "message": f"at most {limit} fields"}],
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "invalid",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
    }
    return _respond(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc.message))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error", extra={"path": request.path})
    return _respond(
        request, 500, "server_error", _("An internal error occurred; it has been logged.")
    )


_routers_registered = False


def register_routers() -> NinjaAPI:
    """Attach every app's router (``settings.ZHIFA_API_ROUTERS``, in order) to ``api``
    (once) and return it. Called where the URLs
    are built (``zhifa.urls``) and by the OpenAPI export, never at import time: the apps'
    API modules import this module, so registering here at import would make
    ``import zhifa.cases.api`` (or any module importing it first) find a partially
    initialised module."""
    global _routers_registered
    if _routers_registered:
        return api
    for dotted in settings.ZHIFA_API_ROUTERS:
        api.add_router("/", import_string(dotted))
    _routers_registered = True
    return api

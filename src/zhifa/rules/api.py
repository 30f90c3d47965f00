"""``POST /api/v1/audit``: the same audit as ``zhifa audit``, JSON in, JSON out."""

import datetime as dt

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from zhifa.core.api import ErrorOut, error_body

from .calendar_db import database_calendar
from .engine import CaseFileTooLarge, InvalidCaseFile, audit, render
from .engine.limits import MAX_BYTES, MAX_STEPS
from .engine.validation import load_case_file

router = Router(tags=["rules"])


def _invalid(message: str, errors: list[dict[str, str]], status: int = 400) -> JsonResponse:
    code = "too_large" if status == 413 else "invalid"
    return JsonResponse(
        error_body(status, code, message, errors),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@router.post(
    "/audit",
    response={200: dict[str, object], 400: ErrorOut, 413: ErrorOut},
    summary="Audit a case file (zhifa-casefile/1)",
    description=(
        "The request body is a case file (zhifa-casefile/1). The response is the findings "
        "document (zhifa-findings/1), exactly as `zhifa audit` prints it. `as_of` "
        "(YYYY-MM-DD) overrides the file's as_of; `lang=en` gives English messages. An "
        "invalid file gives 400 with the JSON path of every error in errors[].path. A file "
        f"of more than {MAX_STEPS} steps or {MAX_BYTES} bytes gives 413 (code "
        "`too_large`, errors[].path `$.steps` or `$`): the audit is synchronous, and these "
        "limits bound its time (well under a second at the cap)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def audit_case_file(
    request: HttpRequest, as_of: str | None = None, lang: str = "zh"
) -> HttpResponse:
    errors: list[dict[str, str]] = []
    day = None
    if as_of is not None:
        try:
            if len(as_of) != 10:
                raise ValueError
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            errors.append({"path": "query.as_of", "message": "expected a date YYYY-MM-DD"})
    if lang not in ("zh", "en"):
        errors.append({"path": "query.lang", "message": 'expected one of "zh", "en"'})
    if errors:
        return _invalid(_("The request is not valid."), errors)
    try:
        body = request.body
    except RequestDataTooBig:
        return _invalid(
            _("The case file is too large."),
            [{"path": "$", "message": f"the request body is too large: at most {MAX_BYTES} bytes"}],
            status=413,
        )
    try:
        case = load_case_file(body)
    except InvalidCaseFile as exc:
        too_large = isinstance(exc, CaseFileTooLarge)
        return _invalid(
            _("The case file is too large.") if too_large else _("The case file is not valid."),
            [{"path": e.path, "message": e.text(get_language() or "")} for e in exc.errors],
            status=413 if too_large else 400,
        )
    result = audit(case, day or case.as_of or timezone.localdate(), database_calendar())
    return HttpResponse(
        render(result, lang).encode("utf-8"), content_type="application/json; charset=utf-8"
    )

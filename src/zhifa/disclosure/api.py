"""The disclosure API (docs/disclosure.md lists every answer).

Public (no authentication; only what the public page shows — published, redacted —
and withdrawn or taken-down decisions as such, with the reason and without summary):

- ``GET /public/decisions``: the list, newest first, paginated, with the public page's
  search and filters (``disclosure.search``). 200; 400 (``invalid``: a parameter named
  in ``errors`` — a text over 100 characters or holding NUL, a day that is not
  YYYY-MM-DD, ``date_to`` before ``date_from``, an organ id, limit or offset out of
  range); 429 (``rate_limited``: more than ``ZHIFA_VERIFY_RATE_LIMIT`` searches a
  minute from one client, as the public page).
- ``GET /public/decisions/{decision_id}``: one. 200; 400 (an id out of range); 404
  (``not_found``: no public decision has this id — never published, or not yet).

双公示 export (DISC-double-publicity; organ users: their organ; supervisors and
administrators: their region; anonymous: 401; another role: 403; another organ or a
region outside the scope: 404):

- ``GET /disclosure/double-publicity``: the check — every row of the range in the
  layout, with the items that fail named. Changes nothing.
- ``POST /disclosure/double-publicity/deliveries``: the delivery — the passing rows as
  JSON, CSV (UTF-8 with BOM) or XLSX; each decision in it gets its delivery day
  recorded (``disclosure.export``). 400 also for more than ``MAX_ROWS`` decisions in
  one export (narrow the range).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhifa.core.api import api, error_body
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.validation import DB_MAX_ID, Id
from zhifa.rules.engine import double_publicity as layout

from . import double_publicity
from .models import Publication, PublicationStatus
from .search import Filters, public_decisions, search

router = Router(tags=["disclosure"])

#: At most this many decisions in one export (narrow the range for more).
MAX_ROWS = 5000

_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}

#: The export's answer for an organ or region the caller may not see (never a hint that
#: it exists).
_OUT_OF_SCOPE = {
    404: {
        "description": "`organ_id` or `region` is not one the caller may export "
        "(another organ, a region outside the scope, or none such; `code` `not_found`).",
        "content": _ERROR_REF,
    }
}


# --- public -----------------------------------------------------------------------------------


class PublicSummaryOut(Schema):
    number: str = Field(description="文号 of the decision.")
    party: str = Field(description="An organisation's name; an individual's masked (张某某).")
    party_uscc: str = Field(description="An organisation's credit code; empty for a person.")
    violation: str
    facts: str = Field(description="The facts in brief, as published.")
    basis: str
    penalty: str
    organ: str
    decided_on: str = Field(description="The day of the decision, as published (中文).")


class PublicDecisionOut(Schema):
    id: int
    number: str
    organ: str
    status: Literal["published", "withdrawn", "taken_down"]
    decided_on: dt.date
    published_on: dt.date
    summary: PublicSummaryOut | None = Field(
        description="The published summary; null once withdrawn or taken down."
    )
    document_url: str | None = Field(
        description="The redacted 决定书 (PDF) where the scope publishes it; else null."
    )
    document_sm3: str = Field(description="SM3 of that PDF (empty without one).")
    ended_on: dt.date | None = Field(description="Withdrawn or taken down on.")
    end_kind: str = Field(description="withdrawn, period_ended, credit_repair or empty.")
    end_reason: str = Field(description="The published reason it left (empty while published).")
    page_url: str


class PublicQuery(InputSchema):
    q: str = Field("", max_length=100, description="Words to find (every one must match).")
    party: str = Field("", max_length=100)
    violation: str = Field("", max_length=100)
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="An organ's id.")
    date_from: dt.date | None = Field(None, description="Decided on or after.")
    date_to: dt.date | None = Field(None, description="Decided on or before.")


def _public_out(p: Publication) -> dict[str, Any]:
    from django.urls import reverse

    shown = p.status == PublicationStatus.PUBLISHED
    summary = {k: str((p.summary or {}).get(k, "")) for k in PublicSummaryOut.model_fields}
    has_document = bool(shown and p.document_sm3)
    return {
        "id": p.pk,
        "number": str((p.summary or {}).get("number", "")),
        "organ": str((p.summary or {}).get("organ", "")),
        "status": p.status,
        "decided_on": p.decided_on,
        "published_on": p.published_on,
        "summary": summary if shown else None,
        "document_url": reverse("disclosure:public_pdf", args=[p.pk]) if has_document else None,
        "document_sm3": p.document_sm3 if shown else "",
        "ended_on": p.ended_on,
        "end_kind": p.end_kind,
        "end_reason": p.end_reason if not shown else "",
        "page_url": reverse("disclosure:public_decision", args=[p.pk]),
    }


#: What the API reads of a publication (never the PDF).
PUBLIC_FIELDS = (
    "id",
    "status",
    "summary",
    "decided_on",
    "published_on",
    "document_sm3",
    "ended_on",
    "end_kind",
    "end_reason",
)


def rate_limited(view: Any) -> Any:
    """The public search's rate limit (the public page's: ``ZHIFA_VERIFY_RATE_LIMIT`` a
    minute per client): a 429 in the API's error shape."""
    return rate_limited_as()(view)


def rate_limited_as(bucket: str = "") -> Any:
    """``rate_limited`` counting in its own ``bucket`` (shared with the pages that use
    ``registry.views.rate_limited_as`` with the same name)."""
    return functools.partial(_rate_limited, bucket=bucket)


def _rate_limited(view: Any, *, bucket: str) -> Any:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from zhifa.registry import services as registry_services
        from zhifa.registry.views import bucket_key

        limit = int(getattr(settings, "ZHIFA_VERIFY_RATE_LIMIT", 30))
        if not registry_services.rate_limit_hit(bucket_key(request, bucket), limit):
            response = api.create_response(
                request,
                error_body(429, "rate_limited", _("Too many requests: try again in a minute.")),
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    return wrapped


@router.get(
    "/public/decisions",
    response=list[PublicDecisionOut],
    auth=None,
    summary="Published decisions (public, redacted), newest first, with search",
    openapi_extra={
        "responses": {
            429: {
                "description": "Too many searches from this client (`code` `rate_limited`): "
                "retry after the `Retry-After` seconds.",
                "content": _ERROR_REF,
            }
        }
    },
)
@rate_limited
@paginate(BoundedLimitOffset)
def list_public_decisions(request: HttpRequest, filters: Query[PublicQuery]) -> Any:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise query_error("date_to", _("The end of the range is before its start."))
    for name in ("q", "party", "violation"):
        if "\x00" in getattr(filters, name):
            raise query_error(name, _("This text holds a character that cannot be searched."))
    found = search(
        filters.q,
        Filters(
            party=filters.party,
            violation=filters.violation,
            organ=filters.organ,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    return Paged(found.only(*PUBLIC_FIELDS), _public_out)


def query_error(name: str, message: str) -> Exception:
    """A 400 naming the query parameter (the API's ``invalid`` shape)."""
    from ninja.errors import ValidationError as NinjaValidationError

    return NinjaValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


@router.get(
    "/public/decisions/{decision_id}",
    response=PublicDecisionOut,
    auth=None,
    summary="One published decision (public, redacted), or that it was withdrawn and why",
)
def get_public_decision(request: HttpRequest, decision_id: Id) -> dict[str, Any]:
    found = public_decisions().only(*PUBLIC_FIELDS).filter(pk=decision_id).first()
    if found is None:
        raise Http404
    return _public_out(found)


# --- 双公示 export ----------------------------------------------------------------------------


class ColumnOut(Schema):
    key: str
    title: str
    max_length: int = Field(description="Characters; for an amount: digits in all.")
    kind: str = Field(description="text, amount (万元, 6 decimals) or date (YYYY-MM-DD).")
    required: bool


class ProblemOut(Schema):
    field: str = Field(description="The item's key (CF_…).")
    title: str
    kind: str = Field(
        description="too_long, precision, required, unknown; or the kind of personal "
        "information found (id_number, phone, bank_card, email, address, name)."
    )
    message: str


class RowOut(Schema):
    publication_id: int
    document_number: str
    values: dict[str, str] = Field(description="The row's items by key, as the files write them.")
    problems: list[ProblemOut] = Field(description="Empty: the row is delivered.")
    due_on: dt.date = Field(description="To be delivered by (DISC-double-publicity).")
    first_exported_on: dt.date | None


class ExportOut(Schema):
    rule: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    ready: int = Field(description="Rows that pass (delivered by a delivery).")
    failing: int
    delivered: list[int] = Field(description="The publications whose delivery was recorded.")


class ExportQuery(InputSchema):
    date_from: dt.date | None = Field(None, description="Decided on or after.")
    date_to: dt.date | None = Field(None, description="Decided on or before.")
    organ_id: int | None = Field(None, ge=1, le=DB_MAX_ID, description="One organ of your scope.")
    region: str = Field("", max_length=9, description="A region code of your scope (and below).")


class ExportIn(ExportQuery):
    format: Literal["json", "csv", "xlsx"] = Field(
        "json", description="json: the rows; csv (UTF-8 with BOM) or xlsx: the file."
    )


def _rows(request: HttpRequest, query: ExportQuery) -> list[double_publicity.Row]:
    user: Any = request.user
    if not double_publicity.may_export(user):
        raise PermissionDenied
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise ValidationError({"date_to": [_("The end of the range is before its start.")]})
    if query.region and not query.region.isdigit():
        raise ValidationError({"region": [_("A region code is digits only.")]})
    found = double_publicity.exportable(
        user,
        date_from=query.date_from,
        date_to=query.date_to,
        organ_id=query.organ_id,
        region_code=query.region,
    )
    if found.count() > MAX_ROWS:
        raise ValidationError(
            {"date_from": [_("More than %(n)s decisions: narrow the range.") % {"n": MAX_ROWS}]}
        )
    return double_publicity.build_rows(found)


def _export_out(rows: list[double_publicity.Row], delivered: list[int]) -> dict[str, Any]:
    dues = {
        p.pk: (double_publicity.export_due(p), p.first_exported_on)
        for p in Publication.objects.filter(pk__in=[r.publication_id for r in rows])
        .select_related("case")
        .only("pk", "decided_on", "first_exported_on", "case__settings")
    }
    return {
        "rule": layout.RULE,
        "columns": [
            {
                "key": c.key,
                "title": c.title,
                "max_length": c.max_length,
                "kind": c.kind,
                "required": c.required,
            }
            for c in layout.COLUMNS
        ],
        "rows": [
            {
                "publication_id": r.publication_id,
                "document_number": r.document_number,
                "values": r.values,
                "problems": r.problems,
                "due_on": dues[r.publication_id][0],
                "first_exported_on": dues[r.publication_id][1],
            }
            for r in rows
        ],
        "ready": sum(1 for r in rows if r.ok),
        "failing": sum(1 for r in rows if not r.ok),
        "delivered": delivered,
    }


@router.get(
    "/disclosure/double-publicity",
    response=ExportOut,
    summary="Check the 双公示 export of a range (changes nothing)",
    openapi_extra={"responses": _OUT_OF_SCOPE},
)
def check_double_publicity(request: HttpRequest, query: Query[ExportQuery]) -> dict[str, Any]:
    return _export_out(_rows(request, query), [])


@router.post(
    "/disclosure/double-publicity/deliveries",
    response=ExportOut,
    summary="Deliver the 双公示 export of a range (JSON, CSV or XLSX) and record it",
    openapi_extra={
        "responses": {
            200: {
                "description": "The rows (format json), or the file of the passing rows "
                "(`Content-Disposition: attachment`).",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ExportOut"}},
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            },
            **_OUT_OF_SCOPE,
        }
    },
)
def deliver_double_publicity(request: HttpRequest, body: ExportIn) -> Any:
    rows = _rows(request, body)
    user: Any = request.user
    delivered = double_publicity.record_export(
        rows, actor=user, on=timezone.localdate(), fmt=body.format
    )
    if body.format == "json":
        return _export_out(rows, delivered)
    content, content_type, ext = double_publicity.render(rows, body.format)
    response = HttpResponse(content, content_type=content_type)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="shuanggongshi-xzcf-{day}.{ext}"'
    return response

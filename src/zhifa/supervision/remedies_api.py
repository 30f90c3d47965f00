"""Remedies API (issue #18 item 3): the reconsiderations and litigations against the
decisions in your scope, and each organ's counts and rates of a year with
JX-court-appearance's requirement — the same read model as the page
``/supervision/remedies/`` (``remedies``; the engine's ``remedy_rates``). Read-only; a
remedy is recorded on its case (``POST /cases/{case_pk}/steps``, step
``remedy_filed``). Errors in the one shape: 400 naming the parameter, 401 without a
session or token, 403 a role that sees no remedies or an organ outside your scope
(naming ``query.organ``)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhifa.core.api import ForbiddenField
from zhifa.core.paging import BoundedLimitOffset
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import require_role, visible_organs
from zhifa.core.validation import DB_MAX_ID
from zhifa.rules.engine import remedy_rates as engine

from . import remedies

router = Router(tags=["supervision"])

ERRORS = (
    "400 names the parameter (`query.year`, `query.organ`, `query.kind`, "
    "`query.result`). 403 `forbidden`: your role sees no remedies (the users of an "
    "organ, supervisors and administrators do), or `organ` is outside your scope "
    "(naming `query.organ`)."
)

Kind = Literal["reconsideration", "litigation"]
Result = Literal["pending", "upheld", "changed", "revoked", "confirmed_unlawful", "withdrawn"]


class RemedyFilter(InputSchema):
    year: int | None = Field(
        None,
        ge=remedies.FIRST_YEAR,
        le=9999,
        description="Proceedings filed, decided or pending in that year.",
    )
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="The organ's id.")
    kind: Kind | None = None
    result: Result | None = None


class RatesFilter(InputSchema):
    year: int | None = Field(
        None, ge=remedies.FIRST_YEAR, le=9999, description="The year; the current one if absent."
    )
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="The organ's id.")


class RemedyOut(Schema):
    case_id: int
    case_number: str
    organ_id: int
    organ_name: str
    kind: str = Field(description="reconsideration or litigation.")
    filed_on: dt.date
    result: str = Field(
        description="pending, upheld, changed, revoked, confirmed_unlawful or withdrawn."
    )
    decided_on: dt.date | None
    head_appeared: bool | None = Field(
        description="Litigation: whether the organ's head appeared in court (null: not "
        "recorded, or reconsideration)."
    )
    filed_step: int = Field(description="The index of the case's step that filed it.")


class RemedyCountsOut(Schema):
    filed: int
    decided: int = Field(description="Decided on the merits in the year.")
    upheld: int
    changed: int
    revoked: int
    confirmed_unlawful: int
    withdrawn: int
    pending: int = Field(description="Pending at the end of the year (or now).")
    reversal_rate: float | None = Field(
        description="(changed + revoked + confirmed_unlawful) / decided; null when none."
    )


class RatesOut(Schema):
    organ_id: int
    organ_name: str
    year: int
    reconsideration: RemedyCountsOut
    litigation: RemedyCountsOut
    total: RemedyCountsOut
    heard: int = Field(description="Litigation concluded in the year counted for appearance.")
    appeared: int = Field(description="Of them, those in which the head appeared.")
    unrecorded: int = Field(description="Of them, those with no appearance recorded.")
    court_appearance_rate: float | None
    required_rate: float | None = Field(description="JX: the minimum rate (0.8 or 0.3).")
    required_count: int | None = Field(description="CQ: the minimum appearances a year.")
    source: str | None = Field(description="The source that binds the organ: JX, CQ or null.")
    below: bool
    rule: str
    citation: str
    formulas: dict[str, str]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _counts(c: engine.KindCounts) -> dict[str, Any]:
    return {
        "filed": c.filed,
        "decided": c.decided,
        "upheld": c.upheld,
        "changed": c.changed,
        "revoked": c.revoked,
        "confirmed_unlawful": c.confirmed_unlawful,
        "withdrawn": c.withdrawn,
        "pending": c.pending,
        "reversal_rate": _float(c.reversal_rate),
    }


def _check(request: HttpRequest, organ: int | None) -> Any:
    user: Any = request.user
    require_role(user, *remedies.ROLES)
    if organ is not None and not visible_organs(user).filter(pk=organ).exists():
        raise ForbiddenField(
            "query.organ", _("organ: the organ is not in your scope; choose one of the list.")
        )
    return user


@router.get(
    "/supervision/remedies",
    response=list[RemedyOut],
    summary="Reconsiderations and litigations against the decisions in your scope",
    description=ERRORS,
)
@paginate(BoundedLimitOffset)
def list_remedies(request: HttpRequest, filters: Query[RemedyFilter]) -> Any:
    user = _check(request, filters.organ)
    found = remedies.rows(
        user,
        remedies.Filters(filters.year, filters.organ, filters.kind or "", filters.result or ""),
    )
    return [
        {
            "case_id": r.case_id,
            "case_number": r.case_number,
            "organ_id": r.organ.pk,
            "organ_name": r.organ.name,
            "kind": r.proceeding.kind,
            "filed_on": r.proceeding.filed_on,
            "result": r.proceeding.result,
            "decided_on": r.proceeding.decided_on,
            "head_appeared": r.proceeding.head_appeared,
            "filed_step": r.proceeding.filed_step,
        }
        for r in found
    ]


@router.get(
    "/supervision/remedies/rates",
    response=list[RatesOut],
    summary="Each organ's reconsideration and litigation counts and rates of a year "
    "(JX-court-appearance)",
    description=ERRORS,
)
@paginate(BoundedLimitOffset)
def list_rates(request: HttpRequest, filters: Query[RatesFilter]) -> Any:
    user = _check(request, filters.organ)
    year = filters.year or timezone.localdate().year
    formulas = {key: text.en for key, text in engine.FORMULAS.items()}
    out = []
    for o in remedies.rates_of_year(user, year, timezone.localdate(), filters.organ):
        t = o.rates
        bound = t.threshold
        out.append(
            {
                "organ_id": o.organ.pk,
                "organ_name": o.organ.name,
                "year": year,
                "reconsideration": _counts(t.reconsideration),
                "litigation": _counts(t.litigation),
                "total": _counts(t.total),
                "heard": t.heard,
                "appeared": t.appeared,
                "unrecorded": t.unrecorded,
                "court_appearance_rate": _float(t.court_appearance_rate),
                "required_rate": _float(bound.minimum_rate) if bound else None,
                "required_count": bound.minimum_count if bound else None,
                "source": bound.source if bound else None,
                "below": t.below,
                "rule": engine.COURT_APPEARANCE.id,
                "citation": bound.citation if bound else engine.COURT_APPEARANCE.citation,
                "formulas": formulas,
            }
        )
    return out

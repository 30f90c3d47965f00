"""Filings API (NA-major-filing: NA 30; issue #17 item 6): the major decisions and the
quarters in your scope with what is filed and what is missing (the same read model as the
filings page, ``filings.major_rows`` and ``filings.quarter_rows``); the organ's head or
legal reviewer files a major decision's document catalogue or a quarter's case catalogue;
one filing as filed. Errors in the one shape: 400 naming the field, 403 the wrong role,
404 outside your scope."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhifa.cases.models import Case
from zhifa.core.api import error_responses
from zhifa.core.paging import BoundedLimitOffset
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, require_role
from zhifa.core.validation import DB_MAX_ID, Id
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine import filing as rule

from . import filings
from .filing_views import ROLES
from .models import Filing

router = Router(tags=["supervision"])

LIST_ERRORS = "403: not a supervisor, an organ's head or legal reviewer, or an administrator."
FILE_MAJOR_ERRORS = (
    "400 names the field: `case` (not a major decision, no penalty decision yet, filed "
    "already), `filed_on` (not a date, in the future, or before the decision). 403: not "
    "the head or a legal reviewer of the case's organ. 404: the case is not in your scope."
)
FILE_QUARTER_ERRORS = (
    "400 names the field: `quarter` (not 1 to 4, not ended yet, filed already), `year`, "
    "`filed_on` (not a date, or in the future). 403: not the head or a legal reviewer of "
    "the organ. 404: the organ is not in your scope."
)


class MajorOut(Schema):
    case_id: int
    case_number: str
    party: str
    organ_id: int
    organ_name: str
    decided_on: dt.date = Field(description="The day of the case's first penalty decision.")
    due_on: dt.date = Field(description="The catalogue is due: 30 days after the decision.")
    filed_on: dt.date | None
    status: str = Field(description="filed, late (filed after the due day), open or overdue.")
    rule: str
    citation: str


class QuarterOut(Schema):
    organ_id: int
    organ_name: str
    year: int
    quarter: int
    filing_id: int | None = Field(description="The quarter's filing; null while missing.")
    filed_on: dt.date | None


class FilingOut(Schema):
    id: int
    kind: str = Field(description="major_decision or quarterly.")
    organ_id: int
    organ_name: str
    case_id: int | None
    decided_on: dt.date | None
    due_on: dt.date | None
    year: int | None
    quarter: int | None
    filed_on: dt.date
    filed_by: str
    catalogue: list[dict[str, Any]] = Field(
        description="As filed: the case's issued documents (step, document, number, on) "
        "or the quarter's concluded cases (case, number, party, procedure, closed_on)."
    )
    rule: str
    citation: str


class MajorFilter(InputSchema):
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID)
    status: str | None = Field(None, pattern="^(filed|late|open|overdue)$")


class QuarterFilter(InputSchema):
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID)
    missing: bool | None = Field(None, description="true: only the quarters not filed.")


class FileMajorIn(InputSchema):
    case: int = Field(ge=1, le=DB_MAX_ID, description="A case of your organ.")
    filed_on: dt.date | None = Field(None, description="The filing day; today when absent.")


class FileQuarterIn(InputSchema):
    organ: int = Field(ge=1, le=DB_MAX_ID, description="Your organ.")
    year: int = Field(ge=1949, le=9999)
    quarter: int = Field(ge=1, le=4)
    filed_on: dt.date | None = Field(None, description="The filing day; today when absent.")


def _major_out(row: filings.MajorRow) -> dict[str, Any]:
    case = row.case
    return {
        "case_id": case.pk,
        "case_number": case.registration_number or case.case_id,
        "party": case.party_name,
        "organ_id": case.organ_id,
        "organ_name": case.organ.name,
        "decided_on": row.decided_on,
        "due_on": row.due,
        "filed_on": row.filed_on,
        "status": row.status,
        "rule": rule.MAJOR_FILING_RULE.id,
        "citation": rule.CITATION,
    }


def _quarter_out(row: filings.QuarterRow) -> dict[str, Any]:
    return {
        "organ_id": row.organ.pk,
        "organ_name": row.organ.name,
        "year": row.year,
        "quarter": row.quarter,
        "filing_id": row.filing.pk if row.filing else None,
        "filed_on": row.filing.filed_on if row.filing else None,
    }


def _filing_out(f: Filing) -> dict[str, Any]:
    return {
        "id": f.pk,
        "kind": f.kind,
        "organ_id": f.organ_id,
        "organ_name": f.organ.name,
        "case_id": f.case_id,
        "decided_on": f.decided_on,
        "due_on": f.due_on,
        "year": f.year,
        "quarter": f.quarter,
        "filed_on": f.filed_on,
        "filed_by": f.filed_by.get_username(),
        "catalogue": f.catalogue,
        "rule": rule.MAJOR_FILING_RULE.id,
        "citation": rule.CITATION,
    }


def _filing(user: Any, pk: int) -> Filing:
    return get_scoped_or_404(user, Filing.objects.select_related("organ", "filed_by"), pk=pk)


@router.get(
    "/supervision/filings/major-decisions",
    response=list[MajorOut],
    summary="Major decisions in your scope and their catalogue filings (NA-major-filing)",
    description=LIST_ERRORS,
)
@paginate(BoundedLimitOffset)
def list_major_decisions(request: HttpRequest, filters: Query[MajorFilter]) -> Any:
    require_role(request.user, *ROLES)
    rows = filings.major_rows(request.user, timezone.localdate(), filters.organ)
    if filters.status is not None:
        rows = [r for r in rows if r.status == filters.status]
    return [_major_out(r) for r in rows]


@router.get(
    "/supervision/filings/quarters",
    response=list[QuarterOut],
    summary="Ended quarters of the organs in your scope and their case catalogue filings",
    description=LIST_ERRORS,
)
@paginate(BoundedLimitOffset)
def list_quarters(request: HttpRequest, filters: Query[QuarterFilter]) -> Any:
    require_role(request.user, *ROLES)
    rows = filings.quarter_rows(request.user, timezone.localdate(), filters.organ)
    if filters.missing is not None:
        rows = [r for r in rows if (r.filing is None) == filters.missing]
    return [_quarter_out(r) for r in rows]


@router.get(
    "/supervision/filings/{filing_id}",
    response=FilingOut,
    summary="One filing as filed, with its catalogue",
    description=LIST_ERRORS + " 404: not in your scope.",
)
def get_filing(request: HttpRequest, filing_id: Id) -> dict[str, Any]:
    require_role(request.user, *ROLES)
    return _filing_out(_filing(request.user, filing_id))


@router.post(
    "/supervision/filings/major-decisions",
    response={201: FilingOut, **error_responses(404)},
    summary="File a major decision's document catalogue (the organ's head or reviewer)",
    description=FILE_MAJOR_ERRORS,
)
def file_major_decision(request: HttpRequest, payload: FileMajorIn) -> Status[dict[str, Any]]:
    require_role(request.user, *filings.FILING_ROLES)
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=payload.case)
    filing = filings.file_major_decision(case, actor=request.user, on=payload.filed_on)
    return Status(201, _filing_out(_filing(request.user, filing.pk)))


@router.post(
    "/supervision/filings/quarters",
    response={201: FilingOut, **error_responses(404)},
    summary="File a quarter's catalogue of concluded cases (the organ's head or reviewer)",
    description=FILE_QUARTER_ERRORS,
)
def file_quarter(request: HttpRequest, payload: FileQuarterIn) -> Status[dict[str, Any]]:
    require_role(request.user, *filings.FILING_ROLES)
    organ = get_scoped_or_404(
        request.user, EnforcementSubject.objects.all(), organ_field="", pk=payload.organ
    )
    filing = filings.file_quarter(
        organ, payload.year, payload.quarter, actor=request.user, on=payload.filed_on
    )
    return Status(201, _filing_out(_filing(request.user, filing.pk)))

"""Read-only API of penalty cases (issue #6 phase 1): the list, one case with its steps
and deadlines, and its case-file v1 export. Every query goes through the scope layer;
state changes come with the UI (next phase) and will call ``cases.services``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zhifa.core.paging import Paged
from zhifa.core.scope import get_scoped_or_404, scoped

from . import services
from .casefile import export_document
from .models import Case

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    case_id: str
    organ_id: int
    procedure: str
    status: str
    power: str
    party_name: str
    imported: bool


class StepOut(Schema):
    index: int
    step: str
    on: date
    data: dict[str, Any]
    document_number: str
    warnings: list[dict[str, Any]]


class DeadlineOut(Schema):
    rule: str
    start: date
    due: date
    status: str


class CaseDetailOut(CaseOut):
    steps: list[StepOut]
    deadlines: list[DeadlineOut]


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "case_id": case.case_id,
        "organ_id": case.organ_id,
        "procedure": case.procedure,
        "status": case.status,
        "power": case.power,
        "party_name": case.party_name,
        "imported": case.imported,
    }


@router.get("/cases", response=list[CaseOut], summary="Penalty cases in your scope")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest) -> list[dict[str, object]]:
    cases = scoped(request.user, Case.objects.all())
    return Paged(cases, _case_out)  # type: ignore[return-value]


@router.get("/cases/{case_pk}", response=CaseDetailOut, summary="One case: steps and deadlines")
def get_case(request: HttpRequest, case_pk: int) -> dict[str, Any]:
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=case_pk)
    today = timezone.localdate()
    return {
        **_case_out(case),
        "steps": [
            {
                "index": s.index,
                "step": s.step,
                "on": s.on,
                "data": s.data,
                "document_number": s.document_number,
                "warnings": s.warnings,
            }
            for s in case.steps.order_by("index")
        ],
        "deadlines": [
            {"rule": d.rule, "start": d.start, "due": d.due.due, "status": d.status(today)}
            for d in services.deadlines(case, today)
        ],
    }


@router.get(
    "/cases/{case_pk}/casefile",
    response=dict[str, Any],
    summary="The case as a case-file v1 document (zhifa-casefile/1)",
)
def get_case_file(request: HttpRequest, case_pk: int) -> dict[str, Any]:
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=case_pk)
    return export_document(case, timezone.localdate())

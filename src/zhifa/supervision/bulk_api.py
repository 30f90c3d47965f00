"""The bulk audit API (issue #17, item 7), read-only: the bulk audits you may see, one
audit's aggregate, and its files' results (paginated, ``limit``/``offset``). Uploading is
the page's (``/supervision/bulk-audits/``). The same scope as the pages: supervisors and
administrators (403 for any other role), an audit outside your region is a 404; errors
in the one shape (401 without a session or token)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.validation import Id

from . import bulk_audit
from .models import BulkAudit, BulkAuditFile

router = Router(tags=["supervision"])


class BulkRuleCount(Schema):
    rule: str
    citation: str
    findings: int
    block: int = Field(description="Findings of severity error (a block rule broken).")
    files: int = Field(description="Files with at least one finding of the rule.")


class BulkSkippedOut(Schema):
    name: str
    reason: str


class BulkAuditOut(Schema):
    id: int
    name: str
    status: str = Field(description="queued, running, done or failed.")
    uploaded_at: dt.datetime
    uploaded_by: str
    finished_at: dt.datetime | None
    as_of: dt.date | None = Field(description="The audit date given on upload, if any.")
    files_total: int
    files_audited: int
    files_failed: int = Field(description="Files that could not be audited (see errors).")
    files_with_block: int
    findings_total: int
    rules: list[BulkRuleCount] = Field(description="Findings per rule, most first.")
    skipped: list[BulkSkippedOut] = Field(description="Members of the upload not audited.")
    error: str = Field(description="Why the audit failed, if it did.")


class BulkFindingOut(Schema):
    rule: str
    severity: str = Field(description="error (a block rule) or warning.")
    message: str
    citation: str
    step: int | None


class BulkDeadlineOut(Schema):
    rule: str
    from_: dt.date = Field(alias="from")
    due: dt.date
    status: str = Field(description="met, missed, open or overdue.")
    note: str | None


class BulkFileError(Schema):
    path: str = Field(description="The JSON path of the problem ('' for the file itself).")
    message: str
    message_zh: str


class BulkFileOut(Schema):
    index: int = Field(description="The member's place in the archive.")
    name: str
    case_id: str
    as_of: dt.date | None
    findings: list[BulkFindingOut]
    deadlines: list[BulkDeadlineOut]
    late_fee: float | None
    errors: list[BulkFileError] = Field(description="Why the file could not be audited.")


def _require(user: Any) -> None:
    if not bulk_audit.may_use(user):
        raise PermissionDenied(_("Bulk audits are for supervisors and administrators."))


def _out(bulk: BulkAudit) -> dict[str, Any]:
    return {
        "id": bulk.pk,
        "name": bulk.name,
        "status": bulk.status,
        "uploaded_at": bulk.created_at,
        "uploaded_by": bulk.uploaded_by.get_full_name() or bulk.uploaded_by.get_username(),
        "finished_at": bulk.finished_at,
        "as_of": bulk.as_of,
        "files_total": bulk.files_total,
        "files_audited": bulk.files_audited,
        "files_failed": bulk.files_failed,
        "files_with_block": bulk.files_with_block,
        "findings_total": bulk.findings_total,
        "rules": bulk_audit.rule_rows(bulk),
        "skipped": [{"name": s["name"], "reason": _(s["reason"])} for s in bulk.skipped],
        "error": _(bulk.error) if bulk.error else "",
    }


def _file_out(row: BulkAuditFile) -> dict[str, Any]:
    return {
        "index": row.index,
        "name": row.name,
        "case_id": row.case_id,
        "as_of": row.as_of,
        "findings": row.findings,
        "deadlines": row.deadlines,
        "late_fee": row.late_fee,
        "errors": [
            {"path": e["path"], "message": e["message"], "message_zh": e["zh"]} for e in row.errors
        ],
    }


@router.get(
    "/supervision/bulk-audits",
    response=list[BulkAuditOut],
    summary="The bulk audits you may see, latest first",
)
@paginate(BoundedLimitOffset)
def list_bulk_audits(request: HttpRequest) -> Any:
    _require(request.user)
    return Paged(bulk_audit.visible(request.user), _out)


@router.get(
    "/supervision/bulk-audits/{bulk_id}",
    response=BulkAuditOut,
    summary="One bulk audit: status and aggregate",
)
def get_bulk_audit(request: HttpRequest, bulk_id: Id) -> dict[str, Any]:
    _require(request.user)
    return _out(bulk_audit.get_visible_or_404(request.user, bulk_id))


@router.get(
    "/supervision/bulk-audits/{bulk_id}/files",
    response=list[BulkFileOut],
    summary="A bulk audit's files: each one's findings and deadlines, or its errors",
    by_alias=True,
)
@paginate(BoundedLimitOffset)
def list_bulk_audit_files(request: HttpRequest, bulk_id: Id) -> Any:
    _require(request.user)
    bulk = bulk_audit.get_visible_or_404(request.user, bulk_id)
    return Paged(bulk.files.order_by("index"), _file_out)


__all__ = ["router"]

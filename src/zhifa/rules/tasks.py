"""Background tasks of the rules (run by ``zhifa worker``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

#: How long a background audit's findings stay with its user after it finished.
KEEP_AUDIT_REQUESTS = dt.timedelta(days=7)


@task()
def run_audit(request_id: str) -> dict[str, Any]:
    """Audit the case file of an ``AuditRequest`` (a large upload on the audit page) and
    keep the findings document for its user; the uploaded bytes are then dropped."""
    from .calendar_db import database_calendar
    from .engine import InvalidCaseFile, audit, render
    from .engine.validation import load_case_file
    from .models import AuditRequest

    Status = AuditRequest.Status
    updated = AuditRequest.objects.filter(pk=request_id, status=Status.QUEUED).update(
        status=Status.RUNNING
    )
    if not updated:
        return {"request": request_id, "status": "skipped"}
    request = AuditRequest.objects.get(pk=request_id)
    try:
        case = load_case_file(bytes(request.content))
        day = request.as_of or case.as_of or timezone.localdate()
        result = audit(case, day, database_calendar())
        request.result = json.loads(render(result, request.lang))
        request.status = Status.DONE
    except InvalidCaseFile as exc:  # checked on upload; kept for a file changed since
        request.error = str(exc)
        request.status = Status.FAILED
    except Exception:
        # the user's page must not wait for ever: say it failed, and let the task fail
        request.error = "internal error"
        request.status = Status.FAILED
        _finish(request)
        raise
    _finish(request)
    return {"request": request_id, "status": request.status}


def _finish(request: Any) -> None:
    request.content = b""
    request.finished_at = timezone.now()
    request.save(update_fields=["result", "error", "status", "content", "finished_at"])


@task()
def prune_audit_requests() -> dict[str, Any]:
    """Delete the background audits (``AuditRequest``) that finished more than
    ``KEEP_AUDIT_REQUESTS`` ago, with their findings, and those that never finished in
    that time (their worker died during the audit, or their task was lost), with the
    uploaded bytes such a failed one still holds. Daily (``rules.prune_audit_requests``)."""
    from .models import AuditRequest

    before = timezone.now() - KEEP_AUDIT_REQUESTS
    deleted, _ = AuditRequest.objects.filter(
        Q(finished_at__lt=before) | Q(finished_at__isnull=True, created_at__lt=before)
    ).delete()
    return {"before": before.isoformat(), "audit_requests": deleted}

"""Background tasks of supervision (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_bulk_audit(bulk_id: int) -> dict[str, Any]:
    """Audit the case files of a ``BulkAudit`` (``bulk_audit.run``): each file's result
    is kept as it is produced, so a run after an interruption continues where the last
    one stopped, repeating and losing nothing."""
    from . import bulk_audit

    return bulk_audit.run(bulk_id)

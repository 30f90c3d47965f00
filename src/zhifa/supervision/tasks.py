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


@task()
def keep_remedy_rates() -> dict[str, Any]:
    """Count every organ's reconsiderations and litigations of this year and the last
    (``remedies.keep_rates``): nightly, so the warning model ``court_appearance`` reads
    a row per organ instead of every remedy of a province on each request. Idempotent:
    a year counted again is overwritten."""
    from django.utils import timezone

    from . import remedies

    now = timezone.now()
    return {"rows": remedies.keep_rates(now), "computed_at": now.isoformat()}

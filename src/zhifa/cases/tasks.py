"""Background tasks of the cases (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task


@task()
def refresh_deadlines() -> dict[str, Any]:
    """The sweep (issue #17): audit every case still taking steps again and keep its
    findings, pending deadlines and nearest deadline (``queries.sweep``, as ``zhifa
    cases refresh-deadlines``): nightly, since deadlines move with the calendar, and
    after a year's holiday schedule was loaded or corrected. Idempotent: a run repeated
    after a worker died writes the same rows."""
    from .models import ENDED_STATUSES, Case
    from .queries import sweep

    today = timezone.localdate()
    done = sweep(Case.objects.exclude(status__in=ENDED_STATUSES), today)
    return {"as_of": today.isoformat(), "cases": done}


def enqueue_refresh_deadlines(**_: Any) -> None:
    """Queue :func:`refresh_deadlines` unless one is already waiting (a calendar import
    of several years queues it once)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_deadlines.module_path
    ).exists()
    if not waiting:
        refresh_deadlines.enqueue()

"""Background tasks of the cases (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task


@task()
def refresh_deadlines() -> dict[str, Any]:
    """Compute again the nearest deadline kept on every case still taking steps (as
    ``zhifa cases refresh-deadlines``): daily, and after a year's holiday schedule was
    loaded or corrected, since its working days move the due dates."""
    from .models import ENDED_STATUSES, Case
    from .queries import refresh_deadlines as refresh

    today = timezone.localdate()
    done = refresh(Case.objects.exclude(status__in=ENDED_STATUSES), today)
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

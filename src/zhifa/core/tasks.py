"""The platform's own housekeeping tasks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus, task

#: Finished task results and claimed schedule slots are kept this long (for the admin's
#: view of what the workers did), then pruned.
KEEP_HISTORY = dt.timedelta(days=30)


@task()
def prune_task_history() -> dict[str, int]:
    """Delete finished task results and schedule slots older than ``KEEP_HISTORY``."""
    from django_tasks_db.models import DBTaskResult

    from .models import ScheduledRun

    before = timezone.now() - KEEP_HISTORY
    results, _ = DBTaskResult.objects.filter(
        finished_at__lt=before, status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=before).delete()
    return {"task_results": results, "scheduled_runs": runs}

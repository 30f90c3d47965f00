"""The administrator's view of the background work (issue #17 item 1): each periodic job
of the schedule (``schedule.jobs()``) with its last run, last success, the failures of
the kept history (``tasks.KEEP_HISTORY``) and its next slot, a warning when a job has
not run when it should have (no worker running), the recent results of the other tasks
(the bulk audits …), and "run now".

Read from the task results the workers keep (``django_tasks_db.DBTaskResult``) and the
schedule's claimed slots (``models.ScheduledRun``): a few queries per job, whatever the
history's size (the results are indexed by status and ordered by time)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import schedule
from .models import ScheduledRun
from .tasks import KEEP_HISTORY

logger = logging.getLogger("zhifa.schedule")

#: How long after its slot a job's task may wait to be claimed before the page warns
#: (the scheduler ticks every 30 seconds, an idle worker looks every second).
GRACE = dt.timedelta(minutes=5)
#: The other tasks' results the page lists (newest first).
OTHER_ROWS = 50
#: The failures listed per job (the count covers them all).
FAILURE_ROWS = 20


def in_words(job: schedule.Job) -> str:
    """The job's schedule as a sentence ("every 15 minutes", "daily at 00:15")."""
    if job.every is not None:
        minutes = int(job.every.total_seconds() // 60)
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("every hour", "every %(n)d hours", hours) % {"n": hours}
        return ngettext("every minute", "every %(n)d minutes", minutes) % {"n": minutes}
    assert job.at is not None
    return _("daily at %(time)s") % {"time": job.at.strftime("%H:%M")}


def _shown(result: DBTaskResult | None) -> DBTaskResult | None:
    """``result`` with ``returned_json``: what it returned as JSON text (the page's)."""
    if result is not None:
        result.returned_json = json.dumps(  # type: ignore[attr-defined]
            result.return_value, ensure_ascii=False, sort_keys=True, default=str
        )
    return result


def duration(result: DBTaskResult) -> dt.timedelta | None:
    if result.started_at is None or result.finished_at is None:
        return None
    return result.finished_at - result.started_at


@dataclass
class JobState:
    job: schedule.Job
    schedule: str
    last: DBTaskResult | None
    last_success: DBTaskResult | None
    failures: list[DBTaskResult]
    failure_count: int
    waiting: DBTaskResult | None
    last_slot: dt.datetime
    next_slot: dt.datetime
    #: Why the job looks stalled (empty: it ran when it should have).
    warning: str = ""

    @property
    def duration(self) -> dt.timedelta | None:
        return duration(self.last) if self.last is not None else None


@dataclass
class Background:
    now: dt.datetime
    jobs: list[JobState]
    others: list[DBTaskResult]
    other_failures: int
    #: When a worker last claimed a task or a slot (None: never, in the kept history).
    last_activity: dt.datetime | None
    #: The page's warning over all jobs: a job is late, so no worker seems to run.
    warning: str = ""
    kept_days: int = field(default=KEEP_HISTORY.days)


def _results(task_path: str) -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=task_path)


def _late(job: schedule.Job, now: dt.datetime, last_slot: dt.datetime) -> str:
    """Why ``job`` has not run for its latest slot although it should have by now."""
    if now - last_slot < GRACE:
        return ""
    run = ScheduledRun.objects.filter(job=job.name, slot=last_slot).first()
    if run is None:
        return _("Its slot of %(slot)s was not taken by any worker: is “zhifa worker” running?") % {
            "slot": timezone.localtime(last_slot).strftime("%Y-%m-%d %H:%M")
        }
    if run.task_id:
        result = DBTaskResult.objects.filter(pk=run.task_id).only("status").first()
        if result is not None and result.status == TaskResultStatus.READY:
            return _(
                "Its task of %(slot)s has waited since then without a worker claiming it: "
                "is “zhifa worker” running?"
            ) % {"slot": timezone.localtime(last_slot).strftime("%Y-%m-%d %H:%M")}
    return ""


def job_state(job: schedule.Job, now: dt.datetime) -> JobState:
    since = now - KEEP_HISTORY
    results = _results(job.task).order_by("-enqueued_at")
    failed = results.filter(status=TaskResultStatus.FAILED, enqueued_at__gte=since)
    last_slot = job.last_slot(now)
    return JobState(
        job=job,
        schedule=in_words(job),
        last=_shown(results.first()),
        last_success=results.filter(status=TaskResultStatus.SUCCESSFUL)
        .order_by("-finished_at")
        .first(),
        failures=list(failed[:FAILURE_ROWS]),
        failure_count=failed.count(),
        waiting=results.filter(status=TaskResultStatus.READY).first(),
        last_slot=last_slot,
        next_slot=job.next_slot(now),
        warning=_late(job, now, last_slot),
    )


def background(now: dt.datetime | None = None) -> Background:
    now = now or timezone.now()
    states = [job_state(job, now) for job in schedule.jobs()]
    scheduled = [job.task for job in schedule.jobs()]
    others = DBTaskResult.objects.exclude(task_path__in=scheduled).order_by("-enqueued_at")
    activity = [
        DBTaskResult.objects.aggregate(latest=Max("started_at"))["latest"],
        ScheduledRun.objects.aggregate(latest=Max("enqueued_at"))["latest"],
    ]
    late = [s.job.name for s in states if s.warning]
    return Background(
        now=now,
        jobs=states,
        others=[r for r in others[:OTHER_ROWS] if _shown(r)],
        other_failures=others.filter(
            status=TaskResultStatus.FAILED, enqueued_at__gte=now - KEEP_HISTORY
        ).count(),
        last_activity=max((a for a in activity if a is not None), default=None),
        warning=(
            ngettext(
                "%(n)d job has not run when it should have (%(names)s): no worker seems to "
                "be running. Start one with “zhifa worker”.",
                "%(n)d jobs have not run when they should have (%(names)s): no worker seems "
                "to be running. Start one with “zhifa worker”.",
                len(late),
            )
            % {"n": len(late), "names": ", ".join(late)}
            if late
            else ""
        ),
    )


def job_named(name: str) -> schedule.Job | None:
    return next((job for job in schedule.jobs() if job.name == name), None)


def _lock(job: schedule.Job) -> None:
    """Serialise "run now" of one job until the transaction ends: on PostgreSQL a
    transaction-level advisory lock on the job's name (two clicks at once enqueue
    once); SQLite lets one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"zhifa.run_now.{job.name}"]
            )


def run_now(job: schedule.Job, actor: Any) -> tuple[DBTaskResult, bool]:
    """Enqueue ``job``'s task now, unless one already waits to be claimed: returns the
    waiting or new task's result and whether this call enqueued it. An enqueued run is
    logged (``zhifa.schedule``) and kept in the admin's history of actions (LogEntry),
    as the administration site keeps its own."""
    with transaction.atomic():
        _lock(job)
        waiting = schedule.waiting(job.task)
        if waiting is not None:
            return waiting, False
        task: Any = import_string(job.task)
        result = task.enqueue()
        row = DBTaskResult.objects.get(pk=result.id)
        LogEntry.objects.create(
            user_id=actor.pk,
            content_type=ContentType.objects.get_for_model(DBTaskResult),
            object_id=str(row.pk),
            object_repr=f"{job.name}"[:200],
            action_flag=ADDITION,
            change_message=f"Run now: {job.name} ({job.task})",
        )
    logger.info(
        "run now: %s enqueued by %s",
        job.name,
        actor.get_username(),
        extra={"job": job.name, "task_id": str(row.pk), "user": actor.get_username()},
    )
    return row, True

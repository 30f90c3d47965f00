"""Periodic background work without cron: each app declares its jobs here, and every
``zhifa worker`` enqueues the jobs that are due as Django tasks.

A job is due once per *slot* (every N minutes, or once a day at a local time). Whichever
worker first claims a slot inserts a ``ScheduledRun`` row for it (unique per job and
slot) and enqueues the task in the same transaction; the others' inserts fail on the
constraint and enqueue nothing. So any number of workers on any number of machines run
each job once per slot, a worker that was down catches up on the current slot only
(never a backlog of missed ones), and no state lives outside the database."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

logger = logging.getLogger("zhifa.schedule")


@dataclass(frozen=True)
class Job:
    """``task`` (the dotted path of a Django task taking no arguments), enqueued every
    ``every`` (aligned to the day's start in the platform's time zone) or daily ``at``
    a local time."""

    name: str
    task: str
    every: dt.timedelta | None = None
    at: dt.time | None = None
    #: What the job does, for the admin's page of background work (``background``):
    #: marked for translation (``gettext_lazy``) in the app that registers it.
    description: str | Promise = ""

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name}: give exactly one of every= or at=")
        if self.every is not None and not (
            dt.timedelta(minutes=1) <= self.every <= dt.timedelta(days=1)
            and (dt.timedelta(days=1) % self.every) == dt.timedelta(0)
        ):
            raise ValueError(f"job {self.name}: every= must divide a day, 1 minute or more")

    def slot(self, now: dt.datetime) -> dt.datetime | None:
        """The start of the slot ``now`` falls in (an aware datetime), or None before
        today's time of a daily job."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.every is not None:
            periods = (local - midnight) // self.every
            return midnight + periods * self.every
        assert self.at is not None
        start = midnight.replace(hour=self.at.hour, minute=self.at.minute)
        return start if local >= start else None

    def last_slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the latest slot that began at or before ``now`` (for a daily
        job before today's time: yesterday's)."""
        slot = self.slot(now)
        if slot is None:
            assert self.at is not None
            yesterday = timezone.localtime(now) - dt.timedelta(days=1)
            slot = yesterday.replace(
                hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0
            )
        return slot

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the first slot after ``now``."""
        if self.every is not None:
            slot = self.slot(now)
            assert slot is not None
            return slot + self.every
        return self.last_slot(now) + dt.timedelta(days=1)


_jobs: dict[str, Job] = {}


def register(*jobs: Job) -> None:
    """Declare periodic jobs (from an app's ``AppConfig.ready``)."""
    for job in jobs:
        _jobs[job.name] = job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def waiting(task_path: str) -> Any:
    """The oldest result of the task at ``task_path`` still waiting for a worker
    (``READY``), or None."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY)
        .order_by("enqueued_at")
        .first()
    )


def enqueue_once(task: Any) -> bool:
    """Enqueue ``task`` unless a run of it already waits for a worker (a burst of
    triggers queues it once); returns whether this call enqueued it."""
    if waiting(task.module_path) is not None:
        return False
    task.enqueue()
    return True


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot no worker has claimed yet; returns the
    names of the jobs this call enqueued."""
    from .models import ScheduledRun

    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        slot = job.slot(now)
        if slot is None:
            continue
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        task: Any = import_string(job.task)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker claimed this slot first
        enqueued.append(job.name)
        logger.info("scheduled %s for %s", job.name, slot.isoformat())
    return enqueued


class Scheduler(threading.Thread):
    """Calls :func:`enqueue_due` every ``interval`` seconds until stopped (run beside
    the task loop in ``zhifa worker``)."""

    def __init__(self, interval: float = 30.0, on_error: Callable[[Exception], None] | None = None):
        super().__init__(name="zhifa-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()
        self.on_error = on_error

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                enqueue_due()
            except Exception as exc:  # the scheduler must outlive a bad tick
                logger.exception("scheduler tick failed")
                if self.on_error:
                    self.on_error(exc)
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()

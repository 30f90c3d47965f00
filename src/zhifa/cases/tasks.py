"""Background tasks of the cases (run by ``zhifa worker``).

The nightly sweep (issue #17; docs/adr/0018-sweep-in-chunk-tasks.md) is split so that
any number of workers share it: ``refresh_deadlines`` (the coordinator, scheduled
nightly) records a ``SweepRun`` as of its day and its primary-key ranges
(``SweepChunk``), and enqueues one ``refresh_chunk`` task per range, all in one
transaction; each chunk task audits its cases and marks the chunk done in one
transaction of its own. ``resume_sweeps`` (every quarter hour) enqueues again the chunks
whose task failed or whose worker died (django-tasks-db leaves such a task ``RUNNING``
for ever: nothing in it notices a dead worker), and closes the runs whose chunks are
all done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_tasks import TaskResultStatus, task

#: A chunk task running for longer than this has lost its worker (a chunk of
#: ``queries.SWEEP_CHUNK`` cases takes about a second): ``resume_sweeps`` enqueues the
#: chunk again. Running it twice is harmless (the chunk's row lock and ``done_at``).
CHUNK_LEASE = dt.timedelta(minutes=10)


class WorkerLost(Exception):
    """Recorded on a chunk task whose worker died mid-run (``resume_sweeps``)."""


def start_sweep(as_of: dt.date, chunk: int | None = None) -> Any:
    """Record a sweep of the cases still taking steps as of ``as_of`` and enqueue one
    ``refresh_chunk`` task per ``chunk`` of them (by primary key), in one transaction.
    Returns the ``SweepRun``."""
    from .models import ENDED_STATUSES, Case, SweepChunk, SweepRun
    from .queries import SWEEP_CHUNK

    size = chunk or SWEEP_CHUNK
    with transaction.atomic():
        run = SweepRun.objects.create(as_of=as_of, started_at=timezone.now())
        ids = (
            Case.objects.exclude(status__in=ENDED_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ranges: list[tuple[int, int]] = []
        first = last = None
        count = 0
        for pk in ids.iterator(chunk_size=10_000):
            if first is None:
                first = pk
            last = pk
            count += 1
            if count == size:
                ranges.append((first, last))
                first, count = None, 0
        if first is not None and last is not None:
            ranges.append((first, last))
        chunks = SweepChunk.objects.bulk_create(
            SweepChunk(run=run, first=lo, last=hi) for lo, hi in ranges
        )
        for sweep_chunk in chunks:
            sweep_chunk.task_id = str(refresh_chunk.enqueue(sweep_chunk.pk).id)
        SweepChunk.objects.bulk_update(chunks, ["task_id"], batch_size=1000)
        run.chunks = len(chunks)
        if not chunks:
            run.finished_at = timezone.now()
        run.save(update_fields=["chunks", "finished_at"])
    return run


@task()
def refresh_deadlines(chunk: int | None = None) -> dict[str, Any]:
    """The sweep (issue #17): audit every case still taking steps again and keep its
    findings, pending deadlines and nearest deadline (``queries.refresh_case``): nightly,
    since deadlines move with the calendar, and after a year's holiday schedule was
    loaded or corrected. Enqueues the chunk tasks (``start_sweep``) as of today; the
    workers run them."""
    run = start_sweep(timezone.localdate(), chunk)
    return {"as_of": run.as_of.isoformat(), "sweep": run.pk, "chunks": run.chunks}


@task()
def refresh_chunk(chunk_id: int) -> dict[str, Any]:
    """Audit the cases of one chunk of a sweep as of the sweep's day, in one transaction
    under the chunk's and the cases' row locks, and mark the chunk done in it. Idempotent:
    a chunk already done, or of a sweep a later one superseded, is skipped."""
    from zhifa.rules.calendar_db import database_calendar

    from .models import ENDED_STATUSES, Case, SweepChunk, SweepRun
    from .queries import refresh_locked

    with transaction.atomic():
        chunk = (
            SweepChunk.objects.select_for_update(of=("self",))
            .select_related("run")
            .filter(pk=chunk_id)
            .first()
        )
        if chunk is None or chunk.done_at is not None:
            return {"chunk": chunk_id, "skipped": "done" if chunk else "gone"}
        run = chunk.run
        if SweepRun.objects.filter(pk__gt=run.pk).exists():
            return {"chunk": chunk_id, "skipped": "superseded"}
        cases = Case.objects.exclude(status__in=ENDED_STATUSES).filter(
            pk__gte=chunk.first, pk__lte=chunk.last
        )
        done = refresh_locked(cases, run.as_of, database_calendar())
        chunk.cases = done
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["cases", "done_at"])
        _finish(run)
    return {"chunk": chunk_id, "as_of": run.as_of.isoformat(), "cases": done}


def _finish(run: Any) -> None:
    """Close ``run`` when its chunks are all done (under its row lock, so the last two
    chunks committing together cannot both miss it)."""
    from .models import SweepRun

    locked = SweepRun.objects.select_for_update().get(pk=run.pk)
    if locked.finished_at is not None or locked.chunk_set.filter(done_at__isnull=True).exists():
        return
    locked.cases = locked.chunk_set.aggregate(n=Sum("cases"))["n"] or 0
    locked.finished_at = timezone.now()
    locked.save(update_fields=["cases", "finished_at"])


@task()
def resume_sweeps() -> dict[str, Any]:
    """Enqueue again each chunk of the latest sweep that is not done and whose task
    failed, is gone, or has run longer than ``CHUNK_LEASE`` (its worker died); close the
    sweep when every chunk is done. Runs every quarter hour (``zhifa.core.schedule``)."""
    from django_tasks_db.models import DBTaskResult

    from .models import SweepRun

    run = SweepRun.objects.filter(finished_at__isnull=True).order_by("-pk").first()
    if run is None or SweepRun.objects.filter(pk__gt=run.pk).exists():
        return {"resumed": 0}
    now = timezone.now()
    pending = list(run.chunk_set.filter(done_at__isnull=True))
    results = {
        str(r.id): r
        for r in DBTaskResult.objects.filter(id__in=[c.task_id for c in pending if c.task_id])
    }
    resumed = []
    for chunk in pending:
        result = results.get(chunk.task_id)
        if result is not None and (
            result.status == TaskResultStatus.READY
            or (
                result.status == TaskResultStatus.RUNNING
                and result.started_at is not None
                and now - result.started_at < CHUNK_LEASE
            )
        ):
            continue
        if result is not None and result.status == TaskResultStatus.RUNNING:
            result.set_failed(WorkerLost(f"no result after {CHUNK_LEASE}: the worker died"))
        chunk.task_id = str(refresh_chunk.enqueue(chunk.pk).id)
        chunk.save(update_fields=["task_id"])
        resumed.append(chunk.pk)
    if not pending:
        with transaction.atomic():
            _finish(run)
    return {"sweep": run.pk, "resumed": len(resumed)}


def enqueue_refresh_deadlines(**_: Any) -> None:
    """Queue :func:`refresh_deadlines` unless one is already waiting (a calendar import
    of several years queues it once)."""
    from zhifa.core.schedule import enqueue_once

    enqueue_once(refresh_deadlines)

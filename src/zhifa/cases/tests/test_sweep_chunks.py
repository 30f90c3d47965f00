"""The nightly sweep shared by the workers (issue #17; docs/adr/0018-sweep-in-chunk-tasks.md):
the scheduled coordinator splits the open cases into primary-key chunks, one task each;
a worker that dies in the middle of a chunk loses nothing (the chunk's transaction rolls
back, its task is queued again once its lease ran out) and repeats nothing (a chunk is
marked done in the transaction that writes it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhifa.cases import queries, services, tasks
from zhifa.cases.models import (
    ENDED_STATUSES,
    AuditItem,
    Case,
    CaseStatus,
    SweepChunk,
    SweepRun,
)
from zhifa.catalogue.models import PowerItem
from zhifa.core.schedule import jobs
from zhifa.core.testing import FROZEN_NOW
from zhifa.registry.models import EnforcementSubject

from .conftest import BENCHMARK, D, People, open_general_case

CHUNK = 3
OPEN = 8
CHUNK_PATH = tasks.refresh_chunk.module_path


class Killed(BaseException):
    """The worker process dies (SIGKILL): not an exception the task may catch."""


def kept_rows() -> dict[int, list[tuple[Any, ...]]]:
    """Each case's stored audit rows and nearest deadline (what the sweep writes)."""
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for case in Case.objects.order_by("pk"):
        items = AuditItem.objects.filter(case=case).order_by("kind", "rule", "due", "step")
        rows[case.pk] = [
            (case.deadline_checked_on, case.next_deadline, case.next_deadline_rule),
            *items.values_list("kind", "rule", "severity", "step", "start", "due", "paused"),
        ]
    return rows


def worker() -> None:
    """``zhifa worker --once --schedule``: enqueue the jobs due now, run the queue."""
    call_command("worker", once=True, schedule=True, verbosity=0)


@pytest.fixture
def cases(organ_a: EnforcementSubject, power_item: PowerItem, people: People) -> list[Case]:
    opened = [
        open_general_case(organ_a, power_item, people, benchmark=BENCHMARK) for _ in range(OPEN + 1)
    ]
    services.refuse_registration(
        opened[-1],
        actor=people.head_user,
        on=D("2026-03-03"),
        reason="举报所涉行为不属实",
        approved_by=people.head,
        expected_steps=0,
    )
    assert Case.objects.get(pk=opened[-1].pk).status == CaseStatus.NOT_REGISTERED
    return opened


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_a_worker_killed_mid_chunk_and_restarted_refreshes_every_case_once(
    cases: list[Case], time_machine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    time_machine.move_to(FROZEN_NOW, tick=True)
    today = FROZEN_NOW.date()
    assert {"cases.refresh_deadlines", "cases.resume_sweeps"} <= {j.name for j in jobs()}
    open_pks = list(
        Case.objects.exclude(status__in=ENDED_STATUSES).order_by("pk").values_list("pk", flat=True)
    )
    closed = cases[-1].pk
    assert len(open_pks) == OPEN
    # What a sweep as of today keeps, computed in this process; then forgotten.
    queries.sweep(Case.objects.filter(pk__in=open_pks), today)
    expected = kept_rows()
    AuditItem.objects.filter(case__in=open_pks).delete()
    Case.objects.filter(pk__in=open_pks).update(
        next_deadline=None, next_deadline_rule="", deadline_checked_on=None
    )
    blank = kept_rows()
    assert all(blank[pk] == [(None, None, "")] for pk in open_pks)

    monkeypatch.setattr(queries, "SWEEP_CHUNK", CHUNK)
    pk_of = dict(Case.objects.values_list("case_id", "pk"))
    calls: list[int] = []  # the cases the engine audited, in order
    real_audit = queries.audit
    real_set_failed = DBTaskResult.set_failed
    manager = type(Case.objects)
    real_bulk_update = manager.bulk_update
    chunks_written: list[int] = []

    def audited(document: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(pk_of[document.case_id])
        return real_audit(document, *args, **kwargs)

    def dying(self: Any, objs: Any, *args: Any, **kwargs: Any) -> Any:
        done = real_bulk_update(self, objs, *args, **kwargs)
        if self.model is not Case:
            return done
        chunks_written.append(len(objs))
        if len(chunks_written) == 2:
            # The second chunk's rows are written (not committed) when the worker dies.
            raise Killed
        return done

    def dead(self: DBTaskResult, exc: BaseException) -> None:
        if isinstance(exc, Killed):
            raise exc  # a dead process records nothing: the task stays RUNNING
        real_set_failed(self, exc)

    monkeypatch.setattr(queries, "audit", audited)
    monkeypatch.setattr(manager, "bulk_update", dying)
    monkeypatch.setattr(DBTaskResult, "set_failed", dead)
    with pytest.raises(Killed):
        worker()
    assert chunks_written == [3, 3]

    run = SweepRun.objects.get()
    assert run.as_of == today and run.finished_at is None
    chunks = list(run.chunk_set.order_by("first"))
    assert [(c.first, c.last) for c in chunks] == [
        (open_pks[0], open_pks[2]),
        (open_pks[3], open_pks[5]),
        (open_pks[6], open_pks[7]),
    ]
    assert [c.done_at is not None for c in chunks] == [True, False, False]
    results = {str(r.id): r for r in DBTaskResult.objects.filter(task_path=CHUNK_PATH)}
    assert [results[c.task_id].status for c in chunks] == [
        TaskResultStatus.SUCCESSFUL,
        TaskResultStatus.RUNNING,
        TaskResultStatus.READY,
    ]
    # The first chunk is kept; the second's first case was rolled back with the chunk.
    now = kept_rows()
    assert all(now[pk] == expected[pk] for pk in open_pks[:3])
    assert all(now[pk] == blank[pk] for pk in open_pks[3:])

    # Restarted at once: the other chunks run; the dead one's lease has not run out.
    assert calls == open_pks[:6]  # the second chunk's were rolled back with it
    monkeypatch.setattr(manager, "bulk_update", real_bulk_update)
    monkeypatch.setattr(DBTaskResult, "set_failed", real_set_failed)
    del calls[:]
    worker()
    assert calls == open_pks[6:]
    run.refresh_from_db()
    assert run.finished_at is None

    # Past the lease, the next tick of the schedule queues the dead chunk again.
    later = dt.timedelta(minutes=16)  # the next slot of the quarter-hourly job
    assert later > tasks.CHUNK_LEASE
    time_machine.move_to(FROZEN_NOW + later, tick=True)
    worker()
    assert calls == open_pks[6:] + open_pks[3:6]
    run.refresh_from_db()
    assert run.as_of == today and run.finished_at is not None
    assert run.cases == OPEN and run.chunks == 3
    assert SweepRun.objects.count() == 1  # the day's sweep was scheduled once

    # Each open case refreshed once, as of the sweep's day: its rows are what one audit
    # as of that day keeps (no row twice); the case not registered was not touched.
    assert Counter(open_pks[:CHUNK] + calls) == Counter(open_pks)
    assert kept_rows() == {**expected, closed: blank[closed]}
    assert [c.cases for c in run.chunk_set.order_by("first")] == [3, 3, 2]
    statuses = Counter(r.status for r in DBTaskResult.objects.filter(task_path=CHUNK_PATH))
    assert statuses == {TaskResultStatus.SUCCESSFUL: 3, TaskResultStatus.FAILED: 1}
    lost = DBTaskResult.objects.get(task_path=CHUNK_PATH, status=TaskResultStatus.FAILED)
    assert lost.exception_class_path == "zhifa.cases.tasks.WorkerLost"
    # A chunk task run again (a duplicate queued before the first finished) is a no-op.
    assert tasks.refresh_chunk.call(chunks[1].pk)["skipped"] == "done"
    assert calls == open_pks[6:] + open_pks[3:6]


@pytest.mark.django_db
def test_a_later_sweep_supersedes_the_chunks_of_an_unfinished_one(
    cases: list[Case], today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "SWEEP_CHUNK", CHUNK)
    first = tasks.start_sweep(today - dt.timedelta(days=1))
    second = tasks.start_sweep(today)
    old = first.chunk_set.order_by("first").first()
    assert tasks.refresh_chunk.call(old.pk)["skipped"] == "superseded"
    done = [tasks.refresh_chunk.call(c.pk)["cases"] for c in second.chunk_set.order_by("first")]
    assert done == [3, 3, 2]
    second.refresh_from_db()
    assert second.finished_at is not None and second.cases == OPEN
    assert set(
        Case.objects.exclude(status__in=ENDED_STATUSES).values_list(
            "deadline_checked_on", flat=True
        )
    ) == {today}
    assert tasks.resume_sweeps.call() == {"resumed": 0}
    assert not SweepChunk.objects.filter(run=first, done_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_sweep_with_no_open_case_is_finished_at_once(today: dt.date) -> None:
    run = tasks.start_sweep(today)
    assert run.chunks == 0 and run.finished_at is not None

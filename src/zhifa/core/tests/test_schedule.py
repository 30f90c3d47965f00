"""Periodic jobs without cron (``zhifa.core.schedule``): each job is enqueued once per
slot whichever and however many workers look, and ``zhifa worker --once`` runs them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhifa.core import schedule
from zhifa.core.models import ScheduledRun
from zhifa.core.schedule import Job, enqueue_due

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class TestSlots:
    def test_every_quarter_hour_from_local_midnight(self):
        job = Job("x", "x.y", every=dt.timedelta(minutes=15))
        assert job.slot(at("2026-12-31 23:59:59")) == at("2026-12-31 23:45")
        assert job.slot(at("2027-01-01 00:00")) == at("2027-01-01 00:00")
        assert job.slot(at("2027-01-01 00:14:59")) == at("2027-01-01 00:00")

    def test_daily_at_a_local_time(self):
        job = Job("x", "x.y", at=dt.time(0, 5))
        assert job.slot(at("2027-01-01 00:04")) is None
        assert job.slot(at("2027-01-01 00:05")) == at("2027-01-01 00:05")
        # 00:05 Beijing time is 16:05 UTC the day before: the slot is the local day's.
        assert job.slot(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)) == at("2027-01-01 00:05")

    @pytest.mark.parametrize(
        "kwargs",
        [
            {},
            {"every": dt.timedelta(minutes=15), "at": dt.time(1)},
            {"every": dt.timedelta(seconds=30)},
            {"every": dt.timedelta(minutes=7)},  # does not divide the day
            {"every": dt.timedelta(days=2)},
        ],
    )
    def test_a_job_needs_one_sensible_period(self, kwargs):
        with pytest.raises(ValueError, match="job bad"):
            Job("bad", "x.y", **kwargs)


@pytest.mark.django_db
class TestEnqueueDue:
    def test_each_declared_job_once_per_slot(self, time_machine):
        time_machine.move_to(at("2027-01-04 09:20"), tick=False)
        names = {job.name for job in schedule.jobs()}
        assert {
            "registry.expire",
            "records.checkpoint",
            "records.verify",
            "cases.refresh_deadlines",
            "core.prune_task_history",
            "rules.prune_audit_requests",
        } <= names
        assert set(enqueue_due()) == names
        # A second worker (or a second tick) in the same slots enqueues nothing.
        assert enqueue_due() == []
        assert DBTaskResult.objects.count() == len(names)
        # The next quarter hour: only the jobs run every quarter hour or more often are
        # due again (the record checkpoint among them; the apps declare others).
        quarter_hourly = sorted(
            job.name
            for job in schedule.jobs()
            if job.every is not None and job.every <= dt.timedelta(minutes=15)
        )
        assert "records.checkpoint" in quarter_hourly and len(quarter_hourly) < len(names)
        time_machine.move_to(at("2027-01-04 09:30"), tick=False)
        assert sorted(enqueue_due()) == quarter_hourly
        # The next day: every daily job again (a slot missed while no worker ran is not
        # made up for: only the current one is enqueued).
        time_machine.move_to(at("2027-01-06 12:00"), tick=False)
        assert set(enqueue_due()) == names
        assert ScheduledRun.objects.filter(job="registry.expire").count() == 2

    def test_a_daily_job_waits_for_its_time(self, time_machine):
        time_machine.move_to(at("2027-01-04 00:01"), tick=False)
        enqueued = enqueue_due()
        assert "records.checkpoint" in enqueued
        assert "registry.expire" not in enqueued and "records.verify" not in enqueued

    @pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
    def test_the_worker_runs_what_is_due(self, time_machine, regions):
        time_machine.move_to(at("2027-01-04 09:20"), tick=True)
        call_command("worker", once=True, schedule=True, verbosity=0)
        results = {r.task_path: r for r in DBTaskResult.objects.all()}
        assert results, "nothing was enqueued"
        for path, result in results.items():
            assert result.status == TaskResultStatus.SUCCESSFUL, (path, result.traceback)
        expired = results["zhifa.registry.tasks.expire_registrations"].return_value
        assert expired["certificates_expired"] == 0
        verified = results["zhifa.records.tasks.verify_record"].return_value
        assert verified["ok"] is True

    def test_the_worker_refuses_bad_options(self):
        for interval in (0, -1, float("nan"), float("inf"), 1e-300, 86_400):
            with pytest.raises(CommandError, match="--interval: expected"):
                call_command("worker", interval=interval)
        with pytest.raises(CommandError, match="--max-tasks"):
            call_command("worker", max_tasks=0)

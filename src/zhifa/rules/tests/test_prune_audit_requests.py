"""Background audits are not kept for ever (issue 13): a daily job deletes those that
finished more than 7 days ago, and those that never finished in 7 days (a worker died
during the audit) with the uploaded bytes they still hold."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhifa.core import schedule
from zhifa.rules.models import AuditRequest
from zhifa.rules.tasks import KEEP_AUDIT_REQUESTS, prune_audit_requests

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: the day the job runs (frozen)
TODAY = dt.datetime(2026, 11, 24, 3, 45, tzinfo=SHANGHAI)

Status = AuditRequest.Status


def _request(time_machine: Any, user: Any, created: dt.datetime, **fields: Any) -> AuditRequest:
    time_machine.move_to(created, tick=False)
    return AuditRequest.objects.create(user=user, **fields)


def test_the_job_is_declared_daily() -> None:
    job = {j.name: j for j in schedule.jobs()}["rules.prune_audit_requests"]
    assert job.task == "zhifa.rules.tasks.prune_audit_requests"
    assert (job.at, job.every) == (dt.time(3, 45), None)
    assert dt.timedelta(days=7) == KEEP_AUDIT_REQUESTS


@pytest.mark.django_db
def test_old_finished_and_abandoned_audits_are_deleted(time_machine: Any, reviewer_a: Any) -> None:
    eight_days = TODAY - dt.timedelta(days=8)
    six_days = TODAY - dt.timedelta(days=6)
    just_over = TODAY - KEEP_AUDIT_REQUESTS - dt.timedelta(seconds=1)
    old_done = _request(
        time_machine,
        reviewer_a,
        eight_days,
        status=Status.DONE,
        result={"findings": []},
        finished_at=eight_days + dt.timedelta(minutes=1),
    )
    old_failed = _request(
        time_machine, reviewer_a, eight_days, status=Status.FAILED, error="x", finished_at=just_over
    )
    # a worker died during the audit: never finished, the uploaded bytes still there
    abandoned = _request(
        time_machine, reviewer_a, eight_days, status=Status.RUNNING, content=b"{...}" * 1000
    )
    # uploaded long ago, finished within the week: kept for its user
    late = _request(
        time_machine,
        reviewer_a,
        eight_days,
        status=Status.DONE,
        result={"findings": []},
        finished_at=six_days,
    )
    recent = _request(
        time_machine, reviewer_a, six_days, status=Status.FAILED, error="x", finished_at=six_days
    )
    waiting = _request(time_machine, reviewer_a, six_days, status=Status.QUEUED, content=b"{}")

    time_machine.move_to(TODAY, tick=False)
    result = prune_audit_requests.call()

    assert result["audit_requests"] == 3
    remaining = set(AuditRequest.objects.values_list("pk", flat=True))
    assert remaining == {late.pk, recent.pk, waiting.pk}
    assert not remaining & {old_done.pk, old_failed.pk, abandoned.pk}
    # a second run the same day has nothing left to delete
    assert prune_audit_requests.call()["audit_requests"] == 0

"""The administrator's page of background work (``core.background``, issue #17 item 1):
each scheduled job's schedule, last run, last success, failures (with their tracebacks)
and next slot; a warning when a job has not run when it should have; the other tasks'
results; "run now" (once while one waits); staff only."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from zhifa.accounts.models import Role
from zhifa.core import schedule
from zhifa.core.models import ScheduledRun
from zhifa.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = reverse("core:background")
NOW = dt.datetime(2027, 1, 4, 9, 22, tzinfo=SHANGHAI)
TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "registry/tasks.py", line 12, in expire_registrations\n'
    "ZeroDivisionError: division by zero\n"
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def result(task: str, status: str, enqueued: str, took: float | None = None, **kw: Any) -> Any:
    """A task result as a worker leaves it: enqueued at ``enqueued``, started a second
    later and finished ``took`` seconds after that."""
    enqueued_at = at(enqueued)
    started = enqueued_at + dt.timedelta(seconds=1) if took is not None else None
    kw.setdefault("args_kwargs", {"args": [], "kwargs": {}})
    row = DBTaskResult.objects.create(
        task_path=task,
        status=status,
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        started_at=started,
        finished_at=started + dt.timedelta(seconds=took) if started and took else None,
        **kw,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued_at)
    row.refresh_from_db()
    return row


def job(name: str) -> schedule.Job:
    return next(j for j in schedule.jobs() if j.name == name)


@pytest.fixture
def history(time_machine: Any) -> dict[str, Any]:
    """At 09:22 on Mon 2027-01-04: every job ran in its latest slot but the record's
    checkpoint (its 09:15 slot was taken by no worker); the registry's expiry failed
    yesterday (and 40 days ago: outside the kept history) and succeeded today; a bulk
    audit (not scheduled) failed."""
    time_machine.move_to(NOW, tick=False)
    for j in schedule.jobs():
        if j.name == "records.checkpoint":
            continue
        slot = j.last_slot(NOW)
        done = result(j.task, TaskResultStatus.SUCCESSFUL, slot.isoformat()[:19], 1.0)
        ScheduledRun.objects.create(job=j.name, slot=slot, task_id=str(done.pk))
    expire = job("registry.expire").task
    DBTaskResult.objects.filter(task_path=expire).delete()
    failed = result(
        expire,
        TaskResultStatus.FAILED,
        "2027-01-03 00:05:00",
        0.5,
        exception_class_path="builtins.ZeroDivisionError",
        traceback=TRACEBACK,
    )
    result(
        expire,
        TaskResultStatus.FAILED,
        "2026-11-20 00:05:00",
        0.5,
        exception_class_path="builtins.OldError",
        traceback="old",
    )
    ok = result(
        expire,
        TaskResultStatus.SUCCESSFUL,
        "2027-01-04 00:05:00",
        2.25,
        return_value={"n": 2},
    )
    ScheduledRun.objects.filter(job="registry.expire").update(task_id=str(ok.pk))
    bulk = result(
        "zhifa.supervision.tasks.run_bulk_audit",
        TaskResultStatus.FAILED,
        "2027-01-04 08:00:00",
        3.0,
        exception_class_path="builtins.ValueError",
        traceback="Traceback …\nValueError: bad zip member\n",
        args_kwargs={"args": [7], "kwargs": {}},
    )
    return {"failed": failed, "ok": ok, "bulk": bulk}


def test_the_page_shows_each_jobs_figures_from_the_kept_rows(
    history: dict[str, Any], admin_user: Any
) -> None:
    response = client_for(admin_user).get(URL)
    assert response.status_code == 200
    state = response.context["state"]
    assert [s.job.name for s in state.jobs] == [j.name for j in schedule.jobs()]
    expire = next(s for s in state.jobs if s.job.name == "registry.expire")
    assert expire.last == history["ok"] and expire.last_success == history["ok"]
    assert expire.duration == dt.timedelta(seconds=2.25)
    assert expire.failure_count == 1  # the one of 40 days ago is outside the kept history
    assert expire.failures == [history["failed"]]
    assert expire.next_slot == at("2027-01-05 00:05")
    assert expire.warning == ""
    checkpoint = next(s for s in state.jobs if s.job.name == "records.checkpoint")
    assert checkpoint.last is None and checkpoint.next_slot == at("2027-01-04 09:30")
    assert checkpoint.warning
    assert [s.job.name for s in state.jobs if s.warning] == ["records.checkpoint"]
    assert [r.pk for r in state.others] == [history["bulk"].pk] and state.other_failures == 1

    page = response.content.decode()
    # Chinese by default: the schedule in words, the statuses, the warning.
    assert "每天 00:05" in page and "每 15 分钟" in page
    assert "成功" in page and "失败" in page
    assert 'id="background-warning"' in page and "records.checkpoint" in page
    assert "zhifa worker" in page
    # The failure's error and traceback, and what the last run returned.
    assert "builtins.ZeroDivisionError" in page
    assert "ZeroDivisionError: division by zero" in page
    assert "bad zip member" in page
    assert "{&quot;n&quot;: 2}" in page
    assert "2.25 s" in page
    assert "builtins.OldError" not in page


def test_the_page_is_in_english_when_asked(history: dict[str, Any], admin_user: Any) -> None:
    client = client_for(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL).content.decode()
    assert "daily at 00:05" in page and "every 15 minutes" in page and "Run now" in page


def test_no_warning_when_every_job_ran(history: dict[str, Any], admin_user: Any) -> None:
    checkpoint = job("records.checkpoint")
    slot = checkpoint.last_slot(NOW)
    done = result(checkpoint.task, TaskResultStatus.SUCCESSFUL, "2027-01-04 09:15:00", 0.1)
    ScheduledRun.objects.create(job=checkpoint.name, slot=slot, task_id=str(done.pk))
    response = client_for(admin_user).get(URL)
    assert response.context["state"].warning == ""
    assert 'id="background-warning"' not in response.content.decode()
    # A slot taken but its task never claimed: the worker is not running either.
    DBTaskResult.objects.filter(pk=done.pk).update(
        status=TaskResultStatus.READY, started_at=None, finished_at=None
    )
    state = client_for(admin_user).get(URL).context["state"]
    assert [s.job.name for s in state.jobs if s.warning] == ["records.checkpoint"]


def test_only_staff_see_the_page_or_run_a_job(
    history: dict[str, Any], admin_user: Any, officer_a: Any, supervisor_city: Any, regions: Any
) -> None:
    run = reverse("core:background_run", args=["registry.expire"])
    anonymous = Client()
    assert anonymous.get(URL).status_code == 302
    assert anonymous.post(run).status_code == 302
    regional_admin = make_user("admin_city", Role.ADMINISTRATOR, region=regions["330400"])
    for user in (officer_a, supervisor_city, regional_admin):
        assert not user.is_staff
        client = client_for(user)
        assert client.get(URL).status_code == 403, user.username
        assert client.post(run).status_code == 403, user.username
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert client_for(admin_user).get(URL).status_code == 200


def test_run_now_enqueues_once_while_one_waits(history: dict[str, Any], admin_user: Any) -> None:
    client = client_for(admin_user)
    run = reverse("core:background_run", args=["registry.expire"])
    task = job("registry.expire").task
    response = client.post(run, follow=True)
    assert response.status_code == 200
    waiting = DBTaskResult.objects.filter(task_path=task, status=TaskResultStatus.READY)
    assert waiting.count() == 1
    entry = LogEntry.objects.get()
    assert (entry.user_id, entry.object_id) == (admin_user.pk, str(waiting.get().pk))
    assert "registry.expire" in entry.change_message
    # The page says it waits and offers no second run; a second POST enqueues nothing.
    row = response.content.decode().split('data-job="registry.expire"')[1].split("</tr>")[0]
    assert 'class="waiting"' in row and "background_run" not in row
    again = client.post(run, follow=True)
    assert waiting.count() == 1 and LogEntry.objects.count() == 1
    assert "registry.expire" in " ".join(str(m) for m in again.context["messages"])
    # Once a worker ran it, it may be run again.
    waiting.update(status=TaskResultStatus.SUCCESSFUL)
    client.post(run)
    assert waiting.count() == 1 and LogEntry.objects.count() == 2
    # An unknown job: 404; GET is not allowed.
    assert client.post(reverse("core:background_run", args=["nope"])).status_code == 404
    assert client.get(run).status_code == 405


def test_the_admin_index_links_to_the_page(admin_user: Any) -> None:
    page = client_for(admin_user).get(reverse("admin:index")).content.decode()
    assert URL in page

"""One read model (issue #12, cases.queries): the work list and the API list read the
nearest deadline kept on the case (no audit per row) and give the same answer as the
engine; "mine" reads ``Case.opened_by``; the approvals page is paginated; the case page
and the API say the same of a party's window that passed."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.cases import queries, services
from zhifa.cases.models import Case, CaseStatus
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar

from .conftest import BASIS, PARTY, VIOLATION, D, Walker

pytestmark = pytest.mark.django_db


def _engine_nearest(case: Case, today: dt.date) -> queries.Deadline | None:
    """The nearest deadline from a fresh audit of the case (what the case page reads)."""
    return queries.nearest(queries.case_deadlines(case, today, database_calendar()))


def _pair(d: queries.Deadline | None) -> tuple[str, str, str, bool] | None:
    return None if d is None else (d.rule, d.due.isoformat(), d.status, d.paused)


# --- (a) the work list and the API list agree, with the engine, on every demo case ----


def test_work_list_and_api_list_agree_on_every_demo_case(today: dt.date) -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    supervisor = User.objects.get(username="supervisor")
    client = client_for(supervisor)
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) > 10

    page_rows: dict[int, queries.Deadline | None] = {}
    number = 1
    while True:
        response = client.get(reverse("cases:list"), {"page": number})
        assert response.status_code == 200
        for row in response.context["rows"]:
            page_rows[row.case.pk] = row.deadline
        if not response.context["page"].has_next():
            break
        number += 1
    listed = client.get("/api/v1/cases", {"limit": 100}).json()
    assert listed["count"] == len(cases) == len(page_rows)
    api_rows = {item["id"]: item["next_deadline"] for item in listed["items"]}

    pending = 0
    for case in cases:
        shown = page_rows[case.pk]
        api = api_rows[case.pk]
        if shown is None:
            assert api is None, case.case_id
        else:
            pending += 1
            assert api == {
                "rule": shown.rule,
                "due": shown.due.isoformat(),
                "status": shown.status,
                "working_days_left": shown.working_days_left,
                "days_overdue": shown.days_overdue,
                "paused": shown.paused,
            }, case.case_id
        # ... and both are the engine's answer of today (the demo was built today).
        assert _pair(shown) == _pair(_engine_nearest(case, today)), case.case_id
    statuses = {d.status for d in page_rows.values() if d is not None}
    assert pending >= 5 and {"open", "overdue"} <= statuses


def test_the_api_says_closed_where_the_case_page_does(walk: Walker, today: dt.date) -> None:
    """The disagreement of issue #12: the page said APL-64-hearing-request "closed", the
    API "overdue", for the same case."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    walk.notify()  # the party never asked for a hearing
    client = client_for(walk.p.officer_user)
    page = client.get(reverse("cases:detail", args=[walk.case.pk]))
    shown = {d.rule: d.status for d in page.context["deadlines"]}
    assert shown["APL-64-hearing-request"] == "closed"
    for url in (f"/api/v1/cases/{walk.case.pk}", f"/api/v1/cases/{walk.case.pk}/deadlines"):
        body = client.get(url).json()
        items = body["deadlines"] if isinstance(body, dict) else body
        assert {d["rule"]: d["status"] for d in items} == shown, url


# --- (b) the work list's query count is flat from 25 to 500 cases ----------------------


def _bulk_cases(organ: EnforcementSubject, opener: User, n: int, start: int) -> None:
    """``n`` cases in one INSERT, each with a nearest deadline kept, half overdue."""
    Case.objects.bulk_create(
        Case(
            organ=organ,
            case_id=f"BULK-{start + i:05d}",
            procedure="general",
            power="CF-124",
            party_type=PARTY["type"],
            party_name=f"{PARTY['name']}{i}",
            violation=VIOLATION,
            basis=BASIS,
            status=CaseStatus.AWAITING_REGISTRATION if i % 2 else CaseStatus.INVESTIGATING,
            opened_by=opener,
            next_deadline=D("2026-01-05") + dt.timedelta(days=i % 400),
            next_deadline_rule="APL-60-decision-deadline",
            deadline_checked_on=D("2026-01-01"),
        )
        for i in range(n)
    )


def _queries(client: Any, url: str, params: dict[str, Any]) -> int:
    """The queries of one list request, which must not audit any case (the nearest
    deadline is read from the case)."""
    with (
        mock.patch("zhifa.rules.engine.audit._run", side_effect=AssertionError("audit")) as run,
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert run.call_count == 0
    return len(captured)


def test_the_lists_query_count_stays_flat_from_25_to_500_cases(
    organ_a: EnforcementSubject, officer_a: User, head_a: User, today: dt.date
) -> None:
    officer, head = client_for(officer_a), client_for(head_a)
    pages = [
        (officer, reverse("cases:list"), {}),
        (officer, reverse("cases:list"), {"all": "1", "page": "2"}),
        (officer, "/api/v1/cases", {"mine": "true", "limit": "25"}),
        (head, reverse("cases:approvals"), {}),
    ]
    _bulk_cases(organ_a, officer_a, 25, 0)
    for client, url, params in pages:  # warm caches (sessions, content types)
        _queries(client, url, params)
    small = [_queries(client, url, params) for client, url, params in pages]
    _bulk_cases(organ_a, officer_a, 475, 25)
    assert Case.objects.count() == 500
    large = [_queries(client, url, params) for client, url, params in pages]
    assert large == small
    print(f"queries at 25 cases: {small}; at 500 cases: {large}")


def test_the_work_list_puts_the_nearest_deadline_first(
    organ_a: EnforcementSubject, officer_a: User, today: dt.date
) -> None:
    """The list was newest first: an overdue case opened long ago fell to a later
    page. Now the nearest kept deadline comes first, cases without one last, then the
    newest."""
    _bulk_cases(organ_a, officer_a, 4, 0)
    kept = {
        "BULK-00000": today - dt.timedelta(days=10),  # overdue, the oldest case
        "BULK-00001": None,
        "BULK-00002": today + dt.timedelta(days=20),
        "BULK-00003": None,
    }
    for case_id, due in kept.items():
        Case.objects.filter(case_id=case_id).update(next_deadline=due)
    expected = ["BULK-00000", "BULK-00002", "BULK-00003", "BULK-00001"]
    client = client_for(officer_a)
    page = client.get(reverse("cases:list"), {"all": "1"})
    assert [row.case.case_id for row in page.context["rows"]] == expected
    listed = client.get("/api/v1/cases", {"limit": "25"}).json()
    assert [item["case_id"] for item in listed["items"]] == expected


# --- (c) the approvals page is paginated ------------------------------------------------


def test_the_approvals_page_is_paginated(
    organ_a: EnforcementSubject, officer_a: User, head_a: User, today: dt.date
) -> None:
    _bulk_cases(organ_a, officer_a, 60, 0)  # 30 await registration
    head = client_for(head_a)
    first = head.get(reverse("cases:approvals"))
    assert first.status_code == 200
    page = first.context["page"]
    assert page.paginator.count == 30 and page.paginator.num_pages == 2
    assert len(first.context["groups"]["registration"]) == 25
    html = first.content.decode()
    assert html.count("/steps/registered/") == 25 and "(30)" in html
    second = head.get(reverse("cases:approvals"), {"page": "2"})
    assert len(second.context["groups"]["registration"]) == 5
    shown = {r["case"].pk for r in first.context["groups"]["registration"]} | {
        r["case"].pk for r in second.context["groups"]["registration"]
    }
    assert shown == set(
        Case.objects.filter(status=CaseStatus.AWAITING_REGISTRATION).values_list("pk", flat=True)
    )
    # Still the organ head's page only.
    assert client_for(officer_a).get(reverse("cases:approvals")).status_code == 403


# --- (d) opened_by ------------------------------------------------------------------------


def test_opened_by_is_set_on_open_and_by_the_data_migration(
    walk: Walker, officer_b: User, today: dt.date
) -> None:
    case = walk.case
    assert case.opened_by == walk.p.officer_user
    case.refresh_from_db()
    assert case.opened_by_id == walk.p.officer_user.pk
    # "mine" of the API and the work list: the opener sees it before any investigator
    # is named; another organ's officer does not see it at all.
    mine = client_for(walk.p.officer_user).get("/api/v1/cases", {"mine": "true"}).json()
    assert [c["id"] for c in mine["items"]] == [case.pk]
    assert client_for(officer_b).get("/api/v1/cases", {"mine": "true"}).json()["items"] == []

    # The data migration fills it from the record entry case.open.
    Case.objects.filter(pk=case.pk).update(opened_by=None)
    migration = importlib.import_module("zhifa.cases.migrations.0007_case_read_model")
    migration.fill_opened_by(apps, None)
    case.refresh_from_db()
    assert case.opened_by_id == walk.p.officer_user.pk


# --- (e) the nearest deadline follows steps, suspension and resumption -----------------


def _kept(case: Case) -> tuple[str, dt.date | None]:
    case.refresh_from_db()
    return case.next_deadline_rule, case.next_deadline


def _live(case: Case, today: dt.date) -> tuple[str, dt.date | None]:
    items = queries.case_audit_deadlines(case, today)
    item = queries.nearest_item(items)
    return ("", None) if item is None else (item.rule, item.due.due)


def test_the_kept_deadline_follows_a_step_a_suspension_and_a_resumption(
    walk: Walker, today: dt.date
) -> None:
    case = walk.case
    opened = _kept(case)
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    registered = _kept(case)
    assert registered[0] == "APL-60-decision-deadline" and registered != opened
    assert registered == _live(case, today)

    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    assert _kept(case) == _live(case, today)
    before = _kept(case)

    services.suspend_case(case, actor=walk.p.head_user, on=D("2026-03-19"), reason="检验")
    case.refresh_from_db()
    assert case.deadline_checked_on == today
    suspended = _kept(case)
    assert suspended[0] == before[0] == "APL-60-decision-deadline"
    assert suspended[1] is not None and before[1] is not None
    assert suspended[1] > before[1]  # the suspended days (up to today) moved the due date
    assert suspended == _live(case, today)
    shown = queries.listed_deadline(case, today, database_calendar())
    assert shown is not None and shown.paused

    services.resume_case(case, actor=walk.p.head_user, on=D("2026-03-24"))
    resumed = _kept(case)
    assert resumed[1] is not None and before[1] < resumed[1] < suspended[1]
    assert resumed == _live(case, today)
    shown = queries.listed_deadline(case, today, database_calendar())
    assert shown is not None and not shown.paused

    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    walk.decide()
    decided = _kept(case)
    assert decided == _live(case, today) and decided[0] != "APL-60-decision-deadline"


def test_refresh_deadlines_command_fills_cases_without_one(walk: Walker, today: dt.date) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    expected = _kept(walk.case)
    Case.objects.update(next_deadline=None, next_deadline_rule="", deadline_checked_on=None)
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("cases", "refresh-deadlines", stdout=out)
    assert _kept(walk.case) == expected
    walk.case.refresh_from_db()
    assert walk.case.deadline_checked_on == today


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_loading_a_holiday_schedule_queues_one_deadline_refresh(
    walk: Walker, today: dt.date
) -> None:
    """A year's holiday schedule loaded (``zhifa calendar import``, the admin) moves due
    dates counted in working days: the kept deadlines are refreshed by a background task,
    queued once however many years the import holds."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from zhifa.cases.tasks import refresh_deadlines
    from zhifa.rules.calendar_db import import_schedules
    from zhifa.rules.engine.workdays import YearSchedule

    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    expected = _kept(walk.case)
    Case.objects.update(next_deadline=D("2026-01-01"), deadline_checked_on=D("2026-01-01"))
    path = refresh_deadlines.module_path
    assert not DBTaskResult.objects.filter(task_path=path).exists()

    import_schedules(
        [
            YearSchedule(year=2031, holidays=frozenset({D("2031-01-01")}), workdays=frozenset()),
            YearSchedule(year=2032, holidays=frozenset({D("2032-01-01")}), workdays=frozenset()),
        ]
    )
    queued = DBTaskResult.objects.filter(task_path=path)
    assert [r.status for r in queued] == [TaskResultStatus.READY]

    call_command("worker", once=True, verbosity=0)
    result = DBTaskResult.objects.get(task_path=path)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.traceback
    assert result.return_value["as_of"] == today.isoformat()
    assert result.return_value["chunks"] == 1
    chunk = DBTaskResult.objects.get(task_path="zhifa.cases.tasks.refresh_chunk")
    assert chunk.status == TaskResultStatus.SUCCESSFUL, chunk.traceback
    assert chunk.return_value["cases"] == 1
    assert _kept(walk.case) == expected
    walk.case.refresh_from_db()
    assert walk.case.deadline_checked_on == today

"""The supervisor's warnings (SUP-warning, issue #17): the last audit of each case kept
per case (``cases.AuditItem``), the sweep, the levels on the page, the complaint clocks,
scope and the query count of the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from time_machine import TimeMachineFixture

from zhifa.accounts.models import Role, User
from zhifa.cases import queries, services
from zhifa.cases.models import AuditItem, Case, SweepChunk
from zhifa.cases.tasks import refresh_chunk, refresh_deadlines
from zhifa.cases.tests.conftest import BASIS, PARTY, People, Walker
from zhifa.complaints import services as complaint_services
from zhifa.core.testing import FROZEN_NOW, client_for, make_user
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit
from zhifa.rules.engine.supervision import deadline_level, finding_level
from zhifa.supervision import organ_warnings, warnings

pytestmark = pytest.mark.django_db

URL = reverse("supervision:warning_list")
D = dt.date.fromisoformat


def move_to(time_machine: TimeMachineFixture, day: str) -> dt.date:
    """The clock at 10:00 (Shanghai) on ``day``, ticking."""
    time_machine.move_to(FROZEN_NOW.replace(*map(int, day.split("-"))), tick=True)
    return timezone.localdate()


def opened_today(organ: EnforcementSubject, power_item: Any, people: People) -> Case:
    """A general case discovered and opened today (2026-11-24, the frozen day): its
    registration is due within 15 working days (REG-decision)."""
    today = timezone.localdate().isoformat()
    return services.open_case(
        organ,
        actor=people.officer_user,
        on=timezone.localdate(),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation={
            "occurred_on": today,
            "discovered_on": today,
            "harm": "ordinary",
            "first_offence": True,
        },
        basis=BASIS,
    )


def get(user: User, **params: Any) -> Any:
    """The page as ``user`` sees it (signed in now: the clock moves by weeks)."""
    return client_for(user).get(URL, params)


def listed(user: User, **params: Any) -> list[tuple[str, str, str]]:
    """(level, rule, case number) of the case warnings the page lists."""
    response = get(user, **params)
    assert response.status_code == 200
    return [(r["item"].level, r["item"].rule, r["case"].number) for r in response.context["rows"]]


def sweep() -> dict[str, Any]:
    """The nightly sweep, as the workers run it: the coordinator, then its chunks."""
    started = refresh_deadlines.call()
    chunks = SweepChunk.objects.filter(run=started["sweep"]).values_list("pk", flat=True)
    done = [refresh_chunk.call(pk) for pk in chunks]
    return {**started, "cases": sum(d["cases"] for d in done)}


# --- the read model: one audit kept per case ---------------------------------------------


def test_the_kept_rows_are_the_engines_findings_and_pending_deadlines(
    walk: Walker, today: dt.date
) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    case = Case.objects.get(pk=walk.case.pk)
    assert case.deadline_checked_on is not None
    fresh = audit(
        queries.case_file(case, case.deadline_checked_on),
        case.deadline_checked_on,
        database_calendar(),
    )
    kept = AuditItem.objects.filter(case=case)
    findings = sorted((i.rule, i.severity, i.message_zh) for i in kept if i.kind == "finding")
    assert findings == sorted((f.rule, f.severity, f.message.zh) for f in fresh.findings)
    pending = [d for d in fresh.deadlines if d.done is None]
    assert pending, "the registered case has a pending decision period"
    assert sorted((i.rule, i.due) for i in kept if i.kind == "deadline") == sorted(
        (d.rule, d.due.due) for d in pending
    )
    # next_deadline is derived from the same rows: the organ's earliest pending one.
    organ_rows = [i for i in kept if i.kind == "deadline" and i.rule != "APL-64-hearing-request"]
    first = min(organ_rows, key=lambda i: (i.due, i.rule))
    assert (case.next_deadline, case.next_deadline_rule) == (first.due, first.rule)
    assert all(i.citation for i in kept)


def test_the_sweep_streams_in_chunks_and_is_idempotent(
    walk: Walker, organ_a: EnforcementSubject, power_item: Any, people: People, today: dt.date
) -> None:
    opened_today(organ_a, power_item, people)
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    before = sorted(AuditItem.objects.values_list("case_id", "kind", "rule", "due"))
    AuditItem.objects.all().delete()
    Case.objects.update(next_deadline=None, next_deadline_rule="", deadline_checked_on=None)
    assert queries.sweep(Case.objects.all(), today, chunk=1) == 2
    once = sorted(AuditItem.objects.values_list("case_id", "kind", "rule", "due"))
    assert queries.sweep(Case.objects.all(), today, chunk=1) == 2
    assert sorted(AuditItem.objects.values_list("case_id", "kind", "rule", "due")) == once
    # The same deadlines as when the cases changed (the findings are judged as of today).
    assert [r for r in once if r[1] == "deadline"] == [r for r in before if r[1] == "deadline"]
    assert Case.objects.filter(deadline_checked_on=today).count() == 2


# --- yellow, red, cleared --------------------------------------------------------------------


def test_a_deadline_turns_yellow_then_red_after_the_sweep_and_fixing_the_case_clears_it(
    organ_a: EnforcementSubject,
    power_item: Any,
    people: People,
    supervisor_city: User,
    time_machine: TimeMachineFixture,
    frozen_clock: dt.datetime,
) -> None:
    case = opened_today(organ_a, power_item, people)
    # REG-decision: 15 working days from Tue 2026-11-24 (the day itself not counted):
    # Nov 25-27 (3), Nov 30-Dec 4 (8), Dec 7-11 (13), Dec 14-15 (15): due Tue 12-15.
    assert (case.next_deadline, case.next_deadline_rule) == (D("2026-12-15"), "REG-decision")
    assert listed(supervisor_city) == []

    # Wed 12-09: Dec 10, 11, 14, 15 are 4 working days: not yet.
    move_to(time_machine, "2026-12-09")
    sweep()
    assert listed(supervisor_city) == []
    # Thu 12-10: Dec 11, 14, 15 are 3 working days: yellow.
    move_to(time_machine, "2026-12-10")
    assert sweep()["cases"] >= 1
    assert listed(supervisor_city) == [("yellow", "REG-decision", case.number)]
    # Wed 12-16: the due day passed, the case not registered: red.
    move_to(time_machine, "2026-12-16")
    sweep()
    assert listed(supervisor_city) == [("red", "REG-decision", case.number)]
    page = get(supervisor_city).content.decode()
    assert "REG-decision" in page and "第五十四条" in page  # the rule and its citation
    assert "2026-12-15" in page and organ_a.name in page

    # The head registers the case: the registration is done (late), the decision period
    # of 90 days begins; nothing is left to warn of.
    Walker(case, people)(
        services.register_case,
        actor=people.head_user,
        on=D("2026-12-16"),
        by=[people.o1, people.o2],
    )
    assert listed(supervisor_city) == []
    sweep()
    assert listed(supervisor_city) == []


def test_the_levels_in_sql_are_the_engines(
    organ_a: EnforcementSubject,
    power_item: Any,
    people: People,
    time_machine: TimeMachineFixture,
    frozen_clock: dt.datetime,
    supervisor_city: User,
) -> None:
    opened_today(organ_a, power_item, people)
    for day in ("2026-12-09", "2026-12-10", "2026-12-15", "2026-12-16"):
        today = move_to(time_machine, day)
        sweep()
        window = warnings.window(today)
        selected = {i.pk: i.level for i in warnings.case_warnings(supervisor_city, window)}
        for item in AuditItem.objects.all():
            if item.kind == "finding":
                expected = finding_level(item.severity)
            else:
                assert item.due is not None
                expected = deadline_level(item.rule, item.due, None, window, item.paused)
            assert selected.get(item.pk) == expected, (day, item.rule)


# --- complaints -------------------------------------------------------------------------------


def test_a_complaint_not_acknowledged_in_five_working_days_is_red(
    organ_a: EnforcementSubject,
    justice_city: EnforcementSubject,
    supervisor_city: User,
    head_a: User,
    time_machine: TimeMachineFixture,
    frozen_clock: dt.datetime,
) -> None:
    filed = complaint_services.file_complaint(
        category="food_safety",
        region_code="330400",
        address="嘉兴市南湖区某路1号",
        description="某饭店出售过期食品。",
        filer_name="钱多多",
        filer_contact="13800138000",
    )
    complaint = filed.complaint
    assert complaint.organ_id == organ_a.pk
    # JL-complaint-ack: 5 working days from Tue 11-24: Nov 25, 26, 27, 30, Dec 1.
    assert complaint.ack_due_on == D("2026-12-01")

    def clocks() -> list[tuple[str, str, str]]:
        response = get(supervisor_city)
        assert response.status_code == 200
        return [(w.level, w.rule, w.clock.number) for w in response.context["clocks"]]

    assert clocks() == []  # Dec 1 is 5 working days ahead
    move_to(time_machine, "2026-11-26")  # Nov 27, 30, Dec 1: 3 working days
    assert clocks() == [("yellow", "JL-complaint-ack", complaint.number)]
    move_to(time_machine, "2026-12-02")
    assert clocks() == [("red", "JL-complaint-ack", complaint.number)]
    page = get(supervisor_city).content.decode()
    assert "吉政办发〔2016〕91号）五（三）" in page and "钱多多" not in page
    counts = get(supervisor_city).context["counts"]
    assert [(o.organ_id, o.red, o.yellow) for o in counts.organs] == [(organ_a.pk, 1, 0)]
    # The receiving unit's head sees it as their organ's warning, and clears it.
    assert [w.level for w in get(head_a).context["clocks"]] == ["red"]
    complaint_services.accept(complaint, actor=head_a, note="已受理。")
    assert clocks() == []


# --- scope --------------------------------------------------------------------------------------


@pytest.fixture
def red_case(
    organ_a: EnforcementSubject,
    power_item: Any,
    people: People,
    time_machine: TimeMachineFixture,
    frozen_clock: dt.datetime,
) -> Case:
    """Organ A's case with a red REG-decision warning (on 2026-12-16, after the sweep)."""
    case = opened_today(organ_a, power_item, people)
    move_to(time_machine, "2026-12-16")
    sweep()
    return case


def test_scope_supervisor_region_organ_head_own_organ_officer_own_cases(
    red_case: Case,
    supervisor_city: User,
    supervisor_county_c: User,
    head_a: User,
    officer_a: User,
    officer_b: User,
    organ_b: EnforcementSubject,
    people: People,
) -> None:
    seen = [("red", "REG-decision", red_case.number)]
    assert listed(supervisor_city) == seen
    assert listed(head_a) == seen
    assert listed(officer_a) == seen  # opened the case
    # Another region's supervisor, another organ's head and officer, and an officer of
    # the organ who does not work on the case see nothing of it, nor its organ's counts.
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b, full_name="何军")
    host = User.objects.get(username="host_a")
    for user in (supervisor_county_c, head_b, officer_b, host):
        assert listed(user) == [], user.username
        response = get(user, organ=red_case.organ_id)
        assert response.context["counts"].organs == []
        assert red_case.number not in response.content.decode()


def test_other_roles_are_refused(red_case: Case, reviewer_a: User) -> None:
    assert client_for(reviewer_a).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the sign-in page


def test_filters_and_bad_filters_name_the_field(red_case: Case, supervisor_city: User) -> None:
    client = client_for(supervisor_city)
    assert listed(supervisor_city, level="red") == [("red", "REG-decision", red_case.number)]
    assert listed(supervisor_city, level="yellow") == []
    assert listed(supervisor_city, rule="REG-decision", organ=red_case.organ_id) != []
    assert listed(supervisor_city, rule="APL-60-decision-deadline") == []
    # The UI is in Chinese: the error names the field by its label.
    for params, field in (
        ({"level": "purple"}, "级别："),
        ({"organ": "x1"}, "机关："),
        ({"rule": "<script>"}, "规则："),
    ):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert any(e.startswith(field) for e in response.context["errors"]), params
        # The bad filter is not applied: the warning is still listed.
        assert len(response.context["rows"]) == 1


def test_the_page_counts_its_list_from_the_summary(
    red_case: Case, supervisor_city: User, organ_b: EnforcementSubject
) -> None:
    """The list's count (its pages) is the summary's groups narrowed by the filters: no
    second count of the rows, and the same number as counting them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(supervisor_city)
    today = timezone.localdate()
    for params in (
        {},
        {"level": "red"},
        {"level": "yellow"},
        {"rule": "REG-decision"},
        {"rule": "APL-60-decision-deadline"},
        {"organ": red_case.organ_id},
        {"organ": organ_b.pk, "level": "red"},
    ):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params)
        page = response.context["page"]
        counted = warnings.gather(supervisor_city, today, **params).cases.count()
        assert page.paginator.count == counted == len(response.context["rows"]), params
        assert not [
            q
            for q in ctx.captured_queries
            if "COUNT(*)" in q["sql"] and "cases_audititem" in q["sql"]
        ]
    assert client.get(URL).context["page"].paginator.count == 1


def _more_cases(organ: EnforcementSubject, power_item: Any, people: People, n: int) -> None:
    for _ in range(n):
        opened_today(organ, power_item, people)


def test_the_list_reads_a_fixed_number_of_queries(
    organ_a: EnforcementSubject,
    power_item: Any,
    people: People,
    supervisor_city: User,
    time_machine: TimeMachineFixture,
    frozen_clock: dt.datetime,
    django_assert_max_num_queries: Any,
) -> None:
    _more_cases(organ_a, power_item, people, 2)
    move_to(time_machine, "2026-12-16")
    sweep()
    client = client_for(supervisor_city)
    client.get(URL)  # warm the session and the calendar caches
    # 12 for the cases and complaints, one more per warning model of the registry,
    # catalogue and disclosure (organ_warnings.READERS)
    with django_assert_max_num_queries(12 + len(organ_warnings.READERS)) as few:
        assert len(client.get(URL).context["rows"]) == 2
    spent = len(few)
    move_to(time_machine, "2026-11-24")
    _more_cases(organ_a, power_item, people, 6)
    move_to(time_machine, "2026-12-16")
    sweep()
    client = client_for(supervisor_city)
    client.get(URL)
    with django_assert_max_num_queries(spent):
        assert len(client.get(URL).context["rows"]) == 8


def test_the_counted_pages_hold_for_a_region_an_officer_and_bad_filters(
    red_case: Case,
    supervisor_city: User,
    officer_a: User,
    officer_b: User,
    organ_b: EnforcementSubject,
) -> None:
    """The summary's count equals the list's rows with a region (its own, another of
    the scope, a bad one), for an officer (own cases only) and with a bad filter."""
    region = red_case.organ.region.code
    for user, params in (
        (supervisor_city, {"region": region}),
        (supervisor_city, {"region": region, "level": "yellow"}),
        (supervisor_city, {"region": organ_b.region.code, "level": "red"}),
        (supervisor_city, {"region": "999999"}),
        (supervisor_city, {"level": "purple", "organ": str(red_case.organ_id)}),
        (supervisor_city, {"organ": "x1", "rule": "REG-decision"}),
        (officer_a, {}),
        (officer_b, {}),
        (officer_b, {"organ": str(red_case.organ_id)}),
    ):
        response = client_for(user).get(URL, params)
        page = response.context["page"]
        rows = list(page.paginator.object_list)
        assert page.paginator.count == len(rows) == len(response.context["rows"]), params

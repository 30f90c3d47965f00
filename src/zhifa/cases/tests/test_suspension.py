"""The case clock: suspending a case for 10 days moves its decision deadline by 10 days
(APL 60 excluded periods), and the export carries the same deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services
from zhifa.cases.casefile import clock_window, export_document, suspended_days
from zhifa.cases.models import Suspension
from zhifa.records.models import Entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit_document

from .conftest import D, Walker, counts

RULE = "APL-60-decision-deadline"


def _due(walk: Walker, as_of: dt.date) -> dt.date:
    (item,) = [d for d in services.deadlines(walk.case, as_of) if d.rule == RULE]
    return item.due.due


def test_suspending_for_10_days_moves_the_decision_deadline_by_10_days(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    before = _due(walk, D("2026-04-01"))
    assert before == D("2026-06-01")  # 90 calendar days after 3 March (a Monday)
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"), reason="检验检测")
    services.resume_case(walk.case, actor=walk.p.head_user, on=D("2026-03-20"))
    after = _due(walk, D("2026-04-01"))
    assert after - before == dt.timedelta(days=10)
    assert after == D("2026-06-11")
    # The export says the same: a supervisor auditing it sees the moved deadline.
    document = export_document(walk.case, as_of=D("2026-04-01"))
    assert document["settings"]["decision_excluded_days"] == 10
    result = audit_document(document, calendar=database_calendar())
    assert [d.due.due for d in result.deadlines if d.rule == RULE] == [after]
    actions = list(
        Entry.objects.filter(action__startswith="case.").values_list("action", flat=True)
    )
    assert actions[-2:] == ["case.suspend", "case.resume"]


def test_an_open_suspension_counts_up_to_the_day_judged(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"), reason="公告")
    assert _due(walk, D("2026-03-15")) == D(
        "2026-06-08"
    )  # 5 days so far: 1 June + 5 → Sat 6 June → Mon 8 June


def test_suspension_needs_a_reason_and_cannot_nest(walk: Walker) -> None:
    _register(walk)
    with pytest.raises(ValidationError):
        services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"), reason=" ")
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"), reason="鉴定")
    with pytest.raises(ValidationError):
        services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-11"), reason="鉴定")
    with pytest.raises(ValidationError):
        services.resume_case(walk.case, actor=walk.p.head_user, on=D("2026-03-09"))


def _register(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )


def _refused_at(field: str, act: object) -> None:
    before = (counts(), Suspension.objects.count())
    with pytest.raises(ValidationError) as refused:
        act()  # type: ignore[operator]
    assert field in refused.value.message_dict, refused.value
    assert (counts(), Suspension.objects.count()) == before


def test_only_the_organ_head_suspends_and_resumes(walk: Walker) -> None:
    _register(walk)
    before = (counts(), Suspension.objects.count())
    with pytest.raises(PermissionDenied):
        services.suspend_case(
            walk.case, actor=walk.p.officer_user, on=D("2026-03-10"), reason="鉴定"
        )
    assert (counts(), Suspension.objects.count()) == before
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"), reason="鉴定")
    with pytest.raises(PermissionDenied):
        services.resume_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-20"))
    with pytest.raises(PermissionDenied):
        services.resume_case(walk.case, actor=walk.p.reviewer_user, on=D("2026-03-20"))
    assert Suspension.objects.get().end is None


def test_a_suspension_starts_within_the_decision_period(walk: Walker, today: dt.date) -> None:
    head = walk.p.head_user
    case = walk.case
    # Not registered: the decision period has not started, so the case is not suspended
    # at all (cases.policy.can_suspend: the case page does not offer it either).
    with pytest.raises(ValidationError) as refused:
        services.suspend_case(case, actor=head, on=D("2026-03-10"), reason="x")
    assert refused.value.code == "not_registered"
    assert not Suspension.objects.exists()
    _register(walk)
    walk.investigate()  # 2026-03-04
    _refused_at(  # before the registration (M2: a suspension from 1900 moved APL 60 to 2152)
        "on", lambda: services.suspend_case(case, actor=head, on=D("1900-01-01"), reason="x")
    )
    _refused_at(  # before the last step
        "on", lambda: services.suspend_case(case, actor=head, on=D("2026-03-03"), reason="x")
    )
    future = today + dt.timedelta(days=1)
    _refused_at("on", lambda: services.suspend_case(case, actor=head, on=future, reason="x"))
    services.suspend_case(case, actor=head, on=D("2026-03-05"), reason="检验")
    _refused_at("on", lambda: services.resume_case(case, actor=head, on=future))
    services.resume_case(case, actor=head, on=D("2026-03-10"))
    _refused_at(  # overlapping the earlier suspension
        "on", lambda: services.suspend_case(case, actor=head, on=D("2026-03-08"), reason="x")
    )
    services.suspend_case(case, actor=head, on=D("2026-03-10"), reason="鉴定")
    assert Suspension.objects.count() == 2


def test_no_step_while_suspended_and_no_suspension_once_decided(walk: Walker) -> None:
    _register(walk)
    walk.investigate()
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-05"), reason="检验")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk.notify()
    assert refused.value.code == "suspended"
    assert counts() == before
    services.resume_case(walk.case, actor=walk.p.head_user, on=D("2026-03-10"))
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    walk.decide()
    before = (counts(), Suspension.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-28"), reason="x")
    assert refused.value.code == "decided"
    assert (counts(), Suspension.objects.count()) == before
    walk.close("2026-03-29")
    # A suspension left open on a closed case (e.g. imported) is not resumed.
    Suspension.objects.create(
        case=walk.case, start=D("2026-03-29"), reason="x", actor=walk.p.head_user
    )
    with pytest.raises(ValidationError) as refused:
        services.resume_case(walk.case, actor=walk.p.head_user, on=D("2026-03-30"))
    assert refused.value.code == "closed"


def test_only_days_between_registration_and_first_decision_count_once(walk: Walker) -> None:
    """Legal review finding 1: a suspension after the decision must not turn a missed
    APL-60 deadline into a met one; days before the registration do not count; days
    covered by two suspensions count once."""
    case = walk.case

    def span(start: str, end: str | None) -> Suspension:
        return Suspension(case=case, start=D(start), end=None if end is None else D(end))

    window = (D("2026-03-03"), D("2026-06-20"))
    as_of = D("2026-07-01")
    assert suspended_days([span("2026-03-10", "2026-03-20")], as_of, window) == 10
    assert suspended_days([span("2026-02-01", "2026-03-13")], as_of, window) == 10  # from 3 March
    assert suspended_days([span("2026-06-15", None)], as_of, window) == 5  # up to the decision
    assert suspended_days([span("2026-06-25", "2026-06-30")], as_of, window) == 0
    overlapping = [span("2026-03-10", "2026-03-20"), span("2026-03-15", "2026-03-25")]
    assert suspended_days(overlapping, as_of, window) == 15
    assert suspended_days([span("2026-03-10", "2026-03-20")], as_of, (None, None)) == 0
    # The window is the first registration to the first decision after it.
    steps = [
        ("registered", D("2026-03-03")),
        ("decision", D("2026-06-20")),
        ("decision", D("2026-08-01")),
    ]
    assert clock_window(case, steps) == window
    assert clock_window(case, []) == (None, None)

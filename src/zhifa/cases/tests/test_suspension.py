"""The case clock: suspending a case for 10 days moves its decision deadline by 10 days
(APL 60 excluded periods), and the export carries the same deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services
from zhifa.cases.casefile import export_document
from zhifa.records.models import Entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit_document

from .conftest import D, Walker

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
    services.suspend_case(
        walk.case, actor=walk.p.officer_user, on=D("2026-03-10"), reason="检验检测"
    )
    services.resume_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-20"))
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
    services.suspend_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-10"), reason="公告")
    assert _due(walk, D("2026-03-15")) == D(
        "2026-06-08"
    )  # 5 days so far: 1 June + 5 → Sat 6 June → Mon 8 June


def test_suspension_needs_a_reason_and_cannot_nest(walk: Walker) -> None:
    with pytest.raises(ValidationError):
        services.suspend_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-10"), reason=" ")
    services.suspend_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-10"), reason="鉴定")
    with pytest.raises(ValidationError):
        services.suspend_case(
            walk.case, actor=walk.p.officer_user, on=D("2026-03-11"), reason="鉴定"
        )
    with pytest.raises(ValidationError):
        services.resume_case(walk.case, actor=walk.p.officer_user, on=D("2026-03-09"))

"""The party's windows (workflow.PARTY_WINDOWS; APL Art. 64(1): the party asks for a
hearing within 5 days of the prior notice) are not the organ's deadlines: the work list's
nearest deadline leaves them out, and the case page shows a passed window as closed, not
overdue. Also the record timeline's action labels in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.queries import case_deadlines, nearest
from zhifa.cases.workflow import PARTY_WINDOWS
from zhifa.core.testing import client_for
from zhifa.rules.calendar_db import database_calendar

from .conftest import D, Walker

pytestmark = pytest.mark.django_db
WINDOW = "APL-64-hearing-request"


def _notified(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.notify()  # 2026-03-16; the party never asked for a hearing


def test_a_passed_hearing_window_is_closed_not_overdue(walk: Walker, today: dt.date) -> None:
    _notified(walk)
    assert WINDOW in PARTY_WINDOWS
    raw = {d.rule: d.status(today) for d in services.deadlines(walk.case, today)}
    assert raw[WINDOW] == "overdue"  # the engine's view: the window's end has passed
    shown = {d.rule: d for d in case_deadlines(walk.case, today, database_calendar())}
    assert shown[WINDOW].status == "closed" and not shown[WINDOW].pending
    assert nearest(list(shown.values())).rule != WINDOW  # type: ignore[union-attr]

    client = client_for(walk.p.officer_user)
    page = client.get(reverse("cases:detail", args=[walk.case.pk])).content.decode()
    row = re.search(
        r"<tr[^>]*><td>当事人申请听证期限<br><small><code>" + WINDOW + r"</code>.*?</tr>",
        page,
        re.S,
    )
    assert row is not None
    assert 'class="overdue"' not in row.group(0) and "已届满" in row.group(0)
    listing = client.get(reverse("cases:list")).content.decode()
    assert WINDOW not in listing and "当事人申请听证期限" not in listing
    assert 'title="APL-60-decision-deadline">作出处罚决定期限' in listing


def test_an_open_hearing_window_is_not_the_organ_s_nearest_deadline(walk: Walker) -> None:
    _notified(walk)
    shown = case_deadlines(walk.case, D("2026-03-17"), database_calendar())
    window = next(d for d in shown if d.rule == WINDOW)
    assert window.status == "open"
    first = nearest(shown)
    assert first is not None and first.rule != WINDOW


def test_the_case_timeline_names_each_action_in_chinese(walk: Walker) -> None:
    _notified(walk)
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-03-18"), reason="检验")
    client = client_for(walk.p.officer_user)
    page = client.get(reverse("cases:detail", args=[walk.case.pk])).content.decode()
    for label in ("立案", "调查取证", "行政处罚事先告知", "中止"):
        assert label in page, label
    for raw in ("case.open", "case.registered", "case.prior_notice", "case.suspend"):
        assert f">{raw}<" not in page, raw

"""While the case clock is suspended (中止) the decision period does not run: the work
list and the case page said "2027-02-16 · 54 个工作日后到期", a due date that moved
every day of the suspension (issue #10). They say the period is paused instead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.core.testing import client_for

from .conftest import D, Walker

pytestmark = pytest.mark.django_db
RULE = "APL-60-decision-deadline"


def _row(page: str) -> str:
    match = re.search(
        r"<tr[^>]*><td>作出处罚决定期限<br><small><code>" + RULE + r".*?</tr>", page, re.S
    )
    assert match is not None, page
    return match.group(0)


def test_a_suspended_case_shows_its_decision_period_paused(walk: Walker, today: dt.date) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    services.suspend_case(walk.case, actor=walk.p.head_user, on=D("2026-05-20"), reason="鉴定")
    client = client_for(walk.p.officer_user)

    row = _row(client.get(reverse("cases:detail", args=[walk.case.pk])).content.decode())
    assert "中止中，期限暂停" in row and "工作日后到期" not in row

    listing = client.get(reverse("cases:list")).content.decode()
    cell = re.search(r'title="' + RULE + r'">.*?</td>', listing, re.S)
    assert cell is not None, listing
    assert "中止中，期限暂停" in cell.group(0) and "工作日后到期" not in cell.group(0)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", cell.group(0))  # no moving due date

    # Resumed, the period runs again and counts down.
    services.resume_case(walk.case, actor=walk.p.head_user, on=today)
    row = _row(client.get(reverse("cases:detail", args=[walk.case.pk])).content.decode())
    assert "中止中" not in row and "工作日后到期" in row

"""The work list (mine / the organ's, search, the nearest deadline, a bounded number
of queries), the case page, opening a case, suspensions and the approvals page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, Suspension
from zhifa.core.testing import client_for

from .conftest import BASIS, PARTY, VIOLATION, D, People, Walker
from .test_ui_support import GENERAL_OPEN, open_case, written

pytestmark = pytest.mark.django_db


def _cases(
    organ: Any, power_item: Any, people: People, n: int, by: list[Any], name: str = "嘉兴第"
) -> list[Case]:
    made = []
    for i in range(n):
        case = services.open_case(
            organ,
            actor=people.head_user,
            on=D("2026-03-02"),
            procedure="general",
            power_item=power_item,
            party={**PARTY, "name": f"{name}{i}食品有限公司"},
            violation=VIOLATION,
            basis=BASIS,
        )
        walk = Walker(case, people)
        walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=by)
        made.append(case)
    return made


def test_the_work_list_shows_my_cases_and_the_nearest_deadline(
    organ_a: Any, power_item: Any, people: People
) -> None:
    mine = _cases(organ_a, power_item, people, 2, [people.o1, people.o2])
    others = _cases(organ_a, power_item, people, 1, [people.o2, people.host], name="海宁第")
    officer = client_for(people.officer_user)
    html = officer.get(reverse("cases:list")).content.decode()
    assert mine[0].party_name in html and mine[1].party_name in html
    assert others[0].party_name not in html
    assert "对生产经营不符合食品安全标准的食品的行政处罚" in html  # 案由
    assert "APL-60-decision-deadline" in html
    assert 'class="overdue"' in html or 'class="status-open"' in html
    everything = officer.get(reverse("cases:list") + "?all=1").content.decode()
    assert others[0].party_name in everything
    head = client_for(people.head_user).get(reverse("cases:list")).content.decode()
    assert others[0].party_name in head and mine[0].party_name in head


def test_search_and_filters(organ_a: Any, power_item: Any, people: People) -> None:
    cases = _cases(organ_a, power_item, people, 3, [people.o1, people.o2])
    head = client_for(people.head_user)
    html = head.get(reverse("cases:list"), {"q": "第1食品"}).content.decode()
    assert cases[1].party_name in html and cases[0].party_name not in html
    html = head.get(reverse("cases:list"), {"status": "closed"}).content.decode()
    assert cases[0].party_name not in html
    html = head.get(reverse("cases:list"), {"procedure": "summary"}).content.decode()
    assert cases[0].party_name not in html
    html = head.get(reverse("cases:list"), {"status": "bogus"}).content.decode()
    assert cases[0].party_name in html  # an unknown status is ignored


def test_the_list_page_query_count_does_not_grow(
    organ_a: Any, power_item: Any, people: People
) -> None:
    officer = client_for(people.officer_user)
    _cases(organ_a, power_item, people, 2, [people.o1, people.o2])
    officer.get(reverse("cases:list"))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert officer.get(reverse("cases:list")).status_code == 200
    _cases(organ_a, power_item, people, 6, [people.o1, people.o2])
    with CaptureQueriesContext(connection) as many:
        response = officer.get(reverse("cases:list"))
    assert len(response.context["rows"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def test_opening_a_case_checks_the_party_identity(
    organ_a: Any, power_item: Any, people: People
) -> None:
    officer = client_for(people.officer_user)
    before = written()
    response = officer.post(
        reverse("cases:open"),
        {**GENERAL_OPEN, "power_item": power_item.pk, "party_uscc": "91110108551385082X"},
    )
    assert response.status_code == 400
    assert "party_uscc" in response.context["form"].errors
    assert written() == before and not Case.objects.exists()
    response = officer.get(reverse("cases:open"), {"power_item": power_item.pk})
    form = response.context["form"]
    assert form.initial["law"] == "中华人民共和国食品安全法"
    assert form.initial["article"] == "第一百二十四条"
    assert client_for(people.reviewer_user).get(reverse("cases:open")).status_code == 403


def test_the_case_page(organ_a: Any, power_item: Any, people: People) -> None:
    officer = client_for(people.officer_user)
    case = open_case(officer, power_item)
    html = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.case_id in html and "监督检查" in html
    # the officer is offered no step before the head registers the case
    assert reverse("cases:step", args=[case.pk, "registered"]) not in html
    assert f"/records/evidence/new/?case={case.pk}" in html  # add evidence
    assert reverse("records:timeline", args=["cases.case", case.pk]) in html
    head = client_for(people.head_user).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("cases:step", args=[case.pk, "registered"]) in head.content.decode()
    Walker(case, people)(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
    )
    html = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:step", args=[case.pk, "investigation"]) in html
    assert reverse("cases:step", args=[case.pk, "decision"]) not in html
    assert "APL-60-decision-deadline" in html


def test_suspending_needs_a_reason_and_resuming_restarts_the_clock(
    walk: Walker, people: People
) -> None:
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
    )
    url = reverse("cases:suspend", args=[walk.case.pk])
    # Only the organ head suspends and resumes (internal control): no form for the
    # officer, and a post is forbidden.
    officer = client_for(people.officer_user)
    assert url not in officer.get(reverse("cases:detail", args=[walk.case.pk])).content.decode()
    assert officer.post(url, {"on": "2026-03-10", "reason": "等待检验结果"}).status_code == 403
    officer = client_for(people.head_user)
    assert url in officer.get(reverse("cases:detail", args=[walk.case.pk])).content.decode()
    response = officer.post(url, {"on": "2026-03-10", "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["suspend_form"].errors
    assert not Suspension.objects.exists()
    response = officer.post(url, {"on": "2026-03-10", "reason": "等待检验结果"})
    assert response.status_code == 302
    html = officer.get(reverse("cases:detail", args=[walk.case.pk])).content.decode()
    assert "等待检验结果" in html and reverse("cases:resume", args=[walk.case.pk]) in html
    response = officer.post(reverse("cases:resume", args=[walk.case.pk]), {"on": "2026-03-01"})
    assert response.status_code == 400  # before the suspension began
    response = officer.post(reverse("cases:resume", args=[walk.case.pk]), {"on": "2026-03-20"})
    assert response.status_code == 302
    assert Suspension.objects.get().end == D("2026-03-20")


def test_the_approvals_page(walk: Walker, people: People, organ_a: Any, power_item: Any) -> None:
    head = client_for(people.head_user)
    html = head.get(reverse("cases:approvals")).content.decode()
    assert reverse("cases:step", args=[walk.case.pk, "registered"]) in html
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
    )
    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    response = head.get(reverse("cases:approvals"))
    html = response.content.decode()
    assert reverse("cases:step", args=[walk.case.pk, "registered"]) not in html
    assert reverse("cases:step", args=[walk.case.pk, "decision"]) in html
    [row] = response.context["groups"]["decision"]
    assert row["review"] == "passed"
    assert client_for(people.officer_user).get(reverse("cases:approvals")).status_code == 403


def test_the_home_page_links_the_case_pages(people: People) -> None:
    html = client_for(people.head_user).get(reverse("core:home")).content.decode()
    assert reverse("cases:list") in html and reverse("cases:approvals") in html

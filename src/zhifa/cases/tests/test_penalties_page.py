"""The case page and the API show the substance of the penalty (issue #14 item 4): the
penalties decided, each payment, the late fee (加处罚款, APL 72) as of today and what
is outstanding — one read model (``queries.case_penalties``) over the engine's payment
facts, the same numbers on the page and in the API."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from zhifa.accounts.models import User
from zhifa.cases import queries, services
from zhifa.cases.models import Case
from zhifa.catalogue.models import PowerItem
from zhifa.core.templatetags.money import format_yuan
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject

from .conftest import PARTY, VIOLATION, D, People, Walker

pytestmark = pytest.mark.django_db

TEN_THOUSAND_BASIS = {
    "law": "中华人民共和国食品安全法",
    "article": "第一百二十六条第一款",
    "penalty_types": ["warning", "fine", "confiscation"],
    "fine_min": 5000,
    "fine_max": 50000,
}
DECIDED = [{"type": "fine", "amount": 10000}, {"type": "confiscation", "amount": 1234.5}]


def decided_and_served(organ: EnforcementSubject, power_item: PowerItem, people: People) -> Walker:
    """A general case decided on 2026-10-30 (a fine of 10 000 yuan and 1 234.50 yuan
    confiscated), served on 2026-11-02: the fine is due by 2026-11-17."""
    case = services.open_case(
        organ,
        actor=people.officer_user,
        on=D("2026-10-09"),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation={**VIOLATION, "occurred_on": "2026-10-01", "discovered_on": "2026-10-08"},
        basis=TEN_THOUSAND_BASIS,
    )
    walk = Walker(case, people)
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-10-12"),
        by=[people.o1, people.o2],
    )
    walk(
        services.record_investigation,
        on=D("2026-10-13"),
        officers=[people.o1, people.o2],
        evidence=["on_site_record", "documentary"],
    )
    walk(services.serve_prior_notice, on=D("2026-10-19"), intended=DECIDED)
    walk(services.record_statement, on=D("2026-10-22"))
    walk(
        services.record_legal_review,
        actor=people.reviewer_user,
        on=D("2026-10-27"),
        reviewer=people.reviewer,
        result="passed",
    )
    walk(services.record_collective_discussion, actor=people.head_user, on=D("2026-10-28"))
    walk.decide(DECIDED, on="2026-10-30")
    walk(services.serve_decision, on=D("2026-11-02"))
    return walk


@pytest.fixture
def served(organ_a: EnforcementSubject, power_item: PowerItem, people: People) -> Walker:
    return decided_and_served(organ_a, power_item, people)


def _page(user: User, case: Case) -> str:
    with translation.override("zh-hans"):
        response = client_for(user).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _dd(html: str, dd_id: str) -> str:
    found = re.search(rf'<dd id="{dd_id}"[^>]*>(.*?)</dd>', html, re.S)
    assert found, dd_id
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_partial_payment_after_the_deadline_on_the_page_and_in_the_api(
    served: Walker, today: dt.date
) -> None:
    assert today == D("2026-11-24")
    served(services.record_payment, on=D("2026-11-20"), amount=4000)
    case = served.case

    # The read model: 7 late days (2026-11-18 … 11-24) × 3% × 10 000 = 2 100 yuan.
    found = queries.case_penalties(case, today)
    assert found is not None
    facts = found.facts
    assert facts.fine == Decimal("10000.00") and facts.paid == Decimal("4000.00")
    assert facts.deadline == D("2026-11-17") and facts.late_days == 7
    assert facts.late_fee == Decimal("2100.00") and facts.late_fee_cap == Decimal("10000.00")
    assert facts.fine_outstanding == Decimal("6000.00")
    assert facts.outstanding == Decimal("8100.00")
    assert found.status == "overdue"
    # ... which is what the rule APL-72-late-fee reports.
    assert services.case_audit(case, today).late_fee == 2100

    html = _page(served.p.officer_user, case)
    assert "处罚与执行" in html
    decided = _dd(html, "penalties-decided")
    assert "罚款 10,000.00 元" in decided and "没收违法所得、没收非法财物 1,234.50 元" in decided
    assert _dd(html, "fine-decided") == "10,000.00 元"
    assert "2026-11-17" in _dd(html, "payment-deadline")
    assert _dd(html, "paid").startswith("4,000.00 元")
    late = _dd(html, "late-fee")
    assert late.startswith("2,100.00 元") and "7" in late and "2026-11-24" in late
    assert _dd(html, "outstanding").startswith("8,100.00 元")
    assert "其中罚款 6,000.00 元" in _dd(html, "outstanding")
    assert "逾期未缴纳" in _dd(html, "payment-status")
    assert "2026-11-20" in html and 'class="list payments"' in html

    body = client_for(served.p.officer_user).get(f"/api/v1/cases/{case.pk}").json()
    api = body["penalties"]
    assert api["penalties"] == [
        {"type": "fine", "amount": "10000.00"},
        {"type": "confiscation", "amount": "1234.50"},
    ]
    assert api["fine"] == "10000.00" and api["paid"] == "4000.00"
    assert api["payment_deadline"] == "2026-11-17" and api["late_days"] == 7
    assert api["late_fee"] == "2100.00" and api["late_fee_cap"] == "10000.00"
    assert api["fine_outstanding"] == "6000.00" and api["outstanding"] == "8100.00"
    assert api["status"] == "overdue" and api["as_of"] == "2026-11-24"
    assert api["payments"] == [
        {"step": 8, "on": "2026-11-20", "amount": "4000.00", "onsite": False, "total": "4000.00"}
    ]
    assert api["decision_number"] == found.decision_number != ""
    assert body["late_fee"] == 2100  # the old field, the same number
    # The page shows the API's numbers.
    for key in ("fine", "paid", "late_fee", "outstanding"):
        with translation.override("zh-hans"):
            assert format_yuan(Decimal(api[key])) in html


def test_the_page_takes_the_same_queries_however_many_payments(
    served: Walker, today: dt.date
) -> None:
    served(services.record_payment, on=D("2026-11-18"), amount=1000)
    client = client_for(served.p.officer_user)
    url = reverse("cases:detail", args=[served.case.pk])
    client.get(url)  # warm caches (the calendar, the catalogue)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for day in ("2026-11-19", "2026-11-20", "2026-11-23"):
        served(services.record_payment, on=D(day), amount=1000)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    table = re.search(r'<table class="list payments">.*?</table>', html, re.S)
    assert table and table.group(0).count("<tr><td") == 4
    assert len(four) == len(one), [q["sql"] for q in four.captured_queries]
    api = client.get(f"/api/v1/cases/{served.case.pk}").json()["penalties"]
    assert [p["total"] for p in api["payments"]] == ["1000.00", "2000.00", "3000.00", "4000.00"]


def test_another_organ_sees_neither(served: Walker, officer_b: User) -> None:
    client = client_for(officer_b)
    assert client.get(reverse("cases:detail", args=[served.case.pk])).status_code == 404
    response = client.get(f"/api/v1/cases/{served.case.pk}")
    assert response.status_code == 404
    assert "penalties" not in response.json()


def test_before_service_and_after_full_payment(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People, today: dt.date
) -> None:
    walk = decided_and_served(organ_a, power_item, people)
    walk(services.record_payment, on=D("2026-11-10"), amount=10000)
    found = queries.case_penalties(walk.case, today)
    assert found is not None and found.status == "paid"
    assert found.facts.late_fee == 0 and found.facts.outstanding == 0
    assert found.facts.paid_in_full_on == D("2026-11-10")
    html = _page(people.officer_user, walk.case)
    assert _dd(html, "outstanding") == "0.00 元"
    assert "已全部缴清" in _dd(html, "payment-status")


def test_a_deferral_moves_the_deadline(served: Walker, today: dt.date) -> None:
    served(
        services.approve_deferral,
        actor=served.p.head_user,
        on=D("2026-11-10"),
        until=D("2026-12-31"),
    )
    found = queries.case_penalties(served.case, today)
    assert found is not None
    assert found.facts.deadline == D("2026-12-31") and found.facts.late_fee == 0
    assert found.status == "open"
    deadline = _dd(_page(served.p.officer_user, served.case), "payment-deadline")
    assert "2026-12-31" in deadline and "2026-11-10" in deadline


def test_money_is_shown_in_yuan() -> None:
    with translation.override("en"):
        assert format_yuan(Decimal("12345")) == "¥12,345.00"
    with translation.override("zh-hans"):
        assert format_yuan(Decimal("12345")) == "12,345.00 元"
        assert format_yuan(None) == "—"

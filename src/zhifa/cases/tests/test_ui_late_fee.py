"""The case page shows the late-payment surcharge (加处罚款, APL-72) the engine computes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.core.testing import client_for

from .conftest import D, Walker

pytestmark = pytest.mark.django_db


def test_an_unpaid_fine_shows_its_surcharge(walk: Walker, today: dt.date) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    # Served on 2026-03-30: the 15 days end on 2026-04-14; by 2026-04-24, 10 late days.
    assert services.case_audit(walk.case, D("2026-04-24")).late_fee == pytest.approx(
        150000 * 0.03 * 10
    )
    fee = services.case_audit(walk.case, today).late_fee
    assert fee == 150000  # never more than the fine (months late today)
    page = client_for(walk.p.officer_user).get(reverse("cases:detail", args=[walk.case.pk]))
    html = page.content.decode()
    assert "加处罚款" in html and 'id="late-fee">150,000.00 元' in html


def test_a_fine_paid_on_time_shows_no_surcharge_accrued(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    assert services.case_audit(walk.case, D("2026-05-01")).late_fee == 0
    page = client_for(walk.p.officer_user).get(reverse("cases:detail", args=[walk.case.pk]))
    html = page.content.decode()
    assert 'id="late-fee">0.00 元' in html and "未产生" in html


def test_the_api_gives_the_surcharge(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    client = client_for(walk.p.officer_user)
    assert client.get(f"/api/v1/cases/{walk.case.pk}").json()["late_fee"] is None
    walk(services.serve_decision, on=D("2026-03-30"))
    assert client.get(f"/api/v1/cases/{walk.case.pk}").json()["late_fee"] == 150000

"""Issue #11 (execution side) through the case workflow: the party's reconsideration or
litigation (step ``remedy_filed``) pauses the late fee (APL-73-late-fee-paused); a demand
before the payment deadline passed (ACL-35-demand-timing) and a court application inside
the remedy periods (ACL-53-court-too-early) are refused with their rule, nothing written.

The walk serves a fine of 150000 yuan on Mon 2026-03-30: payment due Tue 2026-04-14
(15 days, APL 67); remedy periods to Fri 2026-05-29 (60 days, ARL 20) and Wed 2026-09-30
(6 months, ALitL 46)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import CaseStep
from zhifa.cases.policy import next_steps
from zhifa.core.testing import client_for

from .conftest import D, Walker, counts, refused_rule

pytestmark = pytest.mark.django_db


def _served(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))


def test_a_pending_remedy_pauses_the_late_fee_until_its_decision(walk: Walker) -> None:
    _served(walk)
    assert "remedy_filed" in next_steps(walk.case, walk.p.officer_user)
    walk(services.record_remedy, on=D("2026-04-20"), kind="reconsideration")
    # Late days 04-15..04-30 = 16; paused from 04-21 while pending: 10; 6 x 4500 = 27000.
    assert services.case_audit(walk.case, D("2026-04-30")).late_fee == pytest.approx(27000)
    walk(
        services.record_remedy,
        on=D("2026-05-10"),
        kind="reconsideration",
        result="upheld",
        decided_on=D("2026-05-10"),
    )
    # Late days to 05-20 = 36; paused 04-21..05-10 = 20; 16 x 4500 = 72000.
    assert services.case_audit(walk.case, D("2026-05-20")).late_fee == pytest.approx(72000)
    stored = CaseStep.objects.get(case=walk.case, index=walk.n - 1)
    assert stored.data["result"] == "upheld" and stored.data["decided_on"] == "2026-05-10"


def test_a_remedy_is_offered_only_after_service(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    assert "remedy_filed" not in next_steps(walk.case, walk.p.officer_user)
    before = counts()
    with pytest.raises(ValidationError):
        walk(services.record_remedy, on=D("2026-03-28"), kind="litigation")
    assert counts() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "appeal"}, "kind"),
        ({"kind": "litigation", "result": "lost"}, "result"),
        ({"kind": "litigation", "decided_on": D("2026-04-01")}, "decided_on"),
        ({"kind": "litigation", "result": "upheld"}, "decided_on"),
        ({"kind": "reconsideration", "head_appeared": True}, "head_appeared"),
    ],
)
def test_bad_remedy_input_names_the_field(walk: Walker, fields: dict, field: str) -> None:
    _served(walk)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        walk(services.record_remedy, on=D("2026-04-20"), **fields)
    assert field in exc.value.message_dict
    assert counts() == before


def test_remedy_through_the_page_and_the_api(walk: Walker) -> None:
    _served(walk)
    page = client_for(walk.p.officer_user)
    url = reverse("cases:step", args=[walk.case.pk, "remedy_filed"])
    response = page.post(
        url,
        {
            "on": "2026-04-20",
            "expected_steps": walk.n,
            "kind": "litigation",
            "result": "pending",
            "decided_on": "",
            "head_appeared": "true",
        },
    )
    assert response.status_code == 302
    stored = CaseStep.objects.get(case=walk.case, index=walk.n - 1)
    assert stored.step == "remedy_filed"
    assert stored.data == {
        "kind": "litigation",
        "result": "pending",
        "decided_on": None,
        "head_appeared": True,
    }
    body = {
        "step": "remedy_filed",
        "on": "2026-05-06",
        "expected_steps": walk.n,
        "kind": "litigation",
        "result": "upheld",
        "decided_on": "2026-05-06",
    }
    response = page.post(
        f"/api/v1/cases/{walk.case.pk}/steps", body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    before = counts()
    response = page.post(
        f"/api/v1/cases/{walk.case.pk}/steps",
        {**body, "expected_steps": walk.n, "kind": "appeal"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.kind"]
    assert counts() == before


def test_a_demand_before_the_payment_deadline_is_refused(walk: Walker) -> None:
    _served(walk)
    with refused_rule("ACL-35-demand-timing"):
        walk(services.serve_demand, on=D("2026-04-14"))
    walk(services.serve_demand, on=D("2026-04-15"))


def test_a_court_application_inside_the_remedy_periods_is_refused(walk: Walker) -> None:
    _served(walk)
    walk(services.serve_demand, on=D("2026-04-15"))
    # The demand's 10 working days end 04-29; the litigation period runs to 09-30.
    with refused_rule("ACL-53-court-too-early"):
        walk(services.apply_to_court, on=D("2026-09-30"))
    walk(services.apply_to_court, on=D("2026-10-08"))

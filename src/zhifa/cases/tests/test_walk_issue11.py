"""Issue #11 item 5: the walk that found the new case rules, replayed through the pages
and the API. Each attempt is refused at the moment it is made, with the rule's ID and
citation, and nothing is written (steps, record entries, document numbers, officers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import PowerItem
from zhifa.core.testing import client_for

from .conftest import BASIS, BENCHMARK, PARTY, VIOLATION, D, People, Walker
from .test_ui_support import post_step, written

pytestmark = pytest.mark.django_db


def _decided_and_served(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"), method="direct", signed_by="recipient")


def _api_step(client: Any, case: Case, step: str, on: str, **fields: Any) -> Any:
    return client.post(
        f"/api/v1/cases/{case.pk}/steps",
        {"step": step, "on": on, "expected_steps": case.steps.count(), **fields},
        content_type="application/json",
    )


def _rules(response: Any) -> set[str]:
    return {e["rule"] for e in response.json()["errors"]}


# --- closing a case whose fine is unpaid (CLOSE-conditions) --------------------------------


def test_closing_an_unpaid_case_is_refused_on_the_page(walk: Walker, people: People) -> None:
    _decided_and_served(walk)
    before = written()
    head = client_for(people.head_user)
    response = post_step(head, walk.case, "closed", on="2026-04-20", reason="performed")
    assert response.status_code == 400
    html = response.content.decode()
    assert "CLOSE-conditions" in html and "《市场监督管理行政处罚程序规定》" in html
    assert written() == before
    # … and so the case cannot be archived either: it is not closed.
    with pytest.raises(ValidationError) as refused:
        services.archive_case(walk.case, actor=people.head_user, on=D("2026-04-21"))
    assert refused.value.code == "not_closed"


def test_closing_an_unpaid_case_is_refused_by_the_api(walk: Walker, people: People) -> None:
    _decided_and_served(walk)
    before = written()
    response = _api_step(
        client_for(people.head_user),
        walk.case,
        "closed",
        "2026-04-20",
        reason="performed",
        approved_by=people.head.pk,
    )
    assert response.status_code == 422, response.json()
    assert _rules(response) == {"CLOSE-conditions"}
    assert written() == before


def test_a_paid_case_is_closed_by_the_head_with_the_reason(walk: Walker, people: People) -> None:
    _decided_and_served(walk)
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    response = _api_step(
        client_for(people.head_user),
        walk.case,
        "closed",
        "2026-04-20",
        reason="performed",
        approved_by=people.head.pk,
    )
    assert response.status_code == 201, response.json()
    closed = walk.case.steps.get(step="closed")
    assert closed.data == {"reason": "performed", "approved_by": f"O{people.head.pk}"}


# --- a prior notice above the article's maximum (APL-basis-range) --------------------------


@pytest.fixture
def capped_case(organ_a: Any, power_item: PowerItem, people: People) -> Walker:
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation=VIOLATION,
        basis={**BASIS, "fine_max": 100000},
        benchmark={**BENCHMARK, "fine_max": 100000},
    )
    walk = Walker(case, people)
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
    )
    walk.investigate()
    return walk


def test_a_notice_above_the_maximum_is_refused_on_the_page(
    capped_case: Walker, people: People
) -> None:
    before = written()
    response = post_step(
        client_for(people.officer_user),
        capped_case.case,
        "prior_notice",
        on="2026-03-16",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        written="on",
        hearing_right_notified="on",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "APL-basis-range" in html and "第四十四条" in html and "100000" in html
    assert written() == before


def test_a_notice_above_the_maximum_is_refused_by_the_api(
    capped_case: Walker, people: People
) -> None:
    before = written()
    response = _api_step(
        client_for(people.officer_user),
        capped_case.case,
        "prior_notice",
        "2026-03-16",
        intended=[{"type": "fine", "amount": 150000}],
        written=True,
        hearing_right_notified=True,
    )
    assert response.status_code == 422, response.json()
    assert _rules(response) == {"APL-basis-range"}
    assert "第四十四条" in response.json()["errors"][0]["citation"]
    assert written() == before


# --- the legal reviewer named an investigator (REVIEW-independent) -------------------------


def test_the_reviewer_named_an_investigator_is_refused_on_the_page(
    walk: Walker, people: People
) -> None:
    walk.until_review()  # 陈静 reviewed the case
    before = written()
    response = post_step(
        client_for(people.officer_user),
        walk.case,
        "investigation",
        on="2026-03-26",
        officers=[people.o1.pk, people.reviewer.pk],
        evidence=["documentary"],
        certificates_shown="on",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "REVIEW-independent" in html and "第五十八条" in html
    assert written() == before


def test_the_reviewer_named_an_investigator_is_refused_by_the_api(
    walk: Walker, people: People
) -> None:
    walk.until_review()
    before = written()
    response = _api_step(
        client_for(people.officer_user),
        walk.case,
        "investigation",
        "2026-03-26",
        officers=[people.o1.pk, people.reviewer.pk],
        evidence=["documentary"],
        certificates_shown=True,
    )
    assert response.status_code == 422, response.json()
    assert "REVIEW-independent" in _rules(response)  # (and APL-42: no certificate)
    assert written() == before


def test_an_investigator_as_reviewer_is_refused_with_the_rule(walk: Walker, people: People) -> None:
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.reviewer],
    )
    before = written()
    with pytest.raises(services.RuleViolation) as refused:
        walk(
            services.record_legal_review,
            actor=people.reviewer_user,
            on=D("2026-03-25"),
            reviewer=people.reviewer,
            result="passed",
        )
    assert [f["rule"] for f in refused.value.findings] == ["REVIEW-independent"]
    assert written() == before


# --- a penalty case under a licensing item (POWER-kind) ------------------------------------


@pytest.fixture
def licensing_item(power_item: PowerItem, supervisor_city: Any) -> PowerItem:
    return catalogue.save_power_item(
        subject=power_item.subject,
        basis=list(power_item.basis.all()),
        code="XK-001",
        name="食品经营许可",
        category="licensing",
        valid_from=D("2024-01-01"),
        published=True,
        published_on=D("2024-01-01"),
        actor=supervisor_city,
    )


def test_a_penalty_case_under_a_licensing_item_is_refused_by_the_api(
    licensing_item: PowerItem, people: People
) -> None:
    before = (Case.objects.count(), *written())
    response = client_for(people.officer_user).post(
        "/api/v1/cases",
        {
            "procedure": "general",
            "power": "XK-001",
            "on": "2026-03-02",
            "party": PARTY,
            "violation": VIOLATION,
            "basis": BASIS,
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.json()
    assert _rules(response) == {"POWER-kind"}
    assert [e["path"] for e in response.json()["errors"]] == ["body.power"]
    assert "第三十八条" in response.json()["errors"][0]["citation"]
    assert (Case.objects.count(), *written()) == before


def test_a_penalty_case_under_a_licensing_item_is_refused_on_the_page(
    licensing_item: PowerItem, people: People
) -> None:
    before = (Case.objects.count(), *written())
    response = client_for(people.officer_user).post(
        reverse("cases:open"),
        {
            "procedure": "general",
            "source": "inspection",
            "power_item": licensing_item.pk,
            "party_type": "organisation",
            "party_name": PARTY["name"],
            "party_uscc": PARTY["uscc"],
            "occurred_on": "2026-03-01",
            "discovered_on": "2026-03-02",
            "harm": "ordinary",
            "on": "2026-03-02",
            "law": BASIS["law"],
            "article": BASIS["article"],
            "penalty_types": BASIS["penalty_types"],
            "fine_min": "50000",
            "fine_max": "500000",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400, html
    # The form does not offer a licensing item, so it refuses it as a choice.
    assert response.context["form"].errors.keys() == {"power_item"}
    assert (Case.objects.count(), *written()) == before


def test_the_open_form_offers_only_penalty_items(
    licensing_item: PowerItem, power_item: PowerItem, people: People
) -> None:
    response = client_for(people.officer_user).get(reverse("cases:open"))
    offered = set(response.context["form"].fields["power_item"].queryset)
    assert power_item in offered and licensing_item not in offered
    assert licensing_item.code not in response.content.decode()

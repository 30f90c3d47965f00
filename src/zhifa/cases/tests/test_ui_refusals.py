"""Refusals through the step forms: the rule ID and citation shown and nothing written,
a fine outside the band without a reason, steps not the user's (403) or not due (404),
a stale step count (conflict), bad input named by field, and organ B kept out."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.core.testing import client_for

from .conftest import FINE, D, People, Walker, make_bands
from .test_ui_support import post_step, written

pytestmark = pytest.mark.django_db

DECISION = {
    "on": "2026-03-27",
    "outcome": "penalty",
    "penalty_type_1": "fine",
    "penalty_amount_1": "150000",
    "elements": list(services.ALL_ELEMENTS),
    "cites_full_name_and_article": "on",
}


def _registered(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()


def test_a_decision_without_a_written_notice_is_refused_with_the_rule(
    walk: Walker, people: People
) -> None:
    _registered(walk)
    walk(services.serve_prior_notice, on=D("2026-03-16"), intended=FINE, written=False)
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=people.head_user, on=D("2026-03-26"))
    before = written()
    response = post_step(client_for(people.head_user), walk.case, "decision", **DECISION)
    assert response.status_code == 400
    html = response.content.decode()
    assert "APL-44-prior-notice" in html and "《中华人民共和国行政处罚法》第四十四条" in html
    assert "书面告知" in html  # the engine's Chinese message
    assert written() == before


def test_a_decision_before_any_notice_is_not_offered(walk: Walker, people: People) -> None:
    _registered(walk)
    before = written()
    head = client_for(people.head_user)
    assert head.get(reverse("cases:step", args=[walk.case.pk, "decision"])).status_code == 404
    assert post_step(head, walk.case, "decision", **DECISION).status_code == 404
    assert written() == before


def test_a_fine_above_the_article_maximum_shows_the_rule(walk: Walker, people: People) -> None:
    walk.until_review()
    before = written()
    data = {**DECISION, "penalty_amount_1": "600000"}
    response = post_step(client_for(people.head_user), walk.case, "decision", **data)
    assert response.status_code == 400 and "APL-basis-range" in response.content.decode()
    assert written() == before


def test_a_fine_outside_the_band_needs_a_reason(
    walk: Walker, people: People, power_item: Any, supervisor_city: Any
) -> None:
    make_bands(power_item, supervisor_city)
    walk.until_review()
    head = client_for(people.head_user)
    form = head.get(reverse("cases:step", args=[walk.case.pk, "decision"])).content.decode()
    assert "100000" in form and "200000" in form  # the general band is shown
    assert "50000" in form and "500000" in form  # and the article's range
    data = {**DECISION, "penalty_amount_1": "60000", "circumstance": "general"}
    # Issue #12: outside the band without a reason is DISC-benchmark, a warning (the
    # catalogue's severity): the decision is taken and keeps it.
    assert post_step(head, walk.case, "decision", **data).status_code == 302
    case = Case.objects.get(pk=walk.case.pk)
    assert case.benchmark["reason_outside_band"] is None
    assert "DISC-benchmark" in [w["rule"] for w in case.steps.last().warnings]


def test_an_officer_cannot_post_the_heads_decision(walk: Walker, people: People) -> None:
    walk.until_review()
    before = written()
    officer = client_for(people.officer_user)
    assert officer.get(reverse("cases:step", args=[walk.case.pk, "decision"])).status_code == 403
    assert post_step(officer, walk.case, "decision", **DECISION).status_code == 403
    assert post_step(officer, walk.case, "registered", on="2026-03-03").status_code == 404
    assert written() == before


def test_a_stale_step_count_is_a_conflict(walk: Walker, people: People) -> None:
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    seen = walk.n
    walk.investigate()  # someone else meanwhile
    before = written()
    response = post_step(
        client_for(people.officer_user),
        walk.case,
        "investigation",
        expected_steps=seen,
        on="2026-03-05",
        officers=[people.o1.pk, people.o2.pk],
        evidence=["documentary"],
    )
    assert response.status_code == 400
    assert "案件已被他人更改" in response.content.decode()
    assert written() == before


def test_bad_input_names_the_field_and_writes_nothing(walk: Walker, people: People) -> None:
    _registered(walk)
    before = written()
    response = post_step(
        client_for(people.officer_user), walk.case, "prior_notice", on="not a date"
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "on" in errors
    response = post_step(
        client_for(people.officer_user),
        walk.case,
        "prior_notice",
        on="2026-03-16",
        penalty_type_1="fine",
    )
    assert response.status_code == 400
    assert "penalty_amount_1" in response.context["form"].errors
    assert written() == before


def test_another_organs_officer_sees_nothing(walk: Walker, people: People, officer_b: Any) -> None:
    _registered(walk)
    other = client_for(officer_b)
    pk = walk.case.pk
    assert other.get(reverse("cases:detail", args=[pk])).status_code == 404
    assert other.get(reverse("cases:step", args=[pk, "prior_notice"])).status_code == 404
    before = written()
    response = post_step(other, walk.case, "prior_notice", on="2026-03-16")
    assert response.status_code == 404
    assert other.post(reverse("cases:suspend", args=[pk]), {"on": "2026-03-10"}).status_code == 404
    assert written() == before
    listing = other.get(reverse("cases:list") + "?all=1").content.decode()
    assert walk.case.case_id not in listing and walk.case.party_name not in listing

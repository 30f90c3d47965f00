"""The service is the single guard (review findings H1–H3, M1, M2, L2, L3, L5 and legal
2, 6, 8, 9): who may take a step and in what order is enforced in ``add_step`` for every
entry point, and a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services
from zhifa.cases.forms import PreservationForm
from zhifa.cases.models import CaseStep, Suspension
from zhifa.cases.policy import next_steps
from zhifa.core.testing import client_for

from .conftest import BASIS, FINE, PARTY, VIOLATION, D, People, Walker, counts
from .test_api_write import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(walk: Walker) -> Api:
    return Api(walk.case.pk, walk.p)


def _register(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )


def _refused(response: Any, status: int, before: tuple[int, ...], path: str | None = None) -> None:
    assert response.status_code == status, response.json()
    if path is not None:
        assert path in [e["path"] for e in response.json()["errors"]], response.json()
    assert counts() == before


# --- H1: role and order, through the API ---------------------------------------------------


def test_roles_are_enforced_by_the_service_through_the_api(walk: Walker, api: Api) -> None:
    _register(walk)
    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    before = counts()
    # An officer does not hold the collective discussion (APL 57(2): 负责人集体讨论).
    _refused(api.step(api.officer, "collective_discussion", "2026-03-26"), 403, before)
    # A legal reviewer takes no procedural step and does not suspend the case.
    _refused(api.step(api.reviewer, "statement", "2026-03-19"), 403, before)
    suspended = api.reviewer.post(
        f"/api/v1/cases/{api.case_pk}/suspend",
        {"on": "2026-03-19", "reason": "鉴定"},
        content_type="application/json",
    )
    assert suspended.status_code == 403 and not Suspension.objects.exists()
    # APL 56: the preservation of evidence is approved by the organ head.
    _refused(api.step(api.officer, "preservation", "2026-03-19", items=3), 403, before)
    assert counts() == before


def test_a_reviewer_cannot_serve_the_prior_notice(walk: Walker, api: Api) -> None:
    _register(walk)
    walk.investigate()
    before = counts()
    response = api.step(api.reviewer, "prior_notice", "2026-03-16", intended=FINE)
    _refused(response, 403, before)


def test_steps_out_of_order_are_refused(walk: Walker, api: Api) -> None:
    before = counts()
    # Nothing before the registration.
    _refused(
        api.step(api.officer, "investigation", "2026-03-04", officers=[walk.p.o1.pk]), 400, before
    )
    _register(walk)
    walk.investigate()
    before = counts()
    # An undecided case is not closed, nor served.
    response = api.step(api.head, "closed", "2026-03-05")
    _refused(response, 400, before)
    assert "结案" in response.json()["errors"][0]["message"]
    _refused(api.step(api.officer, "served", "2026-03-05"), 400, before)
    with pytest.raises(ValidationError) as refused:
        walk(services.record_statement, on=D("2026-03-05"))
    assert refused.value.code == "step_order"
    assert "行政处罚事先告知" in refused.value.messages[0]  # what must come first
    assert counts() == before


def test_a_step_dated_after_today_is_refused_at_on(walk: Walker, api: Api, today: dt.date) -> None:
    _register(walk)
    before = counts()
    future = (today + dt.timedelta(days=1)).isoformat()
    response = api.step(
        api.officer,
        "investigation",
        future,
        officers=[walk.p.o1.pk, walk.p.o2.pk],
        evidence=["documentary"],
    )
    _refused(response, 400, before, "body.on")
    response = api.step(api.officer, "investigation", "9999-12-31", officers=[walk.p.o1.pk])
    _refused(response, 400, before, "body.on")


def test_no_step_while_suspended_through_the_api(walk: Walker, api: Api) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-28"))
    # A suspension left open (e.g. imported) still stops every step.
    Suspension.objects.create(
        case=walk.case, start=D("2026-03-29"), reason="x", actor=walk.p.head_user
    )
    before = counts()
    _refused(api.step(api.officer, "closed", "2026-03-30"), 400, before)
    assert next_steps(walk.case, walk.p.head_user) == []


# --- H2, H3, M1: the named services behind the API ----------------------------------------


def test_the_decision_change_goes_through_change_decision(walk: Walker, api: Api) -> None:
    walk.until_review()
    before = counts()
    # No decision yet: nothing to change.
    response = api.step(api.head, "decision_changed", "2026-03-27", how="changed", reason="复议")
    _refused(response, 400, before)
    walk.decide()
    before = counts()
    no_reason = api.step(api.head, "decision_changed", "2026-03-28", how="changed")
    _refused(no_reason, 400, before, "body.reason")
    blank = api.step(api.head, "decision_changed", "2026-03-28", how="changed", reason=" ")
    _refused(blank, 400, before, "body.reason")
    officer = api.step(api.officer, "decision_changed", "2026-03-28", how="changed", reason="复议")
    _refused(officer, 403, before)
    changed = api.ok(api.head, "decision_changed", "2026-03-28", how="changed", reason="复议决定")
    assert changed["data"] == {"how": "changed", "reason": "复议决定"}


def test_a_disclosure_is_withdrawn_only_when_published(walk: Walker, api: Api) -> None:
    walk.until_review()
    walk.decide()
    walk(
        services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-03-28"),
        how="changed",
        reason="复议",
    )
    before = counts()
    # The API takes no withdrawal by hand: the platform withdraws the publication
    # (zhifa.disclosure, APL-48-withdraw).
    response = api.step(api.head, "disclosure_withdrawn", "2026-03-29", reason_published=True)
    _refused(response, 400, before, "body.step")


def test_the_steps_api_does_not_record_the_legal_review(walk: Walker, api: Api) -> None:
    _register(walk)
    walk.investigate()
    walk.notify()
    before = counts()
    response = api.step(
        api.reviewer, "legal_review", "2026-03-25", reviewer=walk.p.reviewer.pk, result="passed"
    )
    _refused(response, 400, before, "body.step")


def test_a_transfer_is_not_a_decision_outcome(walk: Walker, api: Api) -> None:
    walk.until_review()
    before = counts()
    response = api.step(
        api.head, "decision", "2026-03-27", approved_by=walk.p.head.pk, outcome="transfer"
    )
    _refused(response, 400, before, "body.outcome")
    with pytest.raises(ValidationError) as refused:
        walk(
            services.issue_decision,
            actor=walk.p.head_user,
            on=D("2026-03-27"),
            approved_by=walk.p.head,
            outcome="transfer",
        )
    assert "outcome" in refused.value.message_dict
    assert counts() == before


# --- legal 6: a revoked decision is not executed -----------------------------------------


def test_after_a_revocation_only_the_withdrawal_and_the_closing_follow(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.mark_disclosed, on=D("2026-03-28"))
    walk(
        services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-03-30"),
        how="revoked",
        reason="复议机关撤销",
    )
    assert next_steps(walk.case, walk.p.head_user) == ["disclosure_withdrawn", "closed"]
    before = counts()
    for act in (
        lambda: walk(services.serve_decision, on=D("2026-03-31")),
        lambda: walk(services.record_payment, on=D("2026-03-31"), amount=150000),
        lambda: walk(services.serve_demand, on=D("2026-03-31")),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.code == "step_order"
    assert counts() == before
    walk(
        services.withdraw_disclosure,
        actor=walk.p.head_user,
        on=D("2026-03-31"),
        reason_published=True,
    )
    assert next_steps(walk.case, walk.p.head_user) == ["closed"]
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-04-01"), approved_by=walk.p.head)


# --- legal 2, 8, 9: who takes which step ---------------------------------------------------


def test_the_collective_discussion_and_preservation_are_the_heads(walk: Walker) -> None:
    _register(walk)
    walk.investigate()
    walk.notify()
    before = counts()
    with pytest.raises(PermissionDenied):
        walk(services.record_collective_discussion, on=D("2026-03-26"))
    with pytest.raises(PermissionDenied):
        walk(services.record_preservation, on=D("2026-03-17"), items=2)
    assert counts() == before
    walk(services.record_preservation, actor=walk.p.head_user, on=D("2026-03-17"), items=2)
    with pytest.raises(PermissionDenied):
        walk(services.decide_preservation, on=D("2026-03-18"))
    walk(services.decide_preservation, actor=walk.p.head_user, on=D("2026-03-18"))


def test_the_reviewer_is_not_named_an_investigator(walk: Walker) -> None:
    walk.until_review()  # the legal reviewer is linked to the case as its reviewer
    before = counts()
    with pytest.raises(services.RuleViolation) as refused:
        walk(
            services.record_investigation,
            on=D("2026-03-26"),
            officers=[walk.p.o1, walk.p.reviewer],
            evidence=["documentary"],
        )
    # The engine's rule, with its ID (issue #11), not a guard message without one.
    assert "REVIEW-independent" in {f["rule"] for f in refused.value.findings}
    assert counts() == before


def test_the_hearing_host_is_not_named_an_investigator_afterwards(walk: Walker) -> None:
    _register(walk)
    walk.investigate()
    walk.notify()
    walk(services.request_hearing, on=D("2026-03-17"))
    walk(services.notify_hearing, on=D("2026-03-18"), hearing_on=D("2026-03-30"))
    walk(services.hold_hearing, actor=walk.p.host.user, on=D("2026-03-30"), host=walk.p.host)
    # The decision is not made yet: investigation is still offered. The host may not
    # join it (APL 64(4): 听证由非本案调查人员主持).
    assert "investigation" in next_steps(walk.case, walk.p.officer_user)
    before = counts()
    with pytest.raises(services.RuleViolation) as refused:
        walk(
            services.record_investigation,
            on=D("2026-03-31"),
            officers=[walk.p.o1, walk.p.host],
            evidence=["documentary"],
        )
    # Issue #12: the engine's rule, named (APL-64-hearing-host, judged both ways).
    assert [f["rule"] for f in refused.value.findings] == ["APL-64-hearing-host"]
    assert counts() == before


def test_an_unqualified_first_time_reviewer_is_refused_with_apl_58(walk: Walker) -> None:
    """Issue #12: the export carries the real reviewer facts, so APL-58-reviewer fires on
    a live case: 陈静 reviews for the first time (no earlier review of the organ names
    her) without the legal professional qualification."""
    _register(walk)
    walk.investigate()
    walk.p.reviewer.legal_qualification = False
    walk.p.reviewer.save(update_fields=["legal_qualification"])
    before = counts()
    with pytest.raises(services.RuleViolation) as refused:
        walk(
            services.record_legal_review,
            actor=walk.p.reviewer_user,
            on=D("2026-03-20"),
            reviewer=walk.p.reviewer,
            result="passed",
        )
    assert [f["rule"] for f in refused.value.findings] == ["APL-58-reviewer"]
    assert counts() == before


# --- L2, L3, L5: input --------------------------------------------------------------------


def test_an_inactive_officer_is_not_resolved(walk: Walker, api: Api) -> None:
    walk.p.o2.active = False
    walk.p.o2.save(update_fields=["active"])
    before = counts()
    response = api.step(api.head, "registered", "2026-03-03", by=[walk.p.o1.pk, walk.p.o2.pk])
    _refused(response, 400, before, "body.by.1")


@pytest.mark.parametrize(
    ("party", "path"),
    [
        ({**PARTY, "uscc": "91110108551385082A"}, "body.party.uscc"),
        (
            {"type": "individual", "name": "张三", "id_number": "110105194912310021"},
            "body.party.id_number",
        ),
    ],
)
def test_the_party_s_numbers_are_checked_by_the_service(
    power_item: Any, people: People, party: dict[str, Any], path: str
) -> None:
    before = counts()
    response = client_for(people.officer_user).post(
        "/api/v1/cases",
        {
            "procedure": "general",
            "power": "CF-124",
            "on": "2026-03-02",
            "party": party,
            "violation": VIOLATION,
            "basis": BASIS,
        },
        content_type="application/json",
    )
    _refused(response, 400, before, path)
    assert not CaseStep.objects.exists()


def test_the_preservation_form_caps_the_items(walk: Walker) -> None:
    form = PreservationForm(
        data={"on": "2026-03-04", "items": "1000001", "expected_steps": "0"},
        case=walk.case,
        user=walk.p.head_user,
    )
    assert not form.is_valid() and "items" in form.errors

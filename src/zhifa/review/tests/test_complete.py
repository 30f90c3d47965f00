"""Completing a legal review: the checklist, the opinion and the case's legal_review
step, in one transaction; the decision then passes APL-58-legal-review."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts.models import Role
from zhifa.cases import services as case_services
from zhifa.cases.models import CaseStep
from zhifa.cases.tests.conftest import refused_rule
from zhifa.core.testing import make_user
from zhifa.records.models import Entry
from zhifa.registry.models import Officer
from zhifa.review import services
from zhifa.review.models import CHECKLIST, CHECKLIST_CODES, ReviewStatus

from .conftest import OPINION, D, all_ok, complete, state


def test_the_checklist_has_every_item_of_the_review_content() -> None:
    assert CHECKLIST_CODES == (
        "subject",
        "powers",
        "facts",
        "evidence",
        "procedure",
        "law",
        "discretion",
        "documents",
        "crime",
    )
    assert all(item.label and item.question for item in CHECKLIST)


def test_a_passed_review_unblocks_the_decision(submitted, ready) -> None:
    p = ready.p
    done = complete(submitted, p.reviewer_user)
    assert done.status == ReviewStatus.PASSED
    assert done.reviewer == p.reviewer and done.reviewed_on == D("2026-03-25")
    assert done.checklist == all_ok() and done.opinion == OPINION
    step = CaseStep.objects.get(case=ready.case, step="legal_review")
    assert done.step == step and step.data["result"] == "passed"
    assert step.data["reviewer"] == f"O{p.reviewer.pk}"
    entry = Entry.objects.get(action="review.complete")
    payload = json.loads(entry.payload)
    assert payload["result"] == "passed" and payload["request"] == done.pk
    assert payload["checklist"] == dict.fromkeys(CHECKLIST_CODES, True)
    assert payload["opinion"] == OPINION and len(payload["opinion_sha256"]) == 64
    # The record holds the case step and the review, in this order.
    actions = list(Entry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["case.legal_review", "review.complete"]
    ready(case_services.record_collective_discussion, actor=p.head_user, on=D("2026-03-26"))
    decision = ready.decide()
    assert decision.step == "decision"


def test_without_a_review_the_decision_stays_blocked(submitted, ready) -> None:
    ready(
        case_services.record_collective_discussion,
        actor=ready.p.head_user,
        on=D("2026-03-26"),
    )
    with refused_rule("APL-58-legal-review"):
        ready.decide()


def test_a_failed_review_blocks_the_decision_until_a_new_review_passes(submitted, ready) -> None:
    p = ready.p
    failed = complete(
        submitted,
        p.reviewer_user,
        result="failed",
        checklist=all_ok(evidence="现场检查笔录缺少当事人签名。"),
        opinion="证据不足，不同意拟处理意见。",
    )
    assert failed.status == ReviewStatus.FAILED and failed.problems == ["evidence"]
    ready(case_services.record_collective_discussion, actor=p.head_user, on=D("2026-03-26"))
    with refused_rule("APL-58-legal-review"):
        ready.decide()
    # Back with the officers: they submit again, and the new review passes.
    again = services.submit_for_review(
        ready.case, actor=p.officer_user, on=D("2026-03-26"), note="已补充证据，再次提请审核。"
    )
    complete(again, p.reviewer_user, on=D("2026-03-26"))
    assert ready.decide(on="2026-03-27").step == "decision"


def test_a_returned_review_goes_back_for_further_investigation(submitted, ready) -> None:
    p = ready.p
    returned = complete(
        submitted,
        p.reviewer_user,
        result="returned",
        checklist=all_ok(facts="违法所得金额未查清。"),
        opinion="事实不清，退回补充调查。",
    )
    assert returned.status == ReviewStatus.RETURNED
    assert CaseStep.objects.get(case=ready.case, step="legal_review").data["result"] == "returned"
    ready(
        case_services.record_investigation,
        on=D("2026-03-26"),
        officers=[p.o1, p.o2],
        evidence=["documentary"],
    )
    again = services.submit_for_review(
        ready.case, actor=p.officer_user, on=D("2026-03-26"), note="补充调查完毕。"
    )
    assert again.is_pending and again.pk != returned.pk


def test_a_problem_without_its_comment_is_refused_naming_the_field(submitted, ready) -> None:
    before = state(submitted)
    checklist = all_ok(evidence="缺签名")
    checklist["evidence"]["comment"] = " "
    with pytest.raises(ValidationError) as exc:
        complete(submitted, ready.p.reviewer_user, checklist=checklist, result="failed")
    assert list(exc.value.message_dict) == ["checklist.evidence.comment"]
    assert state(submitted) == before


def test_a_missing_item_an_empty_opinion_and_a_bad_result_are_named(submitted, ready) -> None:
    before = state(submitted)
    checklist = all_ok()
    del checklist["discretion"]
    with pytest.raises(ValidationError) as exc:
        complete(submitted, ready.p.reviewer_user, checklist=checklist, opinion="", result="ok")
    assert set(exc.value.message_dict) == {"checklist.discretion.ok", "opinion", "result"}
    assert state(submitted) == before


def test_a_suspected_crime_is_a_fact_of_the_review_and_warns(submitted, ready) -> None:
    """Issue #12: the suspected crime is the checklist item ``crime`` marked as a problem
    (a fact of the legal_review step), judged by the engine's APL-27-transfer — a
    warning kept with the step — not by words in the opinion."""
    p = ready.p
    checklist = all_ok(crime="涉案食品货值金额较大，可能构成生产、销售不符合安全标准的食品罪。")
    done = complete(submitted, p.reviewer_user, checklist=checklist, result="failed")
    assert done.crime_suspected
    assert [w["rule"] for w in services.review_warnings(done)] == ["APL-27-transfer"]
    assert done.step.data["checklist"]["crime"] == "problem"
    assert "APL-27-transfer" in [w["rule"] for w in done.step.warnings]


def test_an_unqualified_reviewer_is_refused_and_nothing_is_written(submitted, ready) -> None:
    Officer.objects.filter(pk=ready.p.reviewer.pk).update(legal_qualification=False)
    before = state(submitted)
    with pytest.raises(ValidationError):
        complete(submitted, ready.p.reviewer_user)
    assert state(submitted) == before
    assert submitted.is_pending


def test_an_investigator_cannot_review_and_nothing_is_written(submitted, ready, organ_a) -> None:
    # o2 investigates the case; give o2 a reviewer account and the qualification.
    user = make_user("reviewer_o2", Role.LEGAL_REVIEWER, organ=organ_a)
    Officer.objects.filter(pk=ready.p.o2.pk).update(user=user, legal_qualification=True)
    before = state(submitted)
    with pytest.raises(ValidationError) as exc:
        complete(submitted, user)
    assert "investigator" in str(exc.value.messages) or "调查" in str(exc.value.messages)
    assert state(submitted) == before


def test_a_rule_violation_of_the_step_writes_nothing(submitted, ready, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise case_services.RuleViolation([])

    monkeypatch.setattr(case_services, "record_legal_review", refuse)
    before = state(submitted)
    with pytest.raises(case_services.RuleViolation):
        complete(submitted, ready.p.reviewer_user)
    assert state(submitted) == before


def test_an_officer_cannot_complete_a_review(submitted, ready) -> None:
    before = state(submitted)
    with pytest.raises(PermissionDenied):
        complete(submitted, ready.p.officer_user)
    assert state(submitted) == before


def test_a_reviewer_of_another_organ_cannot_complete_it(submitted, reviewer_b) -> None:
    before = state(submitted)
    with pytest.raises(PermissionDenied):
        complete(submitted, reviewer_b)
    assert state(submitted) == before


def test_a_reviewer_without_a_registry_officer_is_refused(submitted, organ_a) -> None:
    user = make_user("reviewer_unlinked", Role.LEGAL_REVIEWER, organ=organ_a)
    before = state(submitted)
    with pytest.raises(PermissionDenied):
        complete(submitted, user)
    assert state(submitted) == before


def test_a_completed_request_cannot_be_completed_again(submitted, ready) -> None:
    complete(submitted, ready.p.reviewer_user)
    before = state(submitted)
    with pytest.raises(ValidationError) as exc:
        complete(submitted, ready.p.reviewer_user, result="failed")
    assert exc.value.code == "not_pending"
    assert state(submitted) == before


def test_a_review_dated_before_the_submission_is_refused(submitted, ready) -> None:
    with pytest.raises(ValidationError) as exc:
        complete(submitted, ready.p.reviewer_user, on=D("2026-03-19"))
    assert list(exc.value.message_dict) == ["on"]

"""Each block rule refuses its step with the rule ID, and nothing is written: no step, no
record entry, no document number consumed, no officer linked (issue #6 acceptance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.cases import services

from .conftest import FINE, D, Walker, counts, refused_rule


def test_deciding_without_prior_notice_is_refused(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.review()
    # The collective discussion follows the prior notice (workflow order); the decision
    # is allowed in order so that the engine answers for the missing notice.
    with refused_rule("APL-44-prior-notice"):
        walk.decide()


def test_investigating_with_one_officer_is_refused(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    with refused_rule("APL-42-two-officers"):
        walk(
            services.record_investigation,
            on=D("2026-03-04"),
            officers=[walk.p.o1],
            evidence=["documentary"],
        )


def test_investigating_with_an_expired_certificate_is_refused(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    with refused_rule("APL-42-qualified"):
        walk(
            services.record_investigation,
            on=D("2026-03-04"),
            officers=[walk.p.o1, walk.p.o3],  # o3's certificate ended 2025-12-31
            evidence=["documentary"],
        )


def test_deciding_without_the_required_review_is_refused(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    with refused_rule("APL-58-legal-review"):  # 嘉兴: JX 四（一）, every decision is reviewed
        walk.decide()


def test_a_fine_above_the_articles_maximum_is_refused(walk: Walker) -> None:
    walk.until_review()
    with refused_rule("APL-basis-range"):
        walk.decide(penalties=[{"type": "fine", "amount": 600000}])


def test_a_refused_decision_consumes_no_number(walk: Walker) -> None:
    walk.until_review()
    with refused_rule("APL-basis-range"):
        walk.decide(penalties=[{"type": "fine", "amount": 600000}])
    assert walk.decide().document_number == "嘉市监罚〔2026〕1号"  # no gap


ROLE_CASES: list[tuple[str, Callable[[Walker], Any], type[Exception]]] = [
    (
        "an investigator approves the decision",
        lambda w: services.issue_decision(
            w.case,
            actor=w.p.head_user,
            on=D("2026-03-27"),
            approved_by=w.p.o1,
            penalties=FINE,
            expected_steps=w.n,
        ),
        # Issue #12: 张伟 is no head (identity); that he investigated is SEP-duties, which
        # binds only where CQ does (test_guard_agrees, legal test law_in_engine_*).
        PermissionDenied,
    ),
    (
        "an officer who is not an organ head approves",
        lambda w: services.issue_decision(
            w.case,
            actor=w.p.officer_user,
            on=D("2026-03-27"),
            approved_by=w.p.host,
            penalties=FINE,
            expected_steps=w.n,
        ),
        PermissionDenied,
    ),
    (
        "an unqualified reviewer reviews",
        lambda w: services.record_legal_review(
            w.case,
            actor=w.p.reviewer_user,
            on=D("2026-03-27"),
            reviewer=w.p.o2,
            result="passed",
            expected_steps=w.n,
        ),
        # Issue #12: 李娜 is not the reviewer who records it (identity); the reviewer's
        # qualification is APL-58-reviewer (test_an_unqualified_first_time_reviewer_...).
        PermissionDenied,
    ),
    (
        "an investigator hosts the hearing",
        lambda w: services.hold_hearing(
            w.case, actor=w.p.officer_user, on=D("2026-03-27"), host=w.p.o1, expected_steps=w.n
        ),
        # Issue #12: the law (APL 64(4)), so the engine's refusal with its rule ID — a
        # check put back in the guard would raise a plain ValidationError and fail here.
        services.RuleViolation,
    ),
]


@pytest.mark.parametrize(("what", "act", "error"), ROLE_CASES, ids=[c[0] for c in ROLE_CASES])
def test_who_may_do_what(
    walk: Walker, what: str, act: Callable[[Walker], Any], error: type[Exception]
) -> None:
    walk.until_review()
    if what == "an investigator hosts the hearing":  # the hearing follows its notice
        walk(services.request_hearing, on=D("2026-03-26"))
        walk(services.notify_hearing, on=D("2026-03-26"), hearing_on=D("2026-04-08"))
    before = counts()
    with pytest.raises(error) as exc:
        act(walk)
    assert getattr(exc.value, "code", None) != "step_order"  # refused for who, not when
    if what == "an investigator hosts the hearing":
        assert isinstance(exc.value, services.RuleViolation)
        assert [f["rule"] for f in exc.value.findings] == ["APL-64-hearing-host"]
    assert counts() == before


def test_only_an_organ_head_registers(walk: Walker) -> None:
    with pytest.raises(PermissionDenied):
        walk(services.register_case, on=D("2026-03-03"), by=[walk.p.o1, walk.p.o2])


def test_another_organs_user_may_not_act(walk: Walker, officer_b: Any) -> None:
    with pytest.raises(PermissionDenied):
        walk(services.register_case, actor=officer_b, on=D("2026-03-03"), by=[walk.p.o1])


def test_a_seizure_is_approved_by_an_organ_head(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    before = counts()
    with pytest.raises(services.RuleViolation) as refused:
        walk(services.add_step, step="seizure", on=D("2026-03-04"), days=30, approved_by=walk.p.o1)
    # Issue #12: the law (ACL 18(一), 25), the engine's rule with its ID.
    assert [f["rule"] for f in refused.value.findings] == ["ACL-18-approval"]
    assert counts() == before
    seized = walk(
        services.add_step, step="seizure", on=D("2026-03-04"), days=30, approved_by=walk.p.head
    )
    assert seized.document_number == "嘉市监强〔2026〕1号"

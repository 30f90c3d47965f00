"""A decision changed, revoked, declared unlawful or void, and the published decision
withdrawn (APL Art. 48; legal-rules.md APL-48-withdraw)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhifa.accounts.models import Role
from zhifa.cases import services
from zhifa.cases.policy import next_steps
from zhifa.core.testing import make_user
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject

from .conftest import BASIS, D, People, Walker, counts, summary_case_noticed


def _published(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.mark_disclosed, on=D("2026-04-01"))


def _deadline(walk: Walker, rule: str, day: str) -> str:
    items = services.deadlines(walk.case, D(day))
    return next(d.status(D(day)) for d in items if d.rule == rule)


def test_the_head_revokes_a_published_decision_and_it_is_withdrawn(walk: Walker) -> None:
    _published(walk)
    assert "decision_changed" in next_steps(walk.case, walk.p.head_user)
    assert "decision_changed" not in next_steps(walk.case, walk.p.officer_user)

    changed = walk(
        services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-13"),
        how="revoked",
        reason="经行政复议，认定事实不清，撤销原处罚决定",
    )
    assert changed.step == "decision_changed"
    assert changed.data == {"how": "revoked", "reason": "经行政复议，认定事实不清，撤销原处罚决定"}
    entry = Entry.objects.get(action="case.decision_changed")
    assert json.loads(entry.payload)["data"]["reason"].startswith("经行政复议")
    # APL 48: 3 working days to withdraw the publication (2026-04-16).
    assert _deadline(walk, "APL-48-withdraw", "2026-04-14") == "open"
    assert _deadline(walk, "APL-48-withdraw", "2026-04-17") == "overdue"
    offered = next_steps(walk.case, walk.p.officer_user)
    assert "disclosure_withdrawn" in offered and "decision_changed" not in offered

    withdrawn = walk(services.withdraw_disclosure, on=D("2026-04-15"), reason_published=True)
    assert withdrawn.data == {"reason_published": True} and withdrawn.warnings == []
    assert _deadline(walk, "APL-48-withdraw", "2026-04-20") == "met"
    assert "disclosure_withdrawn" not in next_steps(walk.case, walk.p.officer_user)
    call_command("records", "verify")  # exits 1 (SystemExit) when a chain is broken


def test_withdrawing_without_publishing_the_reason_keeps_a_warning(walk: Walker) -> None:
    _published(walk)
    walk(
        services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-13"),
        how="changed",
        reason="减轻罚款数额",
    )
    withdrawn = walk(services.withdraw_disclosure, on=D("2026-04-14"), reason_published=False)
    assert [w["rule"] for w in withdrawn.warnings] == ["APL-48-withdraw"]


def test_an_officer_cannot_change_the_decision_and_nothing_is_written(walk: Walker) -> None:
    _published(walk)
    before = counts()
    for user in (walk.p.officer_user, walk.p.reviewer_user):
        with pytest.raises(PermissionDenied):
            walk(
                services.change_decision,
                actor=user,
                on=D("2026-04-13"),
                how="revoked",
                reason="撤销",
            )
    assert counts() == before


def test_a_head_of_another_organ_cannot_change_the_decision(
    walk: Walker, organ_b: EnforcementSubject
) -> None:
    _published(walk)
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b, full_name="孙强")
    before = counts()
    with pytest.raises(PermissionDenied):
        walk(services.change_decision, actor=head_b, on=D("2026-04-13"), how="void", reason="无效")
    assert counts() == before


@pytest.mark.parametrize(
    ("how", "reason", "field"), [("annulled", "撤销", "how"), ("void", " ", "reason")]
)
def test_bad_change_input_names_the_field(walk: Walker, how: str, reason: str, field: str) -> None:
    _published(walk)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk(
            services.change_decision,
            actor=walk.p.head_user,
            on=D("2026-04-13"),
            how=how,
            reason=reason,
        )
    assert field in refused.value.message_dict
    assert counts() == before


def test_no_decision_no_change_and_no_publication_no_withdrawal(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    before = counts()
    with pytest.raises(ValidationError) as undecided:
        walk(
            services.change_decision,
            actor=walk.p.head_user,
            on=D("2026-03-04"),
            how="revoked",
            reason="撤销",
        )
    assert undecided.value.code == "none"
    with pytest.raises(ValidationError) as unpublished:
        walk(services.withdraw_disclosure, on=D("2026-03-04"), reason_published=True)
    assert unpublished.value.code == "not_disclosed"
    assert counts() == before


def test_a_transfer_is_not_changed_as_a_decision(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        kind="judicial",
        receiver_name="嘉兴市公安局",
        reason="涉嫌犯罪",
        approved_by=walk.p.head,
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk(
            services.change_decision,
            actor=walk.p.head_user,
            on=D("2026-03-06"),
            how="revoked",
            reason="撤销",
        )
    assert refused.value.code == "none"
    assert counts() == before


def test_in_the_summary_procedure_too_only_the_head_changes_the_decision(
    organ_a: EnforcementSubject, power_item: object, people: People
) -> None:
    walk = summary_case_noticed(
        organ_a,
        power_item,
        people,
        [{"type": "warning"}],
        basis={**BASIS, "fine_min": 200, "fine_max": 2000},
    )
    case = walk.case
    walk(
        services.issue_decision,
        on=D("2026-03-02"),
        approved_by=people.o1,
        penalties=[{"type": "warning"}],
    )
    assert "decision_changed" not in next_steps(case, people.officer_user)
    assert "decision_changed" in next_steps(case, people.head_user)
    before = counts()
    with pytest.raises(PermissionDenied):
        walk(services.change_decision, on=D("2026-03-03"), how="revoked", reason="撤销")
    assert counts() == before
    changed = walk(
        services.change_decision,
        actor=people.head_user,
        on=D("2026-03-03"),
        how="revoked",
        reason="当事人申请行政复议，本机关自行撤销",
    )
    assert changed.data["how"] == "revoked"

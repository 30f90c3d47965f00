"""The next steps after a transfer and after a change of the decision."""

from __future__ import annotations

from zhifa.cases.workflow import HEAD_STEPS, procedural_next_steps

BEFORE = ["registered", "investigation"]
DECIDED = [*BEFORE, "prior_notice", "decision", "served"]


def test_a_pending_transfer_waits_for_the_reply() -> None:
    assert procedural_next_steps("general", [*BEFORE, "decision"], False, "pending") == []


def test_an_accepted_transfer_is_closed() -> None:
    assert procedural_next_steps("general", [*BEFORE, "decision"], False, "accepted") == ["closed"]
    # A transfer decision imported without its transfer row.
    assert procedural_next_steps("general", [*BEFORE, "decision"], False, "") == ["closed"]


def test_a_rejected_or_returned_transfer_continues_the_case() -> None:
    for result in ("rejected", "returned"):
        offered = procedural_next_steps("general", [*BEFORE, "decision"], False, result)
        assert "investigation" in offered and "prior_notice" in offered
        assert "served" not in offered and "closed" not in offered
    after_notice = [*BEFORE, "decision", "prior_notice"]
    assert "decision" in procedural_next_steps("general", after_notice, False, "rejected")


def test_a_decision_is_changed_once_then_its_publication_withdrawn() -> None:
    offered = procedural_next_steps("general", [*DECIDED, "disclosed"], False)
    assert "decision_changed" in offered and "disclosure_withdrawn" not in offered
    changed = [*DECIDED, "disclosed", "decision_changed"]
    offered = procedural_next_steps("general", changed, False)
    assert "disclosure_withdrawn" in offered and "decision_changed" not in offered
    withdrawn = procedural_next_steps("general", [*changed, "disclosure_withdrawn"], False)
    assert "disclosure_withdrawn" not in withdrawn and "closed" in withdrawn


def test_an_unpublished_changed_decision_has_nothing_to_withdraw() -> None:
    offered = procedural_next_steps("general", [*DECIDED, "decision_changed"], False)
    assert "disclosure_withdrawn" not in offered and "disclosed" in offered


def test_the_head_records_a_change_of_the_decision() -> None:
    assert "decision_changed" in HEAD_STEPS

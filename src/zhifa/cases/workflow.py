"""Which steps a case may take next: the order of the procedure.

This is the order of the procedure as the case pages offer it (the officer sees the
next allowed steps only); who may take them, and the case's state they are judged on,
are ``policy``'s (``policy.can_take``, ``policy.offered_steps``). It is not the law:
every step offered here is still checked by ``services.add_step``, which asks the rules
engine and refuses a step that breaks a block rule. A step not offered here can still
be refused or allowed there; the list only keeps the forms to the ones that make sense
now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zhifa.rules.engine.catalogue import PARTY_WINDOWS as ENGINE_PARTY_WINDOWS

from .models import TransferResult
from .steps import EXECUTION, HEAD, PARTY, REVIEWER, SOURCE, STEPS, names

#: Steps only an organ head takes (the head approves them; ``steps.HEAD`` in their
#: declaration): the registration (立案审批 under the departmental procedure rules; APL
#: 54(2) itself only says 及时立案), the decision (APL 57), the collective discussion
#: (APL 57(2): 行政机关负责人集体讨论), a deferral (APL 66), the preservation of evidence by
#: registration and its decision (APL 56: 经行政机关负责人批准，可以先行登记保存); a change
#: of the decision is recorded by the head who answers for the decision; the refusal to
#: register (不予立案审批) and the closure (结案审批) are approved by the head
#: (REG-decision, CLOSE-conditions).
HEAD_STEPS = frozenset(names(lambda s: s.roles == HEAD))
#: How a change ends the decision's effect: a revoked or void decision is no longer
#: executed (ACL 39: execution terminates), so only the withdrawal of its publication
#: and the closing follow.
ANNULLING = frozenset({"revoked", "void"})
#: Steps only a legal reviewer takes (APL 58).
REVIEWER_STEPS = frozenset(names(lambda s: s.roles == REVIEWER))
#: Steps the party may record itself (``steps.PARTY`` in their declaration; the party
#: app, docs/party.md).
PARTY_STEPS = frozenset(names(lambda s: s.roles >= PARTY))
#: Steps after which a case takes no more steps.
ENDING_STEPS = frozenset(names(lambda s: s.ends_case))
#: The steps offered to a case source: a general case not yet registered.
SOURCE_STEPS = names(lambda s: s.place == SOURCE)
#: The steps of the execution of a served decision, each offered once its ``requires``
#: is done.
EXECUTION_STEPS = names(lambda s: s.place == EXECUTION)
#: The step that must come first for a step (``required_before``).
REQUIRES = {s.name: s.requires for s in STEPS if s.requires}
#: Deadlines of the engine that are the party's windows, not the organ's deadlines
#: (the engine's ``PARTY_WINDOWS``): the organ cannot miss them; a window that passed
#: without a request is closed, not overdue, and the work list's nearest deadline leaves
#: them out.
PARTY_WINDOWS = ENGINE_PARTY_WINDOWS


def _open(steps: Sequence[str], start: str, ends: Sequence[str]) -> bool:
    """Whether the last ``start`` has not been followed by one of ``ends``."""
    last_start = max((i for i, s in enumerate(steps) if s == start), default=-1)
    if last_start < 0:
        return False
    return not any(s in ends for s in steps[last_start + 1 :])


def procedural_next_steps(
    procedure: str,
    steps: Sequence[str],
    suspended: bool,
    transfer: str | None = None,
    annulled: bool = False,
) -> list[str]:
    """The steps that may follow ``steps`` in ``procedure`` (format step names).

    ``transfer`` is the result of the transfer the last decision made (``pending``,
    ``accepted``, ``rejected``, ``returned``; ``""`` for a transfer decision with no
    transfer row, e.g. imported), ``None`` when the last decision is not a transfer.
    A transferred case waits for the receiver's reply (nothing is offered), is closed
    once accepted, and continues as an undecided case when rejected or returned
    (docs/adr/0007-transfer-and-decision-change.md). ``annulled``: the decision in force
    was revoked or declared void after it was made (``decision_state``); the decision is
    then not executed (ACL 39), so only the withdrawal of its publication and the closing
    are offered."""
    done = set(steps)
    if done & ENDING_STEPS or suspended:
        return []
    if transfer == "pending":
        return []
    if transfer in ("accepted", ""):
        return ["closed"]
    if not decided(steps, transfer):
        if procedure == "general" and "registered" not in done:
            return list(SOURCE_STEPS)
        offered = ["investigation"]
        if procedure == "general":
            if _open(steps, "preservation", ["preservation_decided"]):
                offered.append("preservation_decided")
            else:
                offered.append("preservation")
            if _open(steps, "seizure", ["seizure_ended"]):
                offered += ["seizure_extended", "seizure_ended"]
            else:
                offered.append("seizure")
        offered.append("prior_notice")
        if "prior_notice" in done:
            offered += ["statement", "waiver"]
            if procedure == "general":
                if "hearing_requested" not in done:
                    offered.append("hearing_requested")
                elif "hearing_notice" not in done:
                    offered.append("hearing_notice")
                elif "hearing" not in done:
                    offered.append("hearing")
                offered += ["legal_review", "collective_discussion"]
            offered.append("decision")
        return offered
    if annulled:
        # ACL 39: the execution of a revoked or void decision terminates.
        offered = []
        if _open(steps, "disclosed", ["disclosure_withdrawn"]):
            offered.append("disclosure_withdrawn")
        return [*offered, "closed"]
    offered = []
    if "served" not in done:
        offered.append("served")
    else:
        # The payment, its deferral, the demand and the court application; the party's
        # reconsideration or litigation against the served decision (and, recorded again,
        # its result): APL 73(3) pauses the late fee while it is pending.
        offered += [s for s in EXECUTION_STEPS if REQUIRES[s] in done]
    if "disclosed" not in done:
        offered.append("disclosed")
    last_decision = max(i for i, s in enumerate(steps) if s == "decision")
    if "decision_changed" not in steps[last_decision + 1 :]:
        offered.append("decision_changed")
    elif _open(steps, "disclosed", ["disclosure_withdrawn"]) and _open(
        steps, "decision_changed", ["disclosure_withdrawn"]
    ):
        # APL 48: the published decision that was changed is withdrawn.
        offered.append("disclosure_withdrawn")
    offered.append("closed")
    return offered


#: Replies to a transfer that give the case back to the transferring organ.
GIVEN_BACK = (TransferResult.REJECTED, TransferResult.RETURNED)


def decided(steps: Sequence[str], transfer: str | None) -> bool:
    """Whether a decision is in force (a transfer given back leaves the case undecided):
    the one meaning of "decided" (``policy.CaseState.decided`` reads it)."""
    return "decision" in steps and transfer not in GIVEN_BACK


def decision_state(steps: Sequence[tuple[str, Mapping[str, Any]]]) -> bool:
    """Whether the last decision of ``steps`` (name and data of each) was revoked or
    declared void after it was made (``ANNULLING``)."""
    names = [name for name, _data in steps]
    if "decision" not in names:
        return False
    last = max(i for i, n in enumerate(names) if n == "decision")
    return any(
        name == "decision_changed" and data.get("how") in ANNULLING
        for name, data in steps[last + 1 :]
    )


def step_permitted(
    procedure: str,
    steps: Sequence[str],
    step: str,
    transfer: str | None = None,
    annulled: bool = False,
) -> bool:
    """Whether ``step`` may follow ``steps`` — the order ``services.add_step`` enforces.

    The steps the pages offer (``procedural_next_steps``, not suspended), plus, while
    the case is undecided, ``decision`` once the case is registered (general) or opened
    (summary) and ``legal_review`` once a general case is registered (the review app's
    request governs when it is recorded): whether the law lets the case be decided now
    (e.g. APL 44, the prior notice) is the rules engine's answer, with its rule ID, not
    this order's."""
    if step in procedural_next_steps(procedure, steps, False, transfer, annulled):
        return True
    if "closed" in steps or decided(steps, transfer) or transfer == "pending":
        return False
    if procedure == "general" and "registered" not in steps:
        return False
    return step == "decision" or (step == "legal_review" and procedure == "general")


def required_before(procedure: str, steps: Sequence[str], step: str) -> str:
    """The step that must come first for ``step`` (a step name), for the refusal's
    message; ``""`` when no single step is missing (e.g. the case is decided)."""
    if "closed" in steps:
        return ""
    if procedure == "general" and "registered" not in steps:
        return "registered"
    wanted = REQUIRES.get(step, "")
    return wanted if wanted and wanted not in steps else ""

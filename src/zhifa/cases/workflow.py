"""Which steps a case may take next, and who may take them.

This is the order of the procedure as the case pages offer it (the officer sees the
next allowed steps only). It is not the law: every step offered here is still checked
by ``services.add_step``, which asks the rules engine and refuses a step that breaks a
block rule. A step not offered here can still be refused or allowed there; the list
only keeps the forms to the ones that make sense now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zhifa.accounts.models import Role

from .casefile import is_prefetched, ordered_steps
from .models import ENDED_STATUSES, Case, CaseStep, Transfer, TransferResult
from .steps import EXECUTION, HEAD, REVIEWER, SOURCE, STEPS, names

if TYPE_CHECKING:
    from zhifa.accounts.models import User

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
#: Steps after which a case takes no more steps.
ENDING_STEPS = frozenset(names(lambda s: s.ends_case))
#: The steps offered to a case source: a general case not yet registered.
SOURCE_STEPS = names(lambda s: s.place == SOURCE)
#: The steps of the execution of a served decision, each offered once its ``requires``
#: is done.
EXECUTION_STEPS = names(lambda s: s.place == EXECUTION)
#: The step that must come first for a step (``required_before``).
REQUIRES = {s.name: s.requires for s in STEPS if s.requires}
#: Deadlines of the engine that are the party's windows, not the organ's deadlines:
#: APL Art. 64(1), the party asks for a hearing within 5 days of the prior notice
#: (legal-rules.md APL-64-hearing-request: 5 working days after it is served). The organ
#: cannot miss them: a window that passed without a request is closed, not overdue, and
#: the work list's nearest deadline leaves them out.
PARTY_WINDOWS = frozenset({"APL-64-hearing-request"})


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
    decided = "decision" in done and transfer not in ("rejected", "returned")
    if not decided:
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
    """Whether a decision is in force (a transfer given back leaves the case undecided)."""
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


def may_take(user: User, step: str) -> bool:
    """Whether ``user``'s role may take ``step`` at all (the service checks the rest)."""
    if step in HEAD_STEPS:
        return user.role == Role.ORGAN_HEAD
    if step in REVIEWER_STEPS:
        return user.role == Role.LEGAL_REVIEWER
    return user.role in (Role.OFFICER, Role.ORGAN_HEAD)


def next_steps(case: Case, user: User | None = None) -> list[str]:
    """The steps ``case`` may take next; with ``user``, only those the user may take. In
    the summary procedure the deciding officer decides on the spot (APL 51–52)."""
    if is_prefetched(case, "steps") and is_prefetched(case, "suspensions"):
        pairs = [(s.step, s.data) for s in ordered_steps(case)]
        suspended = any(s.end is None for s in case.suspensions.all())
    else:
        pairs = list(case.steps.order_by("index").values_list("step", "data"))
        suspended = case.suspensions.filter(end__isnull=True).exists()
    steps = [name for name, _data in pairs]
    if case.status in ENDED_STATUSES:
        return []
    offered = procedural_next_steps(
        case.procedure, steps, suspended, transfer_state(case, steps), decision_state(pairs)
    )
    if user is None:
        return offered
    if case.procedure == "summary":
        return [
            s
            for s in offered
            if user.role in (Role.OFFICER, Role.ORGAN_HEAD)
            and (s != "decision_changed" or user.role == Role.ORGAN_HEAD)
        ]
    return [s for s in offered if may_take(user, s)]


def transfer_state(case: Case, steps: list[str]) -> str | None:
    """The result of the transfer the case's last decision made, ``""`` when that
    decision is a transfer with no transfer row, ``None`` when it is no transfer.
    ``steps`` are the case's step names (no query unless the case has a decision)."""
    if "decision" not in steps:
        return None
    return _transfer_result(_last_decision(case))


def decision_in_force(case: Case) -> CaseStep | None:
    """The case's last decision step, unless it is a transfer the receiver rejected or
    returned (the case is then undecided again and the organ continues it)."""
    last = _last_decision(case)
    if last is not None and _transfer_result(last) in GIVEN_BACK:
        return None
    return last


def _last_decision(case: Case) -> CaseStep | None:
    if is_prefetched(case, "steps"):
        return next((s for s in reversed(ordered_steps(case)) if s.step == "decision"), None)
    return case.steps.filter(step="decision").order_by("-index").first()


def _transfer_result(decision: CaseStep | None) -> str | None:
    if decision is None or decision.data.get("outcome") != "transfer":
        return None
    transfer = Transfer.objects.filter(step=decision).first()
    return "" if transfer is None else transfer.result


def may_transfer(case: Case, user: User) -> bool:
    """Whether ``user`` may be offered the transfer of ``case`` (``services.transfer_case``
    checks the rest): an organ head of the case's organ, a general-procedure case that is
    open, not suspended and has no decision in force."""
    if user.role != Role.ORGAN_HEAD or user.organ_id != case.organ_id:
        return False
    if case.procedure != "general" or case.status in ENDED_STATUSES:
        return False
    if not case.steps.filter(step="registered").exists():
        return False
    if case.suspensions.filter(end__isnull=True).exists():
        return False
    return decision_in_force(case) is None

"""One policy (issue #12, item 4): each ``can_<verb>`` of ``cases.policy`` allows and
refuses for each role and for another organ's user; the case state loads in a bounded
number of queries; and the case page offers exactly what the services accept."""

# ruff: noqa: B023 (the acts are called at once, inside the loop that binds them)
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases import policy, services
from zhifa.cases.casefile import officer_ref
from zhifa.cases.forms import STEP_FORMS
from zhifa.cases.models import Case, CaseOfficer, OfficerRole, Transfer
from zhifa.cases.policy import load_state
from zhifa.core.roles import STAFF_ROLES
from zhifa.core.testing import client_for, make_user
from zhifa.registry.models import EnforcementSubject
from zhifa.review import services as review_services

from .conftest import D, People, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(people: People, officer_b: User, supervisor_city: User, admin_user: User) -> dict:
    """One user of each role of organ A, and users outside it."""
    return {
        "officer": people.officer_user,
        "head": people.head_user,
        "reviewer": people.reviewer_user,
        "officer_b": officer_b,
        "head_b": make_user("head_b", Role.ORGAN_HEAD, organ=officer_b.organ),
        "supervisor": supervisor_city,
        "admin": admin_user,
    }


def _allowed(check: Callable[[User], policy.Refusal | None], users: dict) -> set[str]:
    return {name for name, user in users.items() if check(user) is None}


def _register(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])


# --- the state ----------------------------------------------------------------------------


def _load_everything() -> int:
    case = Case.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        state = load_state(case)
        state.transfers, state.officers, state.reviews, state.decided, state.clock  # noqa: B018
        policy.offered_steps(state)
    return len(ctx.captured_queries)


def test_the_state_loads_in_a_bounded_number_of_queries(walk: Walker) -> None:
    short = _load_everything()
    walk.until_review()
    walk.decide()
    long = _load_everything()
    # The case, its steps, suspensions, transfers, officers and review requests.
    assert short == long <= 6


# --- take a step --------------------------------------------------------------------------


def test_can_take_by_role_organ_and_order(walk: Walker, users: dict) -> None:
    state = load_state(walk.case)
    # A source awaiting registration: only the head registers (or refuses it).
    assert _allowed(lambda u: policy.can_take(state, u, "registered"), users) == {"head"}
    refused = policy.can_take(state, users["officer"], "registered")
    assert refused is not None and refused.forbidden and refused.code == "role"
    outside = policy.can_take(state, users["head_b"], "registered")
    assert outside is not None and outside.code == "organ"
    order = policy.can_take(state, users["officer"], "investigation")
    assert order is not None and order.code == "step_order" and not order.forbidden
    _register(walk)
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_take(state, u, "investigation"), users) == {
        "officer",
        "head",
    }
    assert _allowed(lambda u: policy.can_take(state, u, "legal_review"), users) == {"reviewer"}
    # The decision is the head's; it may be asked for early (the engine then names the
    # rule that is missing), the page offers it after the prior notice.
    assert _allowed(lambda u: policy.can_take(state, u, "decision"), users) == {"head"}
    assert "decision" not in policy.offered_steps(state, users["head"])
    # A suspended case takes no step.
    services.suspend_case(walk.case, actor=users["head"], on=D("2026-03-05"), reason="鉴定")
    suspended = policy.can_take(load_state(walk.case), users["officer"], "investigation")
    assert suspended is not None and suspended.code == "suspended"
    assert policy.offered_steps(load_state(walk.case), users["head"]) == []


def test_can_take_in_the_summary_procedure(walk: Walker, users: dict) -> None:
    walk.case.procedure = "summary"
    walk.case.save(update_fields=["procedure"])
    state = load_state(walk.case)
    # An officer of the case (an investigator) decides on the spot, whatever the role:
    # no one before the investigation names them; no legal review; a deferral stays the
    # head's.
    assert _allowed(lambda u: policy.can_take(state, u, "decision"), users) == set()
    CaseOfficer.objects.create(
        case=walk.case,
        officer=walk.p.o1,
        ref=officer_ref(walk.p.o1),
        role=OfficerRole.INVESTIGATOR,
    )
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_take(state, u, "decision"), users) == {"officer"}
    assert _allowed(lambda u: policy.can_take(state, u, "legal_review"), users) == set()
    assert not policy.role_may_take("summary", Role.OFFICER, "deferral_approved")
    assert policy.role_may_take("summary", Role.ORGAN_HEAD, "deferral_approved")
    assert not policy.role_may_take("summary", Role.OFFICER, "decision_changed")


def test_change_and_withdrawal_need_a_decision_and_a_disclosure(walk: Walker, users: dict) -> None:
    walk.until_review()
    state = load_state(walk.case)
    none = policy.can_take(state, users["head"], "decision_changed")
    assert none is not None and none.code == "none"
    walk.decide()
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_take(state, u, "decision_changed"), users) == {"head"}
    withdrawn = policy.can_take(state, users["officer"], "disclosure_withdrawn")
    assert withdrawn is not None and withdrawn.code == "not_disclosed"
    with pytest.raises(ValidationError) as refused:
        services.withdraw_disclosure(
            walk.case,
            actor=users["officer"],
            on=D("2026-03-28"),
            reason_published=True,
            expected_steps=walk.n,
        )
    assert refused.value.code == "not_disclosed"


# --- the other verbs ----------------------------------------------------------------------


def test_can_transfer(walk: Walker, users: dict) -> None:
    state = load_state(walk.case)
    # Not registered: the decision (to transfer) cannot be taken yet.
    assert _allowed(lambda u: policy.can_transfer(state, u), users) == set()
    _register(walk)
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_transfer(state, u), users) == {"head"}
    officer = policy.can_transfer(state, users["officer"])
    assert officer is not None and officer.forbidden
    state.case.procedure = "summary"
    summary = policy.can_transfer(state, users["head"])
    assert summary is not None and summary.code == "summary"


def test_can_suspend_and_resume(walk: Walker, users: dict) -> None:
    state = load_state(walk.case)
    unregistered = policy.can_suspend(state, users["head"])
    assert unregistered is not None and unregistered.code == "not_registered"
    _register(walk)
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_suspend(state, u), users) == {"head"}
    assert _allowed(lambda u: policy.can_resume(state, u), users) == set()
    walk.investigate()  # 2026-03-04
    services.suspend_case(walk.case, actor=users["head"], on=D("2026-03-05"), reason="鉴定")
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_suspend(state, u), users) == set()
    assert _allowed(lambda u: policy.can_resume(state, u), users) == {"head"}
    services.resume_case(walk.case, actor=users["head"], on=D("2026-03-10"))
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=users["head"], on=D("2026-03-26"))
    walk.decide()
    decided = policy.can_suspend(load_state(walk.case), users["head"])
    assert decided is not None and decided.code == "decided"


def test_can_archive_and_add_evidence(walk: Walker, users: dict) -> None:
    walk.until_review()
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_archive(state, u), users) == set()
    assert _allowed(lambda u: policy.can_add_evidence(state, u), users) == {"officer", "head"}
    walk.decide()
    walk.close("2026-04-10")
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_archive(state, u), users) == {"officer", "head"}
    services.archive_case(walk.case, actor=users["officer"], on=D("2026-04-11"))
    state = load_state(walk.case)
    archived = policy.can_archive(state, users["head"])
    assert archived is not None and archived.code == "archived"
    assert _allowed(lambda u: policy.can_add_evidence(state, u), users) == set()


def test_can_submit_and_complete_a_review(walk: Walker, users: dict) -> None:
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_submit_review(state, u), users) == set()
    _register(walk)
    walk.investigate()
    early = policy.can_submit_review(load_state(walk.case), users["officer"])
    assert early is not None and early.code == "no_prior_notice"
    walk.notify()
    state = load_state(walk.case)
    assert _allowed(lambda u: policy.can_submit_review(state, u), users) == {"officer", "head"}
    request = review_services.submit_for_review(
        walk.case, actor=users["officer"], on=D("2026-03-17"), note="拟罚款。"
    )
    state = load_state(walk.case)
    pending = policy.can_submit_review(state, users["officer"])
    assert pending is not None and pending.code == "pending"
    assert _allowed(lambda u: policy.can_complete_review(state, u, request), users) == {"reviewer"}
    request.status = "failed"  # as when it was completed
    done = policy.can_complete_review(load_state(walk.case), users["reviewer"], request)
    assert done is not None and done.code == "not_pending"


def test_can_reply_to_a_transfer(walk: Walker, users: dict, organ_b: EnforcementSubject) -> None:
    _register(walk)
    transfer = services.transfer_case(
        walk.case,
        actor=users["head"],
        on=D("2026-03-05"),
        kind="organ",
        to_organ=organ_b,
        reason="不属于本机关管辖",
        approved_by=walk.p.head,
        expected_steps=walk.n,
    )
    # The sending organ's officers and heads, and the receiving organ's.
    assert _allowed(lambda u: policy.can_reply_transfer(transfer, u), users) == {
        "officer",
        "head",
        "officer_b",
        "head_b",
    }
    services.record_transfer_result(
        transfer, actor=users["officer_b"], on=D("2026-03-06"), result="accepted"
    )
    answered = policy.can_reply_transfer(Transfer.objects.get(), users["officer"])
    assert answered is not None and answered.code == "answered"


# --- the pages offer what the services accept -----------------------------------------


class _RolledBack(Exception):
    pass


#: The codes of the policy's refusals of a case's state.
POLICY_CODES = {
    "closed",
    "suspended",
    "step_order",
    "none",
    "not_disclosed",
    "summary",
    "decided",
    "not_registered",
    "no_prior_notice",
    "not_suspended",
    "archived",
    "not_closed",
    "procedure",
    "pending",
    "not_pending",
    "answered",
}


def _service_answer(act: Callable[[], Any]) -> str | None:
    """``"refused: <message>"`` when ``act`` raises a refusal of who may act or of the
    case's state (what the policy answers), else ``None``: accepted, or refused for its
    input or by the law (whatever it wrote is rolled back)."""
    try:
        with transaction.atomic():
            try:
                act()
            except PermissionDenied as exc:
                return f"refused: {exc}"
            except ValidationError as exc:
                if getattr(exc, "code", None) in POLICY_CODES:
                    return f"refused: {exc}"
                return None
            except Exception:
                return None
            raise _RolledBack
    except _RolledBack:
        return None


def test_the_case_page_offers_what_the_services_accept(today: dt.date) -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = list(User.objects.filter(is_active=True).order_by("username"))
    assert {u.role for u in users} == STAFF_ROLES  # the party's users never sign in
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) > 10
    checked = 0
    for case in cases:
        for user in users:
            page = client_for(user).get(reverse("cases:detail", args=[case.pk]))
            if page.status_code == 404:  # outside the user's scope
                continue
            context = page.context
            state = load_state(case)
            offered = {s["step"] for s in context["next_steps"]}
            # Every step offered is one the policy lets the user take; every step the
            # policy refuses is refused by the service with the policy's message.
            for step in services.STEP_SERVICES:
                refusal = policy.can_take(state, user, step)
                if step in offered:
                    assert refusal is None, (case.case_id, user.username, step)
                if refusal is not None:
                    answer = _service_answer(
                        lambda: services.add_step(
                            case, step, actor=user, on=today, expected_steps=len(state.steps)
                        )
                    )
                    assert answer is not None and refusal.message in answer, (
                        case.case_id,
                        user.username,
                        step,
                        answer,
                    )
            # The page offers the policy's steps (those with a form).
            assert offered == {s for s in policy.offered_steps(state, user) if s in STEP_FORMS}
            verbs: dict[str, tuple[policy.Refusal | None, Callable[[], Any]]] = {
                "can_suspend": (
                    policy.can_suspend(state, user),
                    lambda: services.suspend_case(case, actor=user, on=today, reason="x"),
                ),
                "can_resume": (
                    policy.can_resume(state, user),
                    lambda: services.resume_case(case, actor=user, on=today),
                ),
                "can_archive": (
                    policy.can_archive(state, user),
                    lambda: services.archive_case(case, actor=user, on=today),
                ),
                "can_submit_review": (
                    policy.can_submit_review(state, user),
                    lambda: review_services.submit_for_review(case, actor=user, on=today, note="x"),
                ),
                "can_transfer": (
                    policy.can_transfer(state, user),
                    lambda: services.transfer_case(
                        case,
                        actor=user,
                        on=today,
                        kind="judicial",
                        receiver_name="公安机关",
                        reason="x",
                        approved_by=None,  # type: ignore[arg-type]
                        expected_steps=len(state.steps),
                    ),
                ),
            }
            for flag, (refusal, act) in verbs.items():
                # The page offers the action exactly when the policy allows it ...
                assert context[flag] is (refusal is None), (case.case_id, user.username, flag)
                # ... and the service refuses it with the same message when it does not.
                answer = _service_answer(act)
                if refusal is None:
                    assert answer is None, (case.case_id, user.username, flag, answer)
                else:
                    assert answer is not None and refusal.message in answer, (
                        case.case_id,
                        user.username,
                        flag,
                        answer,
                    )
                checked += 1
            assert context["can_add_evidence"] is (policy.can_add_evidence(state, user) is None)
    assert checked > 100


def test_the_page_does_not_offer_what_the_service_refuses(walk: Walker, users: dict) -> None:
    """The page offered the suspension of a case source the service then refused (the
    decision period has not started before the registration)."""
    page = client_for(users["head"]).get(reverse("cases:detail", args=[walk.case.pk]))
    assert page.context["can_suspend"] is False
    with pytest.raises(ValidationError):
        services.suspend_case(walk.case, actor=users["head"], on=D("2026-03-02"), reason="x")

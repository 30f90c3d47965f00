"""May I? One answer for the case pages and the services (issue #12, item 4).

A case's state is loaded once (``load_state``: the case, its steps in order, its
suspensions, transfers, officers and legal review requests, in a bounded number of
queries) and each action on a case is one ``can_<verb>(state, user, …)`` function that
returns a ``Refusal`` (a code and a translated message) or ``None``. The pages call it
to offer the action; the services call the same function and ``enforce`` it (a refusal
of who may act is a ``PermissionDenied``, a refusal of the case's state a
``ValidationError`` with the refusal's code), so a page never offers what the service
refuses, and the API, which goes through the services, answers the same.

This is not the law: who may approve under the separation of duties, the reviewer's
qualification, the bands and the like are the rules engine's (``services.add_step``
asks it for every step); the order of the procedure is ``workflow``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.records.services import EVIDENCE_ROLES

from .casefile import clock_window, is_prefetched, officer_ref
from .labels import step_label
from .models import (
    ENDED_STATUSES,
    Case,
    CaseOfficer,
    CaseStatus,
    CaseStep,
    OfficerRole,
    Procedure,
    Suspension,
    Transfer,
    TransferResult,
)
from .workflow import (
    HEAD_STEPS,
    PARTY_STEPS,
    REVIEWER_STEPS,
    decided,
    decision_state,
    procedural_next_steps,
    required_before,
    step_permitted,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.registry.models import Officer

#: Who takes the ordinary steps, submits a case for review, archives it and answers a
#: transfer letter: the organ's officers and its heads.
ACT_ROLES = frozenset({Role.OFFICER, Role.ORGAN_HEAD})
#: Steps that stay the organ head's in the summary procedure, where the officer of the
#: case otherwise takes every step on the spot (APL 51–52): a change of the decision is
#: recorded by the head who answers for it, a deferral is approved by the head (APL 66).
SUMMARY_HEAD_STEPS = frozenset({"decision_changed", "deferral_approved"})
#: The status of a pending legal review request (``review.models.ReviewStatus``; the
#: review app imports this one, so its requests are read by their reverse name).
REVIEW_PENDING = "pending"


class Refusal:
    """Why a user may not do something to a case now: a ``code`` and a translated
    ``message``; ``forbidden`` when it is about who the user is (403), not about the
    case's state (400)."""

    __slots__ = ("code", "forbidden", "message")

    def __init__(self, code: str, message: str, *, forbidden: bool = False) -> None:
        self.code, self.message, self.forbidden = code, message, forbidden

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r})"

    def __str__(self) -> str:
        return self.message

    def error(self) -> PermissionDenied | ValidationError:
        if self.forbidden:
            return PermissionDenied(self.message)
        return ValidationError(self.message, code=self.code)


def enforce(refusal: Refusal | None) -> None:
    """Raise the refusal's error (the services' side of the policy)."""
    if refusal is not None:
        raise refusal.error()


def _forbidden(code: str, message: str) -> Refusal:
    return Refusal(code, message, forbidden=True)


# --- the state of a case ------------------------------------------------------------------


class CaseState:
    """What the policy reads of a case, loaded once. The steps and suspensions are
    given; the transfers, officers and review requests are read on first use (one
    query each) unless given."""

    def __init__(
        self,
        case: Case,
        steps: Iterable[CaseStep],
        suspensions: Iterable[Suspension],
        *,
        transfers: Iterable[Transfer] | None = None,
        officers: Iterable[CaseOfficer] | None = None,
        reviews: Iterable[Any] | None = None,
    ) -> None:
        self.case = case
        self.steps: tuple[CaseStep, ...] = tuple(sorted(steps, key=lambda s: s.index))
        self.suspensions: tuple[Suspension, ...] = tuple(suspensions)
        if transfers is not None:
            self.__dict__["transfers"] = tuple(transfers)
        if officers is not None:
            self.__dict__["officers"] = tuple(officers)
        if reviews is not None:
            self.__dict__["reviews"] = tuple(reviews)

    @cached_property
    def transfers(self) -> tuple[Transfer, ...]:
        return tuple(
            Transfer.objects.filter(case_id=self.case.pk)
            .select_related("to_organ", "result_actor")
            .order_by("sent_on", "pk")
        )

    @cached_property
    def officers(self) -> tuple[CaseOfficer, ...]:
        return tuple(
            CaseOfficer.objects.filter(case_id=self.case.pk)
            .select_related("officer")
            .order_by("pk")
        )

    @cached_property
    def reviews(self) -> tuple[Any, ...]:
        """The case's legal review requests (the review app's), oldest first."""
        return tuple(self.case.review_requests.order_by("submitted_on", "pk"))

    @cached_property
    def names(self) -> list[str]:
        return [s.step for s in self.steps]

    @cached_property
    def open_suspension(self) -> Suspension | None:
        return next((s for s in self.suspensions if s.end is None), None)

    @cached_property
    def last_decision(self) -> CaseStep | None:
        return next((s for s in reversed(self.steps) if s.step == "decision"), None)

    @cached_property
    def transfer(self) -> str | None:
        """The result of the transfer the last decision made (``workflow``'s
        ``transfer``): ``""`` for a transfer decision with no transfer row, ``None``
        when the last decision is no transfer (no query then)."""
        last = self.last_decision
        if last is None or last.data.get("outcome") != "transfer":
            return None
        row = next((t for t in self.transfers if t.step_id == last.pk), None)
        return "" if row is None else row.result

    @cached_property
    def decided(self) -> bool:
        """Whether a decision is in force: the one meaning of "decided" (a transfer the
        receiver rejected or returned leaves the case undecided; a revoked decision is
        still the decision the case has)."""
        return decided(self.names, self.transfer)

    @property
    def decision(self) -> CaseStep | None:
        """The decision in force (``decided``), or ``None``."""
        return self.last_decision if self.decided else None

    @cached_property
    def annulled(self) -> bool:
        return decision_state([(s.step, s.data) for s in self.steps])

    @property
    def ended(self) -> bool:
        return self.case.status in ENDED_STATUSES

    @property
    def pending_review(self) -> Any | None:
        return next((r for r in self.reviews if r.status == REVIEW_PENDING), None)

    @cached_property
    def clock(self) -> tuple[Any, Any]:
        """The decision period's window (``casefile.clock_window``)."""
        return clock_window(self.case, [(s.step, s.on) for s in self.steps])


def load_state(case: Case | int, *, lock: bool = False) -> CaseState:
    """The state of ``case`` (an instance or its pk) read afresh: the case (under a
    row lock with ``lock``, inside the caller's transaction), its steps and
    suspensions; the transfers, officers and review requests on first use. At most six
    queries however long the case is."""
    rows = Case.objects.select_related("organ__region", "power_item")
    if lock:
        # FOR UPDATE OF the case row only: the power item is a nullable relation, and
        # PostgreSQL refuses to lock the nullable side of an outer join.
        rows = rows.select_for_update(of=("self",))
    loaded = rows.get(pk=case if isinstance(case, int) else case.pk)
    return CaseState(
        loaded,
        CaseStep.objects.filter(case=loaded).order_by("index"),
        Suspension.objects.filter(case=loaded).order_by("start", "pk"),
    )


def state_of(case: Case) -> CaseState:
    """The state of a case as it was read (its prefetched steps, suspensions, officers,
    transfers and review requests are used; the rest is read on first use)."""

    def cached(name: str) -> Sequence[Any] | None:
        return list(getattr(case, name).all()) if is_prefetched(case, name) else None

    steps = cached("steps")
    suspensions = cached("suspensions")
    return CaseState(
        case,
        steps if steps is not None else case.steps.order_by("index"),
        suspensions if suspensions is not None else case.suspensions.all(),
        transfers=cached("transfers"),
        officers=cached("case_officers"),
        reviews=cached("review_requests"),
    )


# --- who acts -----------------------------------------------------------------------------


#: Who is a case's party: ``resolver(user, case)`` says whether ``user`` (of role
#: ``Role.PARTY``) acts for the party of ``case`` (``register_party_resolver``).
PartyResolver = Callable[["User", Case], bool]
_PARTY_RESOLVERS: list[PartyResolver] = []


def register_party_resolver(resolver: PartyResolver) -> None:
    """Let the app that holds the parties' access (the party app, from its
    ``AppConfig.ready``; docs/adr/0010-app-layers.md: cases imports no app above it) say
    which user acts for a case's party. Without one, no party acts on any case."""
    if resolver not in _PARTY_RESOLVERS:
        _PARTY_RESOLVERS.append(resolver)


def is_case_party(user: User, case: Case) -> bool:
    """Whether ``user`` acts for the party of ``case`` (a registered resolver says so)."""
    return user.role == Role.PARTY and any(r(user, case) for r in _PARTY_RESOLVERS)


def _of_organ(state: CaseState, user: User) -> Refusal | None:
    if user.role == Role.PARTY:
        if not is_case_party(user, state.case):
            return _forbidden("party", _("Only the case's own party may act on it."))
        return None
    if user.role not in ORGAN_ROLES or user.organ_id != state.case.organ_id:
        return _forbidden("organ", _("Only users of the case's organ may act on the case."))
    return None


def role_may_take(procedure: str, role: str, step: str) -> bool:
    """Whether ``role`` may take ``step`` at all in ``procedure``: the steps the
    declaration gives the head (``steps.HEAD``) or the reviewer (``steps.REVIEWER``) are
    theirs, the others the officers' and the heads'. In the summary procedure the
    officer of the case decides on the spot (APL 51–52) and takes the steps an officer
    or head takes, but the legal review (none in the summary procedure) and
    ``SUMMARY_HEAD_STEPS``. The party takes only the steps declared its own
    (``steps.PARTY``), in the general procedure (the summary one is decided on the spot)."""
    if role == Role.PARTY:
        return procedure == Procedure.GENERAL and step in PARTY_STEPS
    if procedure == Procedure.SUMMARY and step not in SUMMARY_HEAD_STEPS:
        return role in ACT_ROLES and step not in REVIEWER_STEPS
    if step in HEAD_STEPS:
        return role == Role.ORGAN_HEAD
    if step in REVIEWER_STEPS:
        return role == Role.LEGAL_REVIEWER
    return role in ACT_ROLES


def decides_on_the_spot(rows: Iterable[CaseOfficer], officer: Officer | None) -> bool:
    """Whether ``officer`` may decide a summary-procedure case on the spot (APL 51–52):
    an investigator of the case (``rows``: its officer rows). The one check the policy
    offers the decision by (the user's officer) and the guard records it by (the
    approving officer)."""
    if officer is None:
        return False
    ref = officer_ref(officer)
    return any(r.ref == ref and r.role == OfficerRole.INVESTIGATOR for r in rows)


def user_officer(user: User) -> Officer | None:
    """The registry officer ``user`` is, or ``None``."""
    try:
        return user.officer
    except ObjectDoesNotExist:
        return None


# --- the verbs ----------------------------------------------------------------------------


def can_take(state: CaseState, user: User, step: str) -> Refusal | None:
    """Whether ``user`` may take ``step`` now: a user of the case's organ, the case not
    ended nor suspended, the user's role (``role_may_take``) and the order of the
    procedure (``workflow.step_permitted``). Whether the law lets the step be taken is
    the rules engine's answer, asked by ``services.add_step`` after this."""
    refusal = _of_organ(state, user)
    if refusal is not None:
        return refusal
    if state.ended:
        return Refusal("closed", _("The case is closed."))
    if state.open_suspension is not None:
        return Refusal("suspended", _("The case is suspended: resume it before taking a step."))
    if not role_may_take(state.case.procedure, user.role, step):
        return _forbidden(
            "role", _("Your role may not take the step “%(step)s”.") % {"step": step_label(step)}
        )
    names = state.names
    if step == "decision_changed" and (
        state.decision is None or state.decision.data.get("outcome") == "transfer"
    ):
        return Refusal("none", _("The case has no decision that could be changed."))
    if step == "disclosure_withdrawn":
        last = max((i for i, s in enumerate(names) if s == "disclosed"), default=-1)
        if last < 0 or "disclosure_withdrawn" in names[last + 1 :]:
            return Refusal(
                "not_disclosed",
                _("The decision is not published, so there is nothing to withdraw."),
            )
    if step_permitted(state.case.procedure, names, step, state.transfer, state.annulled):
        if (
            step == "decision"
            and state.case.procedure == Procedure.SUMMARY
            and not decides_on_the_spot(state.officers, user_officer(user))
        ):
            return _forbidden(
                "not_of_case",
                _("In the summary procedure an officer of the case decides on the spot."),
            )
        return None
    before = required_before(state.case.procedure, names, step)
    if before:
        message = _("The step “%(step)s” cannot be taken yet: “%(before)s” comes first.") % {
            "step": step_label(step),
            "before": step_label(before),
        }
    else:
        message = _("The step “%(step)s” cannot be taken at this point of the case.") % {
            "step": step_label(step)
        }
    return Refusal("step_order", message)


def offered_steps(state: CaseState, user: User | None = None) -> list[str]:
    """The steps the case page offers: the procedure's next steps (``workflow``) that
    ``user`` may take (``can_take``); without ``user``, the steps due whoever takes
    them."""
    if state.ended:
        return []
    offered = procedural_next_steps(
        state.case.procedure,
        state.names,
        state.open_suspension is not None,
        state.transfer,
        state.annulled,
    )
    if user is None:
        return offered
    return [s for s in offered if can_take(state, user, s) is None]


def next_steps(case: Case, user: User | None = None) -> list[str]:
    """``offered_steps`` of ``case`` as it was read (``state_of``)."""
    return offered_steps(state_of(case), user)


def can_transfer(state: CaseState, user: User) -> Refusal | None:
    """The transfer (移送) is the case's decision with the outcome ``transfer``
    (``services.transfer_case``): an organ head of the case's organ, a
    general-procedure case with no decision in force, and the decision step allowed
    now (registered, not suspended, not closed)."""
    refusal = _of_organ(state, user)
    if refusal is not None:
        return refusal
    if user.role != Role.ORGAN_HEAD:
        return _forbidden("role", _("Only an organ head approves the transfer of a case."))
    if state.ended:
        return Refusal("closed", _("The case is closed."))
    if state.case.procedure != Procedure.GENERAL:
        return Refusal(
            "summary",
            _(
                "A summary-procedure case is decided on the spot; a case to be "
                "transferred is handled in the general procedure."
            ),
        )
    if state.decided:
        return Refusal(
            "decided", _("The case already has a decision in force, so it cannot be transferred.")
        )
    return can_take(state, user, "decision")


def _head_of_organ(state: CaseState, user: User, message: str) -> Refusal | None:
    refusal = _of_organ(state, user)
    if refusal is not None:
        return refusal
    if user.role != Role.ORGAN_HEAD:
        return _forbidden("role", message)
    if state.ended:
        return Refusal("closed", _("The case is closed."))
    return None


def can_suspend(state: CaseState, user: User) -> Refusal | None:
    """The organ head suspends the case clock (internal control) of a case whose
    decision period runs: registered (a summary case from the discovery), no decision
    made yet (the period ends with the first decision: ``casefile.clock_window``), not
    suspended already."""
    refusal = _head_of_organ(
        state, user, _("Only the organ head suspends the case (internal control).")
    )
    if refusal is not None:
        return refusal
    if state.open_suspension is not None:
        return Refusal("suspended", _("The case is already suspended."))
    start, end = state.clock
    if end is not None:
        return Refusal(
            "decided",
            _("The case is decided: the decision period no longer runs, so it is not suspended."),
        )
    if start is None:
        return Refusal("not_registered", _("Register the case before suspending it."))
    return None


def can_resume(state: CaseState, user: User) -> Refusal | None:
    """The organ head resumes a suspended case (internal control)."""
    refusal = _head_of_organ(
        state, user, _("Only the organ head resumes the case (internal control).")
    )
    if refusal is not None:
        return refusal
    if state.open_suspension is None:
        return Refusal("not_suspended", _("The case is not suspended."))
    return None


def can_archive(state: CaseState, user: User) -> Refusal | None:
    """An officer or head of the case's organ archives a closed case, once."""
    refusal = _of_organ(state, user)
    if refusal is not None:
        return refusal
    if user.role not in ACT_ROLES:
        return _forbidden("role", _("Officers and the organ head archive cases."))
    archived = state.case.archived_on
    if archived is not None:
        return Refusal(
            "archived", _("The case was archived on %(day)s.") % {"day": archived.isoformat()}
        )
    if state.case.status != CaseStatus.CLOSED or "closed" not in state.names:
        return Refusal("not_closed", _("Only a closed case is archived."))
    return None


def can_submit_review(state: CaseState, user: User) -> Refusal | None:
    """An officer or head of the case's organ submits a general-procedure case for
    legal review once its prior notice is served (the proposed handling is known), while
    it is undecided and open and no request is pending (``review.services``)."""
    if user.role not in ACT_ROLES or user.organ_id != state.case.organ_id:
        return _forbidden(
            "organ", _("Only officers of the case's organ submit a case for legal review.")
        )
    if state.case.procedure != Procedure.GENERAL:
        return Refusal(
            "procedure",
            _("Only general-procedure cases are reviewed; a summary case is decided on the spot."),
        )
    if state.ended or state.decided:
        return Refusal(
            "decided",
            _("The case is decided or closed; it can no longer be submitted for review."),
        )
    if state.pending_review is not None:
        return Refusal("pending", _("The case is already waiting for legal review."))
    if "prior_notice" not in state.names:
        # The proposed handling is known once the party was notified of it (APL 44).
        return Refusal(
            "no_prior_notice",
            _("Serve the prior notice before submitting the case for legal review."),
        )
    return None


def can_complete_review(state: CaseState, user: User, review: Any) -> Refusal | None:
    """A legal reviewer of the case's organ completes a pending request, recording the
    case's ``legal_review`` step (``can_take``)."""
    if user.role != Role.LEGAL_REVIEWER or user.organ_id != state.case.organ_id:
        return _forbidden(
            "organ", _("Only a legal reviewer of the case's organ completes a legal review.")
        )
    if review.status != REVIEW_PENDING:
        return Refusal("not_pending", _("This request has already been reviewed."))
    return can_take(state, user, "legal_review")


def can_reply_transfer(transfer: Transfer, user: User) -> Refusal | None:
    """The reply to a transfer letter is recorded once, by an officer or head of the
    transferring organ (from the reply letter) or of the receiving organ when it is in
    the registry."""
    sender = user.organ_id is not None and user.organ_id == transfer.case.organ_id
    receiver = transfer.to_organ_id is not None and user.organ_id == transfer.to_organ_id
    if user.role not in ACT_ROLES or not (sender or receiver):
        return _forbidden(
            "organ",
            _(
                "Only officers of the transferring organ or of the receiving organ record "
                "the reply to a transfer."
            ),
        )
    if transfer.result != TransferResult.PENDING:
        return Refusal("answered", _("The reply to this transfer is already recorded."))
    return None


def can_add_evidence(state: CaseState, user: User) -> Refusal | None:
    """An officer or head of the case's organ adds evidence to the case until it is
    archived (``records.services.add_evidence`` with ``Case.record_evidence_refusal``)."""
    if user.role not in EVIDENCE_ROLES or user.organ_id != state.case.organ_id:
        return _forbidden("organ", _("Only officers of an organ can add evidence."))
    refusal = state.case.record_evidence_refusal()
    return None if refusal is None else Refusal("archived", refusal)


def can_attach_receipt_scan(case: Case, user: User, receipt: Any) -> Refusal | None:
    """An officer or head of the case's organ attaches the scan of the signed 送达回证
    (``services.attach_receipt_scan``) once the receipt was issued (``receipt``: the
    case's issued 送达回证 or ``None``), until the case is archived."""
    if user.role not in ACT_ROLES or user.organ_id != case.organ_id:
        return _forbidden(
            "organ", _("Only officers of the case's organ attach the signed service receipt.")
        )
    if receipt is None:
        return Refusal(
            "no_receipt",
            _("Issue the service receipt first: the scan is the signed copy of that document."),
        )
    refusal = case.record_evidence_refusal()
    return None if refusal is None else Refusal("archived", refusal)


def can_see_receipt_scans(case: Case, user: User) -> bool:
    """The scans of a signed 送达回证 hold the recipient's and witnesses' signatures:
    only the users of the case's organ see them (anyone else gets a 404)."""
    return user.role in ORGAN_ROLES and user.organ_id is not None and user.organ_id == case.organ_id

"""Every state change of a legal review is one function here (style.md).

``submit_for_review`` puts a case in the organ's review queue; ``complete_review``
records the reviewer's checklist, opinion and result and, in the same transaction, the
case's ``legal_review`` step through ``cases.services.record_legal_review`` — which
checks the reviewer is the actor and asks the rules engine (APL-58-reviewer,
REVIEW-independent, REVIEW-findings-hold; a suspected crime: APL-27-transfer). When it
refuses, nothing of the review is written. The engine then lets the decision pass
APL-58-legal-review only after a passed review (APL Art. 58; JX 四(一)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import Role
from zhifa.cases import services as case_services
from zhifa.cases.models import Case, CaseStatus
from zhifa.cases.policy import can_complete_review, can_submit_review, enforce, load_state
from zhifa.records.services import append_entry
from zhifa.registry.models import Officer

from .models import CHECKLIST, CHECKLIST_CODES, ReviewRequest, ReviewStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

#: Who submits a case for review: the organ's officers (and its heads).
SUBMIT_ROLES = frozenset({Role.OFFICER, Role.ORGAN_HEAD})
#: The results a review may have (the format's legal_review ``result``).
RESULTS = (ReviewStatus.PASSED, ReviewStatus.FAILED, ReviewStatus.RETURNED)
#: Case states after which a review makes no sense (the decision is made; the demo's
#: candidates; ``cases.policy.can_submit_review`` decides for a case).
DECIDED_STATES = frozenset({CaseStatus.DECIDED, CaseStatus.EXECUTION, CaseStatus.CLOSED})
#: Longest text the checklist comments and the opinion may hold.
MAX_COMMENT = 2000
MAX_TEXT = 10000


def _future_error(on: dt.date) -> dict[str, list[str]]:
    """``{"on": [...]}`` when ``on`` is later than today: a submission or review is
    recorded on the day it happens or later, never in advance (a future date would also
    move the case's step order and deadlines)."""
    if on > timezone.localdate():
        return {"on": [_("The date cannot be later than today.")]}
    return {}


@transaction.atomic
def submit_for_review(case: Case, *, actor: User, on: dt.date, note: str) -> ReviewRequest:
    """Submit ``case`` for legal review (提请法制审核) with the matters to review and the
    proposed handling (``note``). Only an officer (or head) of the case's organ submits;
    a case with a pending request, a decided or closed case, a case without its prior
    notice, or a summary-procedure case (decided on the spot, APL 51–52) is refused
    (``cases.policy.can_submit_review``, which the case page offers it by)."""
    state = load_state(case, lock=True)
    locked = state.case
    enforce(can_submit_review(state, actor))
    errors = _future_error(on)
    text = (note or "").strip()
    if not text:
        errors["note"] = [_("State the matters to review and the proposed handling.")]
    elif len(text) > MAX_TEXT:
        errors["note"] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    if errors:
        raise ValidationError(errors)
    request = ReviewRequest.objects.create(
        case=locked, submitted_by=actor, submitted_on=on, note=text
    )
    append_entry(
        actor=actor,
        organ=locked.organ_id,
        action="review.submit",
        obj=locked,
        payload={"request": request.pk, "on": on.isoformat(), "note": text},
    )
    return request


def validate_checklist(checklist: Any) -> dict[str, dict[str, Any]]:
    """The checklist in its stored shape ``{code: {"ok": bool, "comment": str}}``: every
    item present, nothing else; an item marked as a problem needs its comment. Raises
    ``ValidationError`` keyed ``checklist.<code>[.ok|.comment]``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(checklist, Mapping):
        raise ValidationError(
            {"checklist": [_("The checklist must map each item to its outcome.")]}
        )
    unknown = sorted(str(k) for k in checklist if k not in CHECKLIST_CODES)
    if unknown:
        errors["checklist"] = [
            _("Unknown checklist items: %(items)s.") % {"items": ", ".join(unknown)}
        ]
    clean: dict[str, dict[str, Any]] = {}
    for item in CHECKLIST:
        value = checklist.get(item.code)
        if not isinstance(value, Mapping) or not isinstance(value.get("ok"), bool):
            errors[f"checklist.{item.code}.ok"] = [
                _("%(item)s: mark it as OK or as a problem.") % {"item": item.label}
            ]
            continue
        comment = value.get("comment") or ""
        if not isinstance(comment, str):
            errors[f"checklist.{item.code}.comment"] = [_("The comment must be text.")]
            continue
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            errors[f"checklist.{item.code}.comment"] = [
                _("At most %(n)s characters.") % {"n": MAX_COMMENT}
            ]
        elif not value["ok"] and not comment:
            errors[f"checklist.{item.code}.comment"] = [
                _("%(item)s is marked as a problem: say what the problem is.")
                % {"item": item.label}
            ]
        clean[item.code] = {"ok": value["ok"], "comment": comment}
    if errors:
        raise ValidationError(errors)
    return clean


def crime_warning() -> dict[str, str]:
    """The warning shown when the reviewer suspects a crime (APL-27-transfer)."""
    return {
        "rule": "APL-27-transfer",
        "message": _(
            "The reviewer suspects a crime: the case must be transferred to the judicial "
            "organs (APL Art. 27)."
        ),
    }


def review_warnings(request: ReviewRequest) -> list[dict[str, str]]:
    return [crime_warning()] if request.crime_suspected else []


def _reviewer(actor: User) -> Officer:
    """The reviewer's own registry officer (the step names it)."""
    officer = Officer.objects.filter(user=actor).first()
    if officer is None:
        raise PermissionDenied(
            _("Your account is not linked to an officer in the registry; ask the organ head.")
        )
    return officer


def complete_review(
    request: ReviewRequest,
    *,
    actor: User,
    on: dt.date,
    checklist: Mapping[str, Any],
    opinion: str,
    result: str,
    expected_steps: int,
) -> ReviewRequest:
    """Record the review of a pending request: checklist, written opinion (审核意见) and
    result — passed, failed, or returned for further investigation (退回补充调查). In
    one transaction the case gets its ``legal_review`` step
    (``cases.services.record_legal_review``, which checks the reviewer) and the record
    gets ``review.complete``; any refusal writes nothing. A failed or returned request
    goes back to the officers, who may submit the case again. ``expected_steps`` is the
    number of the case's steps the reviewer saw (``cases.services.CaseConflict`` when
    the case changed meanwhile: the review was written against another case file)."""
    with transaction.atomic():
        locked = (
            ReviewRequest.objects.select_for_update()
            .select_related("case__organ")
            .get(pk=request.pk)
        )
        enforce(can_complete_review(load_state(locked.case_id), actor, locked))
        reviewer = _reviewer(actor)
        errors = _future_error(on)
        if result not in RESULTS:
            errors["result"] = [_("Choose passed, failed or returned.")]
        if on < locked.submitted_on:
            errors["on"] = [_("A review cannot be dated before the case was submitted.")]
        try:
            items = validate_checklist(checklist)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            items = {}
        text = (opinion or "").strip()
        if not text:
            errors["opinion"] = [_("Write the review opinion.")]
        elif len(text) > MAX_TEXT:
            errors["opinion"] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
        # A suspected crime is the checklist item ``crime`` marked as a problem, a fact of
        # the legal_review step: the engine warns that the case is to be transferred
        # (APL-27-transfer), and a review with a problem item is not passed
        # (REVIEW-findings-hold, refused with its ID).
        if errors:
            raise ValidationError(errors)
        case = locked.case
        step = case_services.record_legal_review(
            case,
            actor=actor,
            on=on,
            reviewer=reviewer,
            result=result,
            expected_steps=expected_steps,
            checklist={c: "ok" if i["ok"] else "problem" for c, i in items.items()},
            opinion=text,
        )
        locked.status = result
        locked.reviewer = reviewer
        locked.reviewed_on = on
        locked.checklist = items
        locked.opinion = text
        locked.step = step
        locked.save()
        append_entry(
            actor=actor,
            organ=case.organ_id,
            action="review.complete",
            obj=case,
            payload={
                "request": locked.pk,
                "on": on.isoformat(),
                "result": result,
                "reviewer": reviewer.pk,
                "step": step.index,
                "checklist": {code: item["ok"] for code, item in items.items()},
                "problems": {c: i["comment"] for c, i in items.items() if not i["ok"]},
                "opinion": text,
                "opinion_sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
        request.refresh_from_db()
        return locked

"""Transferring a case (移送) and the receiver's reply."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES
from zhifa.records.services import append_entry
from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject, Officer

from ..casefile import export_document
from ..models import Case, CaseStatus, Transfer, TransferKind, TransferResult
from ..policy import can_reply_transfer, can_transfer, enforce, load_state
from ..workflow import GIVEN_BACK
from .add_step import add_step
from .guard import future_day_error

if TYPE_CHECKING:
    from zhifa.accounts.models import User


# APL Art. 27 (legal-rules.md APL-27-transfer): a suspected crime is transferred to the
# judicial organs (also APL Art. 57(1)(四)); a case outside the organ's jurisdiction
# (APL Arts. 22–25) is transferred to the competent organ by a written transfer letter,
# and the receiving organ reports the result back in writing. The State Council's
# regulation on the transfer of suspected criminal cases (Decree 310, 2020 revision)
# likewise requires a written transfer letter and the receiving organ's reply. No
# period for the reply is in the rules catalogue, so none is computed here.
# docs/adr/0007-transfer-and-decision-change.md explains the choices below.

#: The replies a receiver gives to a transfer letter.
TRANSFER_REPLIES = (TransferResult.ACCEPTED, TransferResult.REJECTED, TransferResult.RETURNED)


def _transfer_errors(
    case: Case,
    *,
    kind: str,
    to_organ: EnforcementSubject | None,
    receiver_name: str,
    reason: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in TransferKind.values:
        errors["kind"] = [
            _("Choose whether the case goes to another organ or to the judicial organs.")
        ]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the transfer.")]
    if to_organ is not None and receiver_name.strip():
        errors["receiver_name"] = [
            _("Choose the receiving organ from the registry or name it, not both.")
        ]
    elif to_organ is None and not receiver_name.strip():
        errors["receiver_name"] = [
            _("Name the receiving organ, or choose it when it is in the registry.")
        ]
    if to_organ is not None:
        if to_organ.pk == case.organ_id:
            errors["to_organ"] = [_("A case cannot be transferred to its own organ.")]
        elif kind == TransferKind.ORGAN and to_organ.subject_type not in ENFORCING_TYPES:
            # APL 38, 18–21: internal units and temporary bodies cannot handle a case in
            # their own name, so they cannot be the competent organ.
            errors["to_organ"] = [
                _("%(organ)s is not an enforcement subject and cannot take over a case.")
                % {"organ": to_organ.name}
            ]
    elif kind == TransferKind.ORGAN and receiver_name.strip():
        listed = EnforcementSubject.objects.filter(
            name=receiver_name.strip(), subject_type__in=ENFORCING_TYPES
        ).exists()
        if listed:
            errors["to_organ"] = [
                _(
                    "%(organ)s is in the registry: choose it as the receiving organ, so that "
                    "it sees the transfer."
                )
                % {"organ": receiver_name.strip()}
            ]
    return errors


def transfer_case(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    kind: str,
    to_organ: EnforcementSubject | None = None,
    receiver_name: str = "",
    reason: str,
    approved_by: Officer,
    expected_steps: int,
) -> Transfer:
    """Transfer the case (移送): to another organ (``kind="organ"``: the case is outside
    this organ's jurisdiction, APL Arts. 22–25) or to the judicial organs
    (``kind="judicial"``: suspected crime, APL Arts. 27, 57(1)(四)).

    The organ head decides the transfer as the case's decision: the format's
    ``decision`` step with outcome ``transfer`` goes through ``add_step`` (the rules
    engine guards it, the separation of duties applies, the entry ``case.decision`` is
    written), and that step issues the transfer letter's number
    (``DocumentType.TRANSFER_LETTER``). The ``Transfer`` row reuses that number — the
    decision to transfer and the letter are one act with one number — and adds the
    receiver and the reason; the entry ``case.transfer`` records them. One transaction:
    a refusal writes nothing and consumes no number.

    The receiver is ``to_organ`` when it is in the registry (it then sees the transfer,
    ``incoming_transfers``) or ``receiver_name`` otherwise (e.g. a public security
    organ or a procuratorate). A case is transferred while no decision is in force
    (``policy.CaseState.decided``) and only in the general procedure (the summary procedure is
    decided on the spot by the officers, APL 51–52). Raises ``PermissionDenied`` (not
    the organ head), ``ValidationError`` naming the field, ``RuleViolation`` or
    ``CaseConflict``.
    """
    with transaction.atomic():
        state = load_state(case, lock=True)
        locked = state.case
        enforce(can_transfer(state, actor))
        errors = _transfer_errors(
            locked, kind=kind, to_organ=to_organ, receiver_name=receiver_name, reason=reason
        )
        if errors:
            raise ValidationError(errors)
        step = add_step(
            locked,
            "decision",
            actor=actor,
            on=on,
            expected_steps=expected_steps,
            outcome="transfer",
            approved_by=approved_by,
        )
        transfer = Transfer.objects.create(
            case=locked,
            step=step,
            kind=kind,
            to_organ=to_organ,
            receiver_name=receiver_name.strip(),
            reason=reason.strip(),
            letter_number=step.document_number,
            sent_on=on,
            actor=actor,
        )
        locked.status = CaseStatus.TRANSFERRED
        locked.save(update_fields=["status"])
        append_entry(
            actor=actor,
            organ=locked.organ,
            action="case.transfer",
            obj=locked,
            payload={
                "transfer": transfer.pk,
                "index": step.index,
                "on": on.isoformat(),
                "kind": kind,
                "to_organ": None if to_organ is None else to_organ.pk,
                "receiver": transfer.receiver,
                "reason": transfer.reason,
                "letter_number": transfer.letter_number,
            },
        )
        case.status = locked.status
        return transfer


def record_transfer_result(
    transfer: Transfer, *, actor: User, on: dt.date, result: str, note: str = ""
) -> Transfer:
    """Record the receiver's written reply to a transfer letter (APL Art. 27: the
    receiving organ reports the result back): ``accepted``, ``rejected`` or
    ``returned``.

    Who records it: an officer or head of the transferring organ, from the reply letter
    it received — the only way for a receiver outside the registry (public security,
    procuratorate) — or, when the receiver is an organ in the registry, an officer or
    head of that organ, who is the one giving the reply. Each reply is recorded once.
    A rejected or returned transfer needs the receiver's reason (``note``) and gives
    the case back: the case is undecided again (``policy.CaseState.decided``) and its status
    returns to investigation, so the organ continues it with the ordinary steps (the
    format has no step for a reply; the transfer decision stays in the steps as it was
    made). Entry ``case.transfer_result`` in the case's record; when the receiving
    organ's user replies, also ``transfer.result`` in that organ's record.
    """
    with transaction.atomic():
        locked = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("case__organ", "to_organ")
            .get(pk=transfer.pk)
        )
        case = Case.objects.select_for_update().get(pk=locked.case_id)
        enforce(can_reply_transfer(locked, actor))
        sender = actor.organ_id == case.organ_id
        receiver = locked.to_organ_id is not None and actor.organ_id == locked.to_organ_id
        errors: dict[str, list[Any]] = {}
        if result not in TRANSFER_REPLIES:
            errors["result"] = [_("Choose accepted, rejected or returned.")]
        future = future_day_error(on)
        if future is not None:
            errors["on"] = [future]
        elif on < locked.sent_on:
            errors["on"] = [
                _("The reply cannot be dated before the transfer letter (%(day)s).")
                % {"day": locked.sent_on.isoformat()}
            ]
        if result in GIVEN_BACK and not note.strip():
            errors["note"] = [_("Give the reason the receiver stated.")]
        if errors:
            raise ValidationError(errors)
        locked.result = result
        locked.result_on = on
        locked.result_note = note.strip()
        locked.result_actor = actor
        locked.save(
            update_fields=["result", "result_on", "result_note", "result_actor", "updated_at"]
        )
        if result in GIVEN_BACK and case.status == CaseStatus.TRANSFERRED:
            case.status = CaseStatus.INVESTIGATING
            case.save(update_fields=["status"])
        payload = {
            "transfer": locked.pk,
            "on": on.isoformat(),
            "result": result,
            "note": locked.result_note,
            "letter_number": locked.letter_number,
            "by_receiver": receiver and not sender,
        }
        append_entry(
            actor=actor, organ=case.organ, action="case.transfer_result", obj=case, payload=payload
        )
        if receiver and not sender and locked.to_organ is not None:
            append_entry(
                actor=actor,
                organ=locked.to_organ,
                action="transfer.result",
                obj=locked,
                payload={**payload, "case_id": case.case_id},
            )
        transfer.result, transfer.result_on = locked.result, locked.result_on
        transfer.result_note, transfer.result_actor = locked.result_note, actor
        return locked


def incoming_transfers(organ: EnforcementSubject) -> QuerySet[Transfer]:
    """The transfers sent to ``organ`` (a receiving organ in the registry), newest
    first. The receiving organ sees the transfer — the letter's content: case number,
    party, sending organ, reason — not the case itself: cases stay scoped to their own
    organ (core.scope). After it accepted, ``transferred_case_document`` gives it the
    case file."""
    return (
        Transfer.objects.filter(to_organ=organ)
        .select_related("case", "case__organ", "to_organ", "step")
        .order_by("-sent_on", "-pk")
    )


def transferred_case_document(
    transfer: Transfer, *, user: User, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The case file (format v1) of a transferred case for the receiving organ's
    users, once they accepted the transfer: the organ that takes the case over gets the
    file it continues from (it may import it as its own case). Before acceptance, and
    for anyone else, ``PermissionDenied`` (a view answers 404, core.scope)."""
    if (
        user.role not in ORGAN_ROLES
        or transfer.to_organ_id is None
        or user.organ_id != transfer.to_organ_id
        or transfer.result != TransferResult.ACCEPTED
    ):
        raise PermissionDenied(
            _("The case file of a transfer is given to the receiving organ once it accepted.")
        )
    return export_document(transfer.case, as_of=as_of)

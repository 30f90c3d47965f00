"""Ending a case: the closure (结案) and the archive (归档)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.services import append_entry
from zhifa.registry.models import Officer

from ..casefile import archived_sections_digest, export_document
from ..models import Case, CaseStep
from ..policy import can_archive, enforce, load_state
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def close_case(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    reason: str | None = None,
    approved_by: Officer | None = None,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """结案: ``reason`` (the format's ``closed.reason``) and, in the general procedure,
    the organ head who approves the closure (结案审批); the engine refuses a closure
    without a lawful ending or without the approval (CLOSE-conditions)."""
    fields: dict[str, Any] = {}
    if reason:
        fields["reason"] = reason
    if approved_by is not None:
        fields["approved_by"] = approved_by
    return add_step(
        case, "closed", actor=actor, on=on, expected_steps=expected_steps, content=content, **fields
    )


def archive_case(case: Case, *, actor: User, on: dt.date) -> Case:
    """File the closed case in the archive (立卷归档), the last act of the procedure.

    The case file as it stands (``export_document``, canonical JSON) is digested with SM3
    and the digest is stored and recorded (``case.archive``), so the archived file can be
    checked against the record later. An officer or the head of the case's organ archives;
    the case must be closed, archived once, on or after its closure and not in the future.
    Nothing changes the case afterwards (``add_step`` refuses a closed case)."""
    with transaction.atomic():
        state = load_state(case, lock=True)
        locked = state.case
        enforce(can_archive(state, actor))
        closed = next(s for s in reversed(state.steps) if s.step == "closed")
        if on > timezone.localdate():
            raise ValidationError({"on": [_("The date cannot be in the future.")]})
        if on < closed.on:
            raise ValidationError(
                {
                    "on": [
                        _("A case is archived on or after its closure (%(day)s).")
                        % {"day": closed.on.isoformat()}
                    ]
                }
            )
        document = export_document(locked, as_of=on)
        digest = sm3_hex(canonical_json(document).encode())
        locked.archived_on = on
        locked.archived_by = actor
        locked.archive_digest = digest
        locked.save(update_fields=["archived_on", "archived_by", "archive_digest"])
        append_entry(
            actor=actor,
            organ=locked.organ,
            action="case.archive",
            obj=locked,
            # ``casefile_sm3``: the whole file as archived (it reads the organ's name and
            # powers, the officers' roles and certificates as they were that day);
            # ``case_sm3``: what the case owns, which ``records verify`` compares.
            payload={
                "on": on.isoformat(),
                "casefile_sm3": digest,
                "case_sm3": archived_sections_digest(locked),
            },
        )
        case.archived_on, case.archived_by, case.archive_digest = on, actor, digest
        return locked

"""Importing a case file (case-file exchange): historical cases, whole or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.records.services import append_entry
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine import InvalidCaseFile, validate_document
from zhifa.rules.engine.casefile import without_nulls

from ..casefile import import_bound_errors
from ..models import Case, CaseOfficer, CaseStatus, CaseStep, OfficerRole, Procedure
from ..queries import refresh_case
from .common import _FIELD_ROLES, STEP_STATUS, _date_or_none
from .guard import _record_actor

if TYPE_CHECKING:
    from zhifa.accounts.models import User


@dataclass(frozen=True)
class ImportResult:
    case: Case
    created: bool


def _document_digest(document: Mapping[str, Any]) -> str:
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _roles_in_steps(steps: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for step in steps:
        for field, role in _FIELD_ROLES.items():
            value = step.get(field)
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, str):
                    roles.setdefault(ref, role)
    return roles


def import_document(
    document: Mapping[str, Any], organ: EnforcementSubject, *, actor: User
) -> ImportResult:
    """Import a case-file v1 document as a case of ``organ`` (historical cases), whole
    or nothing. Idempotent by ``case_id``: importing the same document again changes
    nothing; a different document under a stored ``case_id`` is refused. The steps are
    stored as they were (no ``check_step``: an old case may break rules; audit it)."""
    try:
        validate_document(document)
    except InvalidCaseFile as exc:
        raise ValidationError(
            _("Not a valid case file: %(errors)s")
            % {"errors": "; ".join(str(e) for e in exc.errors)},
            code="invalid",
        ) from exc
    if document["kind"] != "penalty":
        raise ValidationError(_("Only penalty cases can be imported."), code="kind")
    if bound_errors := import_bound_errors(document):
        raise ValidationError(bound_errors, code="invalid")
    digest = _document_digest(document)
    document = without_nulls(document)  # an optional field given as null is not given
    with transaction.atomic():
        _record_actor(actor, organ)
        existing = Case.objects.filter(organ=organ, case_id=document["case_id"]).first()
        if existing is not None:
            if existing.import_digest != digest:
                raise ValidationError(
                    _("A different case with the case ID %(case_id)s is already stored.")
                    % {"case_id": document["case_id"]},
                    code="duplicate",
                )
            return ImportResult(existing, created=False)
        party = document["party"]
        power = document["power"]
        case = Case.objects.create(
            organ=organ,
            case_id=document["case_id"],
            kind=document["kind"],
            procedure=document["procedure"],
            power_item=organ.power_items.filter(code=power).first(),
            power=power,
            power_kind=document.get("power_kind") or "",
            party_type=party["type"],
            party_name=party["name"],
            party_birth_date=_date_or_none(party.get("birth_date")),
            party_id_number=party.get("id_number", ""),
            party_uscc=party.get("uscc", ""),
            party_vulnerable=party.get("vulnerable", False),
            violation=document["violation"],
            basis=document["basis"],
            benchmark=document.get("benchmark"),
            settings=document.get("settings", {}),
            agency=document["agency"],
            imported=True,
            import_digest=digest,
        )
        steps = document["steps"]
        roles = _roles_in_steps(steps)
        CaseOfficer.objects.bulk_create(
            CaseOfficer(
                case=case,
                ref=o["id"],
                role=roles.get(o["id"], OfficerRole.INVESTIGATOR),
                conflict_of_interest=o.get("conflict_of_interest", False),
                snapshot=o,
            )
            for o in document.get("officers", ())
        )
        CaseStep.objects.bulk_create(
            CaseStep(
                case=case,
                index=i,
                step=s["step"],
                on=dt.date.fromisoformat(s["on"]),
                data={k: v for k, v in s.items() if k not in ("step", "on")},
                actor=actor,
            )
            for i, s in enumerate(steps)
        )
        if steps:
            case.status = STEP_STATUS.get(steps[-1]["step"], case.status)
        elif case.procedure == Procedure.GENERAL:
            case.status = CaseStatus.AWAITING_REGISTRATION
        registered = [s for s in steps if s["step"] == "registered"]
        if registered:
            case.registration_number = str(registered[-1].get("document_number") or "")[:64]
        case.save(update_fields=["status", "registration_number"])
        refresh_case(case, timezone.localdate())
        append_entry(
            actor=actor,
            organ=organ,
            action="case.import",
            obj=case,
            payload={"case_id": case.case_id, "steps": len(steps), "sha256": digest},
        )
        return ImportResult(case, created=True)

"""Opening a case: entering it from its source (案源登记号), registering it (立案号) or refusing
the registration (不予立案) (docs/adr/0009-source-and-case-numbers.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.catalogue.models import PowerItem
from zhifa.catalogue.services import power_item_in_scope
from zhifa.documents.models import DocumentType
from zhifa.documents.services import issue_number
from zhifa.records.services import append_entry
from zhifa.registry.models import EnforcementSubject, Officer
from zhifa.registry.validators import normalise_id_number, validate_id_number, validate_uscc
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import CaseFile, InvalidCaseFile, audit, validate_document

from ..casefile import export_document
from ..models import Case, CaseStatus, CaseStep, Procedure
from ..queries import keep_audit
from ..recorded import OPENED_FIELDS, opened_digest
from ..validation import case_problems
from .add_step import add_step
from .common import RuleViolation, _date_or_none, _invalid, _json
from .guard import _record_actor

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _checked_party(party: Mapping[str, Any]) -> dict[str, Any]:
    """The party with its identity number and credit code checked (check digits, the
    same validators as the forms), so that every entry point refuses a wrong one; errors
    at ``party.id_number`` / ``party.uscc``."""
    checked = dict(party)
    errors: dict[str, list[str]] = {}
    id_number = normalise_id_number(str(party.get("id_number") or "").strip())
    uscc = str(party.get("uscc") or "").strip().upper()
    for field, value, validate in (
        ("id_number", id_number, validate_id_number),
        ("uscc", uscc, validate_uscc),
    ):
        if value:
            try:
                validate(value)
            except ValidationError as exc:
                errors[f"party.{field}"] = exc.messages
        checked[field] = value
    if errors:
        raise ValidationError(errors)
    return checked


def open_case(
    organ: EnforcementSubject,
    *,
    actor: User,
    on: dt.date,
    procedure: str,
    power_item: PowerItem,
    party: Mapping[str, Any],
    violation: Mapping[str, Any],
    basis: Mapping[str, Any],
    benchmark: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    source: str = "",
) -> Case:
    """Enter a case from its source (inspection, complaint …): the source number
    (案源登记号, the organ's ``CASE_SOURCE`` sequence) is issued as the ``case_id`` and the
    case-level sections are stored. A general case then awaits ``register_case``, which
    issues the case number (立案号), or ``refuse_registration`` (不予立案, no 立案号); a
    summary case goes straight to its steps and is never registered
    (docs/adr/0009-source-and-case-numbers.md)."""
    party = _checked_party(party)
    problems = case_problems(
        party=party,
        violation=violation,
        basis=basis,
        benchmark=benchmark,
        on=on,
        today=timezone.localdate(),
    )
    if problems:
        by_field: dict[str, list[str]] = {}
        for path, message in problems:
            by_field.setdefault(".".join(path), []).append(message)
        raise ValidationError(by_field)
    with transaction.atomic():
        _record_actor(actor, organ)
        in_scope = power_item_in_scope(organ, power_item, on)
        number = issue_number(organ, DocumentType.CASE_SOURCE, on.year).text
        case = Case(
            organ=organ,
            case_id=number,
            status=(
                CaseStatus.AWAITING_REGISTRATION
                if procedure == Procedure.GENERAL
                else CaseStatus.INVESTIGATING
            ),
            procedure=procedure,
            source=source,
            power_item=power_item,
            power=power_item.code,
            party_type=party["type"],
            party_name=party["name"],
            party_birth_date=_date_or_none(_json(party.get("birth_date"))),
            party_id_number=party.get("id_number", ""),
            party_uscc=party.get("uscc", ""),
            party_vulnerable=party.get("vulnerable", False),
            violation=_json(violation),
            basis=_json(basis),
            benchmark=None if benchmark is None else _json(benchmark),
            settings=_json(settings or {}),
            opened_by=actor,
        )
        case.full_clean()
        case.save()
        document = export_document(case, as_of=on)
        try:
            validate_document(document)
        except InvalidCaseFile as exc:
            raise _invalid(exc) from exc
        # Case-level block rules (e.g. POWER-kind: a penalty case under a licensing
        # item; APL-power-scope where a local source makes the power list binding)
        # refuse the case when it is opened; the transaction writes nothing. The power
        # list the engine judges is the one in force on ``on`` (an item not in force, or
        # not the organ's nor entrusted to it that day, is not on it).
        listed = set(document["agency"].get("powers") or ()) - {power_item.code}
        if in_scope:
            listed.add(power_item.code)
        document["agency"] = {**document["agency"], "powers": sorted(listed)}
        opened = audit(CaseFile.from_dict(document), on, database_calendar())
        errors = [f for f in opened.findings if f.severity == "error" and f.step is None]
        if errors:
            raise RuleViolation(errors)
        case.save(update_fields=keep_audit(case, opened, on, suspended=False, opened=True))
        append_entry(
            actor=actor,
            organ=organ,
            action="case.open",
            obj=case,
            payload={
                "case_id": case.case_id,
                "procedure": procedure,
                "power": case.power,
                **({"source": source} if source else {}),
                # What the opening fixed, compared by ``records verify``.
                "opened_sm3": opened_digest({n: getattr(case, n) for n in OPENED_FIELDS}),
            },
        )
        return case


def register_case(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    by: Sequence[Officer],
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """立案: the organ head approves; ``by`` are the investigators."""
    return add_step(
        case,
        "registered",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        by=list(by),
    )


def refuse_registration(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    reason: str,
    approved_by: Officer | None = None,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """不予立案: the organ head refuses to register the case source, with reasons
    (REG-decision); it ends the case source."""
    fields: dict[str, Any] = {"reason": reason}
    if approved_by is not None:
        fields["approved_by"] = approved_by
    return add_step(
        case,
        "registration_refused",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        **fields,
    )

"""Deciding the case: the legal review, the collective discussion, the decision with its
discretion band, and a decision changed afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhifa.catalogue.services import band_for
from zhifa.registry.models import Officer

from ..models import Case, CaseStep, DecisionChange
from ..policy import can_take, enforce, load_state
from ..steps import ALL_ELEMENTS, FORMAT_CIRCUMSTANCE
from .add_step import add_step

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def record_legal_review(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    reviewer: Officer,
    result: str,
    expected_steps: int,
    checklist: Mapping[str, str] | None = None,
    opinion: str | None = None,
) -> CaseStep:
    """The review's ``checklist`` ({item: "ok" | "problem"}) and ``opinion`` go into the
    step, so the engine judges them (REVIEW-findings-hold)."""
    extra: dict[str, Any] = {}
    if checklist is not None:
        extra["checklist"] = dict(checklist)
    if opinion:
        extra["opinion"] = opinion
    return add_step(
        case,
        "legal_review",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        reviewer=reviewer,
        result=result,
        **extra,
    )


def record_collective_discussion(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    return add_step(
        case,
        "collective_discussion",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
    )


def fine_total(penalties: Iterable[Mapping[str, Any]]) -> Decimal:
    return sum(
        (Decimal(str(p.get("amount") or 0)) for p in penalties if p.get("type") == "fine"),
        Decimal(0),
    )


def decision_benchmark(
    case: Case,
    *,
    on: dt.date,
    circumstance: str,
    penalties: Sequence[Mapping[str, Any]],
    reason_outside_band: str = "",
) -> dict[str, Any] | None:
    """The ``benchmark`` section for a decision: the band of ``circumstance`` (catalogue
    name: no_penalty / mitigated / lighter / general / heavier) in the power item's
    benchmark in force and published on ``on`` (``catalogue.services.band_for``;
    DISC-benchmark, APL Art. 34). A fine outside the band without a written reason is
    the engine's DISC-benchmark (a warning, as the catalogue says). ``None`` when the
    band has no fine range (the format's band is a fine range). Raises
    ``ValidationError`` naming the field."""
    if circumstance not in FORMAT_CIRCUMSTANCE:
        raise ValidationError(
            {"circumstance": [_("Choose one of the five discretion circumstances.")]}
        )
    if case.power_item is None:
        raise ValidationError(
            {"circumstance": [_("The case has no power item, so no benchmark applies.")]}
        )
    choice = band_for(case.power_item, on, circumstance)
    if choice is None:
        raise ValidationError(
            {
                "circumstance": [
                    _(
                        "The power item has no published discretion benchmark band for this "
                        "circumstance on %(day)s."
                    )
                    % {"day": on.isoformat()}
                ]
            }
        )
    band = choice.band
    reason = reason_outside_band.strip()
    if band.fine_min is None or band.fine_max is None:
        return None
    # A fine outside the band without a reason is the engine's DISC-benchmark (a
    # warning kept with the decision, APL 34).
    return {
        "circumstance": FORMAT_CIRCUMSTANCE[circumstance],
        "fine_min": float(band.fine_min),
        "fine_max": float(band.fine_max),
        "reason_outside_band": reason or None,
    }


def issue_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    approved_by: Officer,
    outcome: str = "penalty",
    penalties: Sequence[Mapping[str, Any]] = (),
    elements: Sequence[str] = ALL_ELEMENTS,
    cites_full_name_and_article: bool = True,
    circumstance: str | None = None,
    reason_outside_band: str = "",
    expected_steps: int,
    content: Mapping[str, Any] | None = None,
) -> CaseStep:
    """The decision; its document number (e.g. 嘉市监罚〔2026〕12号) is issued in the same
    transaction, so a refused decision consumes no number. ``circumstance`` (catalogue
    name) applies the power item's discretion band (``decision_benchmark``) and stores it
    as the case's ``benchmark`` with the decision. A transfer is decided through
    ``transfer_case`` (the transfer letter and its reply), not here."""
    if outcome == "transfer":
        raise ValidationError(
            {
                "outcome": [
                    _(
                        "A transfer is decided by transferring the case (移送), which "
                        "records the receiver and the reason."
                    )
                ]
            }
        )
    # Where the organ published a benchmark for the power item and no circumstance is
    # chosen, the engine warns (DISC-benchmark; the export says benchmark_published).
    benchmark = None
    if circumstance:
        benchmark = decision_benchmark(
            case,
            on=on,
            circumstance=circumstance,
            penalties=penalties,
            reason_outside_band=reason_outside_band,
        )
    return add_step(
        case,
        "decision",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        content=content,
        case_benchmark=benchmark,
        outcome=outcome,
        penalties=list(penalties),
        approved_by=approved_by,
        elements=list(elements),
        cites_full_name_and_article=cites_full_name_and_article,
    )


def change_decision(
    case: Case,
    *,
    actor: User,
    on: dt.date,
    how: str,
    reason: str,
    expected_steps: int,
) -> CaseStep:
    """Record that the decision was changed or revoked by the organ, or declared
    unlawful or void (e.g. on reconsideration or by a court): the format's step
    ``decision_changed`` with ``how``. The organ head records it, as the head approved
    the decision (APL 57). ``reason`` is kept in the step's data (an extra field the
    format ignores) and so in the record entry. A published decision must then be
    withdrawn within 3 working days (APL 48, legal-rules.md APL-48-withdraw), which
    the engine's deadline tracks: see ``withdraw_disclosure``."""
    enforce(can_take(load_state(case), actor, "decision_changed"))
    errors: dict[str, list[str]] = {}
    if how not in DecisionChange.values:
        errors["how"] = [_("Choose changed, revoked, declared unlawful or declared void.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason the decision was changed.")]
    if errors:
        raise ValidationError(errors)
    return add_step(
        case,
        "decision_changed",
        actor=actor,
        on=on,
        expected_steps=expected_steps,
        how=how,
        reason=reason.strip(),
    )

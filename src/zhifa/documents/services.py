"""Issuing document numbers. Call ``issue_number`` inside the transaction of the act
that uses the number (issuing a decision, serving a notice …)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.registry.models import EnforcementSubject

from .models import DEFAULT_PATTERNS, DocumentType, IssuedNumber, NumberPattern, NumberSequence


@dataclass(frozen=True)
class DocumentNumber:
    document_type: str
    year: int
    number: int
    text: str


def pattern_for(organ: EnforcementSubject, document_type: str) -> str:
    own = NumberPattern.objects.filter(organ=organ, document_type=document_type).first()
    return own.pattern if own else DEFAULT_PATTERNS[document_type]


def issue_number(organ: EnforcementSubject, document_type: str, year: int) -> DocumentNumber:
    """Take the next number of ``organ``'s sequence for ``document_type`` in ``year``.

    Must run inside the caller's transaction: the number is consumed only if that
    transaction commits, so a refused or failed act leaves no gap; the sequence row is
    locked (PostgreSQL ``SELECT … FOR UPDATE``; SQLite serialises writers), so two acts
    never get the same number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_number() must run inside the transaction of the act it numbers")
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": _("Unknown document type.")})
    if not organ.short_name:
        raise ValidationError(
            {"organ": _("The organ needs a short name before it can number documents.")}
        )
    # Create the row if this is the year's first number; a concurrent creator makes
    # this a no-op (ON CONFLICT DO NOTHING), then the row lock serialises the takers.
    NumberSequence.objects.bulk_create(
        [NumberSequence(organ=organ, document_type=document_type, year=year)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(
        organ=organ, document_type=document_type, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    text = pattern_for(organ, document_type).format(
        organ=organ.short_name, year=year, number=sequence.last_number
    )
    IssuedNumber.objects.create(
        organ=organ, document_type=document_type, year=year, number=sequence.last_number, text=text
    )
    return DocumentNumber(document_type, year, sequence.last_number, text)

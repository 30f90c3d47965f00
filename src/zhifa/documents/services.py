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
    taken = _take_next(organ, document_type, year)
    if taken is None:
        # The year's first number: create the row (a concurrent creator makes this a
        # no-op, ON CONFLICT DO NOTHING), then take from it under its row lock.
        NumberSequence.objects.bulk_create(
            [NumberSequence(organ=organ, document_type=document_type, year=year)],
            ignore_conflicts=True,
        )
        taken = _take_next(organ, document_type, year)
    if taken is None:  # a backend without UPDATE … RETURNING
        sequence = NumberSequence.objects.select_for_update().get(
            organ=organ, document_type=document_type, year=year
        )
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        taken = sequence.last_number, pattern_for(organ, document_type)
    number, pattern = taken
    text = pattern.format(organ=organ.short_name, year=year, number=number)
    IssuedNumber.objects.create(
        organ=organ, document_type=document_type, year=year, number=number, text=text
    )
    return DocumentNumber(document_type, year, number, text)


def _returning() -> bool:
    """Whether the database runs ``UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        return bool(connection.Database.sqlite_version_info >= (3, 35, 0))
    return False


def _take_next(organ: EnforcementSubject, document_type: str, year: int) -> tuple[int, str] | None:
    """The sequence's next number and the organ's pattern in one statement (``None``
    when the sequence row does not exist yet, or the database lacks ``RETURNING``).

    ``UPDATE … SET last_number = last_number + 1`` takes the row lock that
    ``SELECT … FOR UPDATE`` took before (PostgreSQL: a second taker waits, then
    increments the committed value; SQLite: IMMEDIATE transactions serialise writers),
    so two acts never get the same number. Raw SQL: this runs on most steps of a case,
    and building the ORM queries cost more than running them."""
    if not _returning():
        return None
    sequences = NumberSequence._meta.db_table
    patterns = NumberPattern._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"UPDATE {sequences} SET last_number = last_number + 1 "  # noqa: S608 (table names)
            "WHERE organ_id = %s AND document_type = %s AND year = %s "
            f"RETURNING last_number, (SELECT pattern FROM {patterns} "
            "WHERE organ_id = %s AND document_type = %s)",
            [organ.pk, document_type, year, organ.pk, document_type],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), row[1] if row[1] is not None else DEFAULT_PATTERNS[document_type]

"""The rules engine: pure Python, no database. See docs/rules.md.

from zhifa.rules.engine import audit_text, check_step, CaseFile
"""

import datetime as dt
from collections.abc import Mapping

from .audit import (
    AuditResult,
    audit,
    check_step,
    payment_facts,
    remedy_facts,
    render,
    step_audit,
    step_findings,
    to_document,
)
from .casefile import CaseFile, Step
from .catalogue import RULES, Finding, Rule
from .parameters import Parameters, Value
from .payments import PaymentFacts, PaymentMade, PenaltyDecided
from .remedies import RemedyFacts
from .validation import (
    CaseFileTooLarge,
    FieldError,
    InvalidCaseFile,
    load_case_file,
    load_document,
    validate_document,
)
from .workdays import ChainProvider, LibraryProvider, MappingProvider, WorkCalendar, YearSchedule


def audit_document(
    document: Mapping[str, object],
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> AuditResult:
    """Validate a parsed case-file document and audit it (raises InvalidCaseFile)."""
    validate_document(document)
    return audit(CaseFile.from_dict(document), as_of, calendar, overrides)


def audit_text(
    text: str | bytes,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    lang: str = "zh",
    overrides: Mapping[str, Value] | None = None,
) -> str:
    """Parse, validate, audit and render: JSON text in, findings JSON text out."""
    return render(audit(load_case_file(text), as_of, calendar, overrides), lang)


__all__ = [
    "RULES",
    "AuditResult",
    "CaseFile",
    "CaseFileTooLarge",
    "ChainProvider",
    "FieldError",
    "Finding",
    "InvalidCaseFile",
    "LibraryProvider",
    "MappingProvider",
    "Parameters",
    "PaymentFacts",
    "PaymentMade",
    "PenaltyDecided",
    "RemedyFacts",
    "Rule",
    "Step",
    "WorkCalendar",
    "YearSchedule",
    "audit",
    "audit_document",
    "audit_text",
    "check_step",
    "load_case_file",
    "load_document",
    "payment_facts",
    "remedy_facts",
    "render",
    "step_audit",
    "step_findings",
    "to_document",
    "validate_document",
]

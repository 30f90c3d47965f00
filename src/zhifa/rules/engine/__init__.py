"""The rules engine: pure Python, no database. See docs/rules.md.

from zhifa.rules.engine import audit_text, check_step, CaseFile
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from . import validation
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
from .local import local_sources
from .parameters import Parameters, Value, default_parameters
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


def prepare(calendar: WorkCalendar | None = None, years: Iterable[int] = ()) -> None:
    """Do now, once per process, what the engine otherwise does on first use: compile
    the case-file schema (the typed decoder and check), build the typed case file's
    builders, load the administrative divisions, the parameters and the local sources;
    with ``calendar``, count the working days of ``years``. No audit needs it first (each
    is done when first needed); a process about to audit many files (a bulk audit, the
    benchmark) calls it so that its first file does not wait some 0.1 s for all of it."""
    validation.prepare()
    default_parameters()
    local_sources()
    if calendar is not None:
        for year in years:
            calendar.prepare_year(year)


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
    "prepare",
    "remedy_facts",
    "render",
    "step_audit",
    "step_findings",
    "to_document",
    "validate_document",
]

"""Every state change of a case is one function of ``cases.actions`` (style.md;
docs/adr/0005-case-model.md); this module is their public face: callers import the
services from here.

``add_step`` (``actions/add_step.py``) is the single guarded path: in one transaction it
locks the case, checks the caller's expected step count, checks who may act
(``actions/guard.py``), validates the case document with the new step against the
format's schema, asks the rules engine and refuses a step that breaks a block rule —
writing nothing — or saves the step with its warnings, issues the document number the
step produces and appends the record entry ``case.<step>``. The modules by concept:

- ``common``: the refusals (``RuleViolation``, ``CaseConflict``), the status and
  document of each step;
- ``guard``: who may act and with whom (identity, separation of duties, qualifications);
- ``add_step``: the guarded path;
- ``opening``: open, register, refuse the registration;
- ``investigation``: inquiries, preservation, seizure;
- ``hearing``: prior notice, statement, waiver, hearing;
- ``decision``: legal review, collective discussion, the decision and its band, a
  decision changed;
- ``execution``: service, payment, deferral, demand, court;
- ``disclosure``: published and withdrawn;
- ``remedy``: reconsideration and litigation;
- ``service_receipt``: the scan of the signed 送达回证;
- ``closing``: closure and archive;
- ``clock``: suspension, resumption, deadlines;
- ``transfer``: transfer and the receiver's reply;
- ``importing``: the case-file import.

The named step functions are thin wrappers that translate officers and dates into the
format's fields; ``STEP_SERVICES`` maps each step the pages and the API take by name to
its function.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .actions.add_step import add_step
from .actions.clock import case_audit, deadlines, resume_case, suspend_case
from .actions.closing import archive_case, close_case
from .actions.common import STEP_DOCUMENTS, STEP_STATUS, CaseConflict, RuleViolation
from .actions.decision import (
    change_decision,
    decision_benchmark,
    fine_total,
    issue_decision,
    record_collective_discussion,
    record_legal_review,
)
from .actions.disclosure import mark_disclosed, publish_decision, withdraw_disclosure
from .actions.execution import (
    apply_to_court,
    approve_deferral,
    record_payment,
    serve_decision,
    serve_demand,
)
from .actions.hearing import (
    hold_hearing,
    notify_hearing,
    record_statement,
    record_waiver,
    request_hearing,
    serve_prior_notice,
)
from .actions.importing import ImportResult, import_document
from .actions.investigation import (
    decide_preservation,
    end_seizure,
    record_investigation,
    record_preservation,
    record_seizure,
)
from .actions.opening import open_case, refuse_registration, register_case
from .actions.remedy import record_remedy
from .actions.service_receipt import attach_receipt_scan
from .actions.transfer import (
    TRANSFER_REPLIES,
    incoming_transfers,
    record_transfer_result,
    transfer_case,
    transferred_case_document,
)
from .casefile import case_file
from .models import CaseStep
from .steps import ALL_ELEMENTS, FORMAT_CIRCUMSTANCE, STEPS, StepSpec

__all__ = [
    "ALL_ELEMENTS",
    "FORMAT_CIRCUMSTANCE",
    "STEP_DOCUMENTS",
    "STEP_SERVICES",
    "STEP_STATUS",
    "TRANSFER_REPLIES",
    "CaseConflict",
    "ImportResult",
    "RuleViolation",
    "add_step",
    "apply_to_court",
    "approve_deferral",
    "archive_case",
    "attach_receipt_scan",
    "case_audit",
    "case_file",
    "change_decision",
    "close_case",
    "deadlines",
    "decide_preservation",
    "decision_benchmark",
    "end_seizure",
    "fine_total",
    "hold_hearing",
    "import_document",
    "incoming_transfers",
    "issue_decision",
    "mark_disclosed",
    "notify_hearing",
    "open_case",
    "publish_decision",
    "record_collective_discussion",
    "record_investigation",
    "record_legal_review",
    "record_payment",
    "record_preservation",
    "record_remedy",
    "record_seizure",
    "record_statement",
    "record_transfer_result",
    "record_waiver",
    "refuse_registration",
    "register_case",
    "request_hearing",
    "resume_case",
    "serve_decision",
    "serve_demand",
    "serve_prior_notice",
    "step_service",
    "suspend_case",
    "transfer_case",
    "transferred_case_document",
    "withdraw_disclosure",
]


def step_service(spec: StepSpec) -> Callable[..., CaseStep]:
    """The service function of a declared step (``spec.service``, with its
    ``service_args`` bound)."""
    function: Callable[..., CaseStep] = globals()[spec.service]
    return partial(function, **spec.service_args) if spec.service_args else function


#: The service function of each step the pages and the API take by name (the legal
#: review is recorded by the review app, a transfer by ``transfer_case``).
STEP_SERVICES: dict[str, Callable[..., CaseStep]] = {
    s.name: step_service(s) for s in STEPS if s.api is not None
}

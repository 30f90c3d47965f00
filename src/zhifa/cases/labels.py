"""The names of the case steps and of the case's record actions, shown on the pages.

``STEP_LABELS`` names the format's steps (case-file-format.md, "Steps"), as declared
in ``steps.STEPS``; ``ACTION_LABELS`` names each record action the cases app writes
(``case.<step>`` for every step, and the case's own actions). The records app shows
them through its label registry (``records.presentation.register_action_labels``),
filled in ``CasesConfig.ready``, so that records does not import cases.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhifa.catalogue.models import Circumstance
from zhifa.rules.labels import DEADLINE_LABELS, deadline_label

from .steps import CATALOGUE_CIRCUMSTANCE, PENALTY_TYPES, STEPS

__all__ = [
    "CASE_ACTIONS",
    "DEADLINE_LABELS",
    "STEP_LABELS",
    "action_labels",
    "circumstance_label",
    "deadline_label",
    "object_titles",
    "payment_status_label",
    "penalty_label",
    "step_label",
]

#: The format's step names in Chinese (case-file-format.md, "Steps"; ``steps.STEPS``).
STEP_LABELS: dict[str, Any] = {s.name: s.label for s in STEPS}


def step_label(step: str) -> str:
    return str(STEP_LABELS.get(step, step))


def circumstance_label(benchmark: dict[str, Any] | None) -> str:
    """The discretion circumstance a case's benchmark applies (the format's value,
    ``lighter``), in words (从轻处罚); a value the catalogue does not know as it is."""
    applied = str((benchmark or {}).get("circumstance", ""))
    return str(dict(Circumstance.choices).get(CATALOGUE_CIRCUMSTANCE.get(applied, ""), applied))


#: The format's penalty types (APL Art. 9) with their labels.
PENALTY_LABELS: dict[str, Any] = dict(PENALTY_TYPES)


def penalty_label(kind: str) -> str:
    return str(PENALTY_LABELS.get(kind, kind))


#: The payment status of a case's fine (``queries.Penalties.status``).
PAYMENT_STATUS_LABELS: dict[str, Any] = {
    "no_fine": _("No fine to pay"),
    "not_served": _("Decision not served yet: the payment period has not begun"),
    "cannot_judge": _("The engine cannot count the payment deadline: check by hand"),
    "open": _("Payment period running"),
    "overdue": _("Payment overdue"),
    "late_fee_due": _("Fine paid; the late fee is outstanding"),
    "paid": _("Paid in full"),
}


def payment_status_label(status: str) -> str:
    return str(PAYMENT_STATUS_LABELS.get(status, status))


#: Record actions of the cases app other than the steps (services.py).
CASE_ACTIONS: dict[str, Any] = {
    "case.open": _("Case opened"),
    "case.import": _("Case imported"),
    "case.archive": _("Case archived"),
    "case.suspend": _("Case clock suspended"),
    "case.resume": _("Case clock resumed"),
    "case.transfer": _("Case transferred"),
    "case.transfer_result": _("Reply to the transfer recorded"),
    "service_receipt.attach_scan": _("Scan of the signed service receipt attached"),
    "transfer.result": _("Reply to an incoming transfer given"),
}


def action_labels() -> dict[str, Any]:
    """Every record action of the cases app with its label."""
    return {**{f"case.{step}": label for step, label in STEP_LABELS.items()}, **CASE_ACTIONS}


def object_titles() -> dict[str, Any]:
    """How the record pages title the cases app's objects (案件 嘉市监立〔2026〕3号)."""
    from zhifa.records.presentation import model_titles

    from .models import Case, Transfer

    return {
        "cases.case": model_titles(Case, lambda c: c.number or f"#{c.pk}"),
        "cases.transfer": model_titles(
            Transfer, lambda t: f"{t.case.number} → {t.receiver}", "case", "to_organ"
        ),
    }

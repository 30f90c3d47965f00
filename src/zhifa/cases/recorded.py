"""What ``records verify`` needs to know of a case row to compare it with its entries
(registered in ``CasesConfig.ready``; ``records`` imports no domain app):

- the fields the opening fixes (``OPENED_FIELDS``), digested by ``opened_digest`` both
  when the case is opened (``opened_sm3`` of ``case.open``) and by ``verify``;
- the status the case's entries imply (``status_after``: the opening, each step, a
  transfer and the receiver giving it back);
- the officers the steps name (``step_officers``): the case's officer rows of a case
  opened on the platform are exactly those;
- the scans of signed 送达回证 as recorded objects (``recorded_objects``): each row as
  its ``service_receipt.attach_scan`` entry recorded it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zhifa.records.canonical import canonical_json, sm3_hex

#: The case fields set when the case is opened and never changed by a later step.
OPENED_FIELDS = (
    "case_id",
    "kind",
    "procedure",
    "source",
    "power_item_id",
    "power",
    "party_type",
    "party_name",
    "party_birth_date",
    "party_id_number",
    "party_uscc",
    "party_vulnerable",
    "violation",
    "basis",
    "settings",
)


def opened_digest(values: Mapping[str, Any]) -> str:
    """The SM3 of the opening fields (``values``: the case's values of
    ``OPENED_FIELDS``, as ``QuerySet.values`` gives them)."""
    from zhifa.records.changes import json_value

    return sm3_hex(canonical_json({n: json_value(values[n]) for n in OPENED_FIELDS}).encode())


def opened_status(procedure: str) -> str:
    from .models import CaseStatus, Procedure

    return str(
        CaseStatus.AWAITING_REGISTRATION
        if procedure == Procedure.GENERAL
        else CaseStatus.INVESTIGATING
    )


def status_after(status: str, action: str, body: Mapping[str, Any]) -> str:
    """The case's status after the entry ``action`` (``body``: its payload)."""
    from .actions.common import STEP_STATUS
    from .models import CaseStatus
    from .workflow import GIVEN_BACK

    if action == "case.transfer":
        return str(CaseStatus.TRANSFERRED)
    if action == "case.transfer_result":
        if body.get("result") in GIVEN_BACK and status == CaseStatus.TRANSFERRED:
            return str(CaseStatus.INVESTIGATING)
        return status
    if isinstance(body.get("index"), int) and "data" in body:
        return str(STEP_STATUS.get(action.removeprefix("case."), status))
    return status


def step_officers(procedure: str, step: str, data: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (reference, role) rows a step adds to the case (``add_step._link_officers``)."""
    from .actions.common import _FIELD_ROLES

    if step == "decision" and procedure == "summary":
        return set()
    found: set[tuple[str, str]] = set()
    for name, role in _FIELD_ROLES.items():
        value = data.get(name)
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, str):
                found.add((ref, str(role)))
    return found


# --- the scans of signed receipts ----------------------------------------------------------

#: A scan's fields its ``service_receipt.attach_scan`` entry records, by the entry's
#: member → the row's ``values()`` lookup.
SCAN_FIELDS = {
    "document": "document_id",
    "replaces": "replaces_id",
    "original_name": "original_name",
    "content_type": "content_type",
    "size": "size",
    "sm3": "sm3",
    "sha256": "sha256",
    "storage_name": "storage_name",
}


def _scan_attached(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The scan an entry on its case attached: its ID and its recorded fields."""
    scan = body.get("scan")
    if isinstance(scan, int):
        yield (
            str(scan),
            {"case": object_id, **{name: body.get(name) for name in SCAN_FIELDS}},
        )


def recorded_objects() -> list[Any]:
    """The scans of signed 送达回证 (``cases.ReceiptScan``): ``records verify`` compares
    each row with its entry (a row pointed at another file, or deleted, fails)."""
    from zhifa.records.domain import RecordedObject

    from .actions.service_receipt import ACTION

    return [
        RecordedObject(
            object_type="cases.receiptscan",
            model="cases.ReceiptScan",
            noun="signed receipt scan",
            creates={},
            updates={},
            creates_on_other={ACTION: _scan_attached},
            fields={"case": "case_id", **SCAN_FIELDS},
            title="original_name",
            every_row="organ_id",
        )
    ]

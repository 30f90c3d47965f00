"""The case's file (案卷) as one PDF (issue #14 item 4): what goes in it — the case's
issued documents (their stored PDFs, never rendered again), the scans filed after a
document (``ATTACHMENTS``), the evidence files the index lists — and the cover's facts.
The PDF itself (filing order, cover, index, page numbers) is ``documents.dossier``.

The dossier is built when asked for and not stored: it is derived entirely from
documents the record already holds (each stored under its SM3 digest, each rendering
recorded as ``document.render``) and from the case's facts, and it is invariant (the
same documents give the same bytes), so it can be rebuilt and compared at any time.
Reading it writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation

from zhifa.core.scope import scoped
from zhifa.documents import dossier as pdf
from zhifa.documents import formats
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.documents.rendering import StoredDocumentBroken, open_pdf
from zhifa.records.models import Evidence
from zhifa.rules.engine.units.closure import REASONS_ZH

from . import policy
from .actions.add_step import document_type
from .documents import TITLES, ScanBroken, conduct, penalty_text, signed_receipt_scans
from .labels import step_label
from .models import Case, CaseStep

#: The evidence kinds as the index names them.
EVIDENCE_KINDS_ZH = {"photo": "照片", "document": "文件", "audio": "录音", "video": "录像"}

#: What each decision outcome says on the cover (处理结果) when no penalty is imposed.
OUTCOMES_ZH = {
    "no_penalty": "不予行政处罚",
    "not_established": "违法事实不能成立，不予行政处罚",
    "transfer": "移送有管辖权的机关处理",
}


def service_receipt_scans(user: Any, case: Case, document: IssuedDocument) -> list[pdf.Attachment]:
    """The signed scan of the 送达回证 ``document``, filed right after the receipt as
    issued (its own row in the index, "扫描件"): the current scan only (a replaced scan
    stays in the record and on the case page, not in the file), and only for the users
    who may see it (``policy.can_see_receipt_scans``: the organ's own — a supervisor's
    dossier has the receipt without the signatures)."""
    if not policy.can_see_receipt_scans(case, user):
        return []
    out = []
    for found in signed_receipt_scans(case, current_only=True):
        if found.receipt.pk != document.pk:
            continue
        on = found.step.on if found.step is not None else document.issued_on
        try:
            data = found.read()
        except ScanBroken:  # filed as a page saying so, with the digest attached
            data = b""
        out.append(
            pdf.Attachment(
                title="送达回证（签收件）",
                on=on,
                data=data,
                content_type=found.scan.content_type,
                sm3=found.sm3,
            )
        )
    return out


#: The files filed after a document of each type (``service_receipt_scans``).
ATTACHMENTS: dict[str, Callable[[Any, Case, IssuedDocument], list[pdf.Attachment]]] = {
    DocumentType.SERVICE_RECEIPT: service_receipt_scans,
}


def _title(document: IssuedDocument) -> str:
    """The document's name as the documents write it (``documents.TITLES``), and which
    record of its kind for a 询问笔录 or 现场检查笔录."""
    label = TITLES.get(document.kind)
    if label is None:
        with translation.override("zh-hans"):
            label = str(DocumentType(document.kind).label)
    return f"{label}（{document.part}）" if document.part else label


def issued_documents(user: Any, case: Case) -> list[IssuedDocument]:
    """The case's issued documents the user may read, in filing order."""
    found = list(scoped(user, IssuedDocument.objects.filter(case=case), "organ"))
    return sorted(found, key=lambda d: pdf.filing_key(d.kind, d.issued_on, d.part, d.pk))


def dossier_items(user: Any, case: Case) -> list[pdf.Item]:
    items = []
    for document in issued_documents(user, case):
        attach = ATTACHMENTS.get(document.kind)
        items.append(
            pdf.Item(
                kind=document.kind,
                title=_title(document),
                number=document.number,
                issued_on=document.issued_on,
                pdf=_stored(document),
                part=document.part,
                order=document.pk,
                attachments=attach(user, case, document) if attach else (),
            )
        )
    return items


def _stored(document: IssuedDocument) -> bytes:
    """The document's stored PDF; when it is missing or not the file issued, a page
    saying so in its place (one damaged file does not take the dossier down, and an
    altered one is never filed as issued)."""
    try:
        return open_pdf(document)
    except StoredDocumentBroken:
        return pdf.not_filed_page(_title(document), document.number, document.sm3)


def evidence_files(user: Any, case: Case) -> list[pdf.EvidenceFile]:
    """The evidence files attached to the case, in the order collected."""
    found = scoped(
        user, Evidence.objects.filter(object_type="cases.case", object_id=str(case.pk)), "organ"
    ).order_by("collected_at", "pk")
    return [
        pdf.EvidenceFile(
            title=e.title,
            kind=EVIDENCE_KINDS_ZH.get(e.kind, e.kind),
            collected_on=timezone.localtime(e.collected_at).date(),
            sm3=e.sm3,
        )
        for e in found
    ]


def _last(steps: list[CaseStep], name: str) -> CaseStep | None:
    found = [s for s in steps if s.step == name]
    return found[-1] if found else None


def result_summary(steps: list[CaseStep]) -> str:
    """处理结果: the last decision (the penalties, or why none), or the refusal to
    register; then how the case was closed, when it says more."""
    decision = _last(steps, "decision")
    closed = _last(steps, "closed")
    if _last(steps, "registration_refused") is not None:
        said = "不予立案"
    elif decision is None:
        said = "尚未作出处理决定"
    else:
        data = decision.data or {}
        outcome = data.get("outcome", "penalty")
        if outcome == "penalty":
            said = "、".join(penalty_text(p) for p in data.get("penalties") or []) or "行政处罚"
        else:
            said = OUTCOMES_ZH.get(outcome, str(outcome))
    reason = (closed.data or {}).get("reason") if closed is not None else None
    if reason in ("performed", "executed", "terminated"):
        said += f"；{REASONS_ZH[reason]}"
    return said


def cover_of(case: Case) -> pdf.Cover:
    steps = list(case.steps.order_by("index"))
    registered = _last(steps, "registered")
    closed = _last(steps, "closed")
    decision = _last(steps, "decision")
    power = case.power_item
    return pdf.Cover(
        organ=case.organ.name,
        title=f"{case.party_name}{conduct(power.name if power is not None else case.power)}案",
        party=case.party_name,
        registration_number=case.registration_number,
        decision_number=decision.document_number if decision is not None else "",
        registered_on=registered.on if registered is not None else None,
        closed_on=closed.on if closed is not None else None,
        result=result_summary(steps),
    )


def build_case_dossier(user: Any, case: Case) -> pdf.Dossier:
    """The case's dossier as ``user`` may read it (the caller has checked that the case
    is in the user's scope). Raises ``documents.dossier.DossierTooLarge``."""
    return pdf.build_dossier(cover_of(case), dossier_items(user, case), evidence_files(user, case))


def dossier_filename(case: Case) -> str:
    return f"{case.registration_number or case.case_id}案卷.pdf"


def not_yet_issued(document_rows: list[dict[str, Any]], steps: list[CaseStep]) -> list[str]:
    """What the dossier lacks (for the case page's notice, not the PDF): the documents
    whose step is recorded but which were not issued yet (``document_rows``: the case
    page's document list), and the numbers a step issued for a document type that has
    no template yet."""
    missing = [
        str(row["label"]) for row in document_rows if row["available"] and not row["document"]
    ]
    templates = set(formats.kinds())
    for step in steps:
        kind = document_type(step.step, step.data or {}) if step.document_number else None
        if kind is not None and kind not in templates:
            missing.append(f"{step_label(step.step)} {step.document_number}")
    return missing

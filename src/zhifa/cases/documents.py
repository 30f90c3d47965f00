"""A case's documents (执法文书, issue #14): what the templates are filled with, taken
from the case — the party, the 文号 the step issued (or one issued when the document is
rendered, for a document no step numbers, such as the 送达回证), the content typed
in (``step.data["content"]``: facts, evidence, basis, discretion, answers to the defence,
records, hearing and discussion minutes), the legal basis with the law's full name and
article, the penalties decided, the remedies with the periods the rules engine's
parameters give — and who may issue them. Rendering, storage and the record are the
documents app's (``documents.rendering.issue_document``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, User
from zhifa.documents import formats
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.documents.rendering import (
    DocumentUnavailable,
    citation,
    cn_date,
    issue_document,
    yuan,
)
from zhifa.rules.engine.parameters import Parameters

from .models import Case, CaseStep, ReceiptScan
from .steps import EVIDENCE_KINDS, PENALTY_TYPES, SERVICE_METHODS, SIGNED_BY

#: The kinds whose number is issued when the document is rendered (no step issues it).
NUMBERED_AT_RENDERING = frozenset(
    {
        DocumentType.SERVICE_RECEIPT,
        DocumentType.HEARING_RECORD,
        DocumentType.COLLECTIVE_DISCUSSION_RECORD,
        DocumentType.INQUIRY_RECORD,
        DocumentType.ON_SITE_INSPECTION_RECORD,
        DocumentType.INVESTIGATION_REPORT,
    }
)

#: The kinds made one per record of their step's ``content.records`` (the record's
#: ``kind``): a 询问笔录 per inquiry, a 现场检查笔录 per inspection.
PER_RECORD: dict[str, str] = {
    DocumentType.INQUIRY_RECORD: "inquiry",
    DocumentType.ON_SITE_INSPECTION_RECORD: "inspection",
}

#: The kinds the case page lists before their step exists ("not available yet"); the
#: others are offered only once the step they are made from is recorded.
LISTED_BEFORE_STEP = frozenset(
    {
        DocumentType.REGISTRATION_APPROVAL,
        DocumentType.PRIOR_NOTICE,
        DocumentType.PENALTY_DECISION,
        DocumentType.SERVICE_RECEIPT,
    }
)

#: The case sources (案件来源) as the 立案审批表 words them.
SOURCES = {
    "inspection": "监督检查",
    "complaint": "投诉",
    "report": "举报",
    "transfer": "其他机关移送",
    "monitoring": "监测",
}


#: The methods of service and who signed, as the 送达回证 words them (the document is
#: Chinese whatever the user's language).
SERVICE_METHOD_TEXT = {
    "on_the_spot": "当场交付",
    "direct": "直接送达",
    "left_at_residence": "留置送达",
    "entrusted": "委托送达",
    "mail": "邮寄送达",
    "public_notice": "公告送达",
    "electronic": "电子送达",
}
SIGNED_BY_TEXT = {
    "recipient": "受送达人本人",
    "authorised": "代收人",
    "relative": "同住成年家属",
    "refused": "拒绝签收",
}


def served_context(served: CaseStep) -> dict[str, Any]:
    """What the 送达回证 says of its ``served`` step: the method, who signed and when,
    and from its content the person served, the signer's name, the place and, on a
    refusal, the reason, the witnesses (name and unit or identity) and the recording."""
    data = served.data or {}
    content = step_content(served)
    witnesses = [
        {"name": str(w.get("name") or "").strip(), "unit": str(w.get("unit") or "").strip()}
        for w in content.get("witnesses") or []
        if isinstance(w, dict) and str(w.get("name") or "").strip()
    ]
    method, signed_by = str(data.get("method", "")), str(data.get("signed_by", ""))
    return {
        "method": SERVICE_METHOD_TEXT.get(method, str(dict(SERVICE_METHODS).get(method, ""))),
        "signed_by": ""
        if signed_by == "refused"
        else SIGNED_BY_TEXT.get(signed_by, str(dict(SIGNED_BY).get(signed_by, ""))),
        "refused": signed_by == "refused",
        "on": cn_date(served.on),
        "recipient": content.get("recipient", ""),
        "signer": content.get("signer", ""),
        "place": content.get("place", ""),
        "refusal_reason": content.get("refusal_reason", ""),
        "witnesses": witnesses,
        "witness_names": "、".join(
            w["name"] + (f"（{w['unit']}）" if w["unit"] else "") for w in witnesses
        ),
        "recording": content.get("recording", ""),
    }


def penalty_text(penalty: dict[str, Any]) -> str:
    label = str(dict(PENALTY_TYPES).get(penalty.get("type", ""), penalty.get("type", "")))
    kind = penalty.get("type")
    zh = {
        "warning": "警告",
        "fine": "罚款",
        "confiscation": "没收违法所得",
        "suspend_permit": "暂扣许可证件",
        "lower_qualification": "降低资质等级",
        "revoke_permit": "吊销许可证件",
        "restrict_business": "限制开展生产经营活动",
        "suspend_business": "责令停产停业",
        "closure": "责令关闭",
        "restrict_practice": "限制从业",
        "detention": "行政拘留",
    }.get(str(kind), label)
    amount = penalty.get("amount")
    if amount is not None and kind in ("fine", "confiscation"):
        return f"{zh}人民币{yuan(amount)}元"
    return zh


def conduct(power_name: str) -> str:
    """The conduct a power item names: 对生产经营……的食品的行政处罚 → 生产经营……的食品
    (a power item is named after the penalty; the documents name the conduct)."""
    name = power_name.strip()
    if name.startswith("对") and name.endswith("的行政处罚"):
        return name[1 : -len("的行政处罚")]
    return name


def step_content(step: CaseStep | None) -> dict[str, Any]:
    """The content typed on a step (``data["content"]``), its texts stripped; lists of
    rows kept as they are (the templates read ``evidence``, ``transcript`` …)."""
    raw = (step.data or {}).get("content") if step is not None else None
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if value.strip():
                out[key] = value.strip()
        elif isinstance(value, int | float):
            out[key] = str(value)
        elif isinstance(value, list):
            out[key] = value
    evidence = out.get("evidence")
    if isinstance(evidence, list):
        out["evidence"] = [
            {"name": str(e.get("name", "")).strip(), "proves": formats.clause(e.get("proves"))}
            for e in evidence
            if isinstance(e, dict) and str(e.get("name", "")).strip()
        ]
    return out


def records_of(step: CaseStep, record_kind: str) -> list[dict[str, Any]]:
    """The step's records of one kind (inquiry or inspection), in the order typed."""
    records = step_content(step).get("records") or []
    return [r for r in records if isinstance(r, dict) and r.get("kind") == record_kind]


def _officer_name(case: Case, ref: Any) -> str:
    row = (
        case.case_officers.filter(ref=str(ref or "")).select_related("officer").first()
        if ref
        else None
    )
    if row is None:
        return str(ref or "")
    return row.officer.name if row.officer is not None else row.ref


def _last(steps: list[CaseStep], name: str) -> CaseStep | None:
    found = [s for s in steps if s.step == name]
    return found[-1] if found else None


def source_step(case: Case, kind: str) -> CaseStep:
    """The step whose data and number the document takes."""
    fmt = formats.load(kind)
    steps = list(case.steps.order_by("index"))
    step = _last(steps, fmt.step)
    if step is None:
        raise DocumentUnavailable(
            {"kind": _("The case has no step this document is made from yet.")}
        )
    return step


def build_context(
    case: Case, kind: str, step: CaseStep, number: str, code: str, url: str, part: int = 0
) -> dict[str, Any]:
    """What the template's wording may use (docs/documents.md lists it)."""
    steps = list(case.steps.order_by("index"))
    organ = case.organ
    data = step.data or {}
    content = step_content(step)
    record: dict[str, Any] = {}
    if kind in PER_RECORD:
        found = records_of(step, PER_RECORD[kind])
        if 1 <= part <= len(found):
            record = dict(found[part - 1])
            record["qa"] = [q for q in record.get("qa") or [] if isinstance(q, dict)]
            record["officers"] = "、".join(str(o) for o in record.get("officers") or [])
    statement = _last(steps, "statement")
    investigation = _last(steps, "investigation")
    if kind in (DocumentType.PENALTY_DECISION, DocumentType.PRIOR_NOTICE):
        # The facts and evidence the investigation found, when the step repeats none.
        for key, value in step_content(investigation).items():
            if key in ("facts", "evidence"):
                content.setdefault(key, value)
    registered = _last(steps, "registered")
    served = _last(steps, "served")
    on = step.on
    params = Parameters(case.settings or {})
    penalties = data.get("penalties") or data.get("intended") or []
    evidence = [
        str(label)
        for value, label in EVIDENCE_KINDS
        if investigation and value in (investigation.data or {}).get("evidence", [])
    ]
    power = case.power_item
    benchmark = (case.benchmark or {}).get("circumstance", "")
    decision = _last(steps, "decision")
    served_doc: dict[str, Any] = (
        {
            "document": "行政处罚决定书",
            "number": decision.document_number if decision else "",
        }
        if kind == DocumentType.SERVICE_RECEIPT
        else {}
    )
    if served is not None and kind == DocumentType.SERVICE_RECEIPT:
        served_doc |= served_context(served)
    return {
        "organ": {
            "name": organ.name,
            "short_name": organ.short_name,
            "address": organ.contact_address or "",
            "phone": organ.contact_phone or "",
        },
        "number": number,
        "code": "-".join(code[i : i + 4] for i in range(0, len(code), 4)),
        "public_url": url,
        "issued_on": cn_date(on),
        "party": {
            "name": case.party_name,
            "type": case.party_type,
            "uscc": case.party_uscc,
            "id_number": case.party_id_number,
        },
        "case": {
            "number": case.registration_number,
            "registered_on": cn_date(registered.on) if registered else "",
            "source": SOURCES.get(case.source, ""),
        },
        "officers": "、".join(
            row.officer.name if row.officer is not None else row.ref
            for row in case.case_officers.filter(role="investigator")
            .select_related("officer")
            .order_by("pk")
        ),
        "violation": {
            "name": conduct(power.name if power is not None else str(case.power)),
            "occurred_on": cn_date(dt.date.fromisoformat(str(case.violation["occurred_on"])))
            if (case.violation or {}).get("occurred_on")
            else "",
        },
        "basis": {
            "law": str((case.basis or {}).get("law", "")),
            "article": str((case.basis or {}).get("article", "")),
            "citation": citation(case.basis or {}),
        },
        "benchmark": {
            "no_penalty": "不予处罚",
            "mitigated": "减轻处罚",
            "lighter": "从轻处罚",
            "ordinary": "一般处罚",
            "heavier": "从重处罚",
        }.get(benchmark, ""),
        "penalties": [{"text": penalty_text(p), **p} for p in penalties],
        "fine_total": sum(
            float(p.get("amount") or 0) for p in penalties if p.get("type") == "fine"
        ),
        "evidence": "、".join(evidence),
        "content": content,
        "statement": step_content(statement),
        "record": record,
        "step_on": cn_date(on),
        "public": bool(data.get("public", True)),
        "host": _officer_name(case, data.get("host")) if data.get("host") else "",
        "payment_days": params.integer("payment_days", on),
        "late_fee_percent": f"{params.number('late_fee_daily_rate', on) * 100:g}",
        "hearing_request_days": params.integer("hearing_request_working_days", on),
        "hearing_right": bool(data.get("hearing_right_notified", True)),
        "remedies": {
            "reconsideration_days": params.integer("reconsideration_days", on),
            "litigation_months": params.integer("litigation_months", on),
            # 《行政复议法》（2023年修订）第二十四条: a department of a local government
            # is reviewed by the government of its level; a region may word it
            # otherwise (a vertically managed organ) through its wording override.
            "reconsideration_body": f"{organ.region.name}人民政府",
        },
        "served": served_doc,
    }


def check_actor(actor: User, case: Case) -> None:
    """Officers and heads of the case's organ render its documents."""
    if actor.role not in ORGAN_ROLES or actor.organ_id != case.organ_id:
        raise PermissionDenied(_("Only the case organ's officers render its documents."))


def render_document(
    case: Case, kind: str, *, actor: User, base_url: str = "", part: int = 0
) -> IssuedDocument:
    """The case's document of type ``kind``: rendered from its template, stored and
    recorded the first time (``documents.rendering.issue_document``), the same document
    afterwards. Raises ``PermissionDenied`` for a user outside the case's organ,
    ``DocumentUnavailable`` when the case lacks the step it is made from, and
    ``ValidationError`` (field ``kind``) for an unknown type or an unprintable text,
    (field ``part``) for a record the step does not have. ``part``: the record (from 1,
    in the order of the records of that kind) for a 询问笔录 or 现场检查笔录."""
    check_actor(actor, case)
    if kind not in formats.kinds():
        raise ValidationError({"kind": _("No template for this document type.")})
    step = source_step(case, kind)
    if kind in PER_RECORD:
        if not 1 <= part <= len(records_of(step, PER_RECORD[kind])):
            raise ValidationError({"part": _("The step has no such record.")})
    elif part:
        raise ValidationError({"part": _("This document is made from the whole step.")})
    return issue_document(
        case=case,
        step=step,
        kind=kind,
        actor=actor,
        number=None if kind in NUMBERED_AT_RENDERING else step.document_number,
        context_for=lambda number, code, url: build_context(
            case, kind, step, number, code, url, part
        ),
        base_url=base_url,
        part=part,
    )


# --- the signed 送达回证 (item 5) -------------------------------------------------------------


@dataclass(frozen=True)
class SignedReceiptScan:
    """A scan of the signed 送达回证 as the case file (案卷) includes it: ``scan`` (the
    stored file: ``original_name``, ``content_type`` — application/pdf, image/jpeg or
    image/png —, ``size``, ``sm3``, ``sha256``, ``storage_name``, ``uploaded_at``),
    ``receipt`` (the issued 送达回证 it is the signed copy of), ``step`` (the case's
    ``served`` step, ``None`` while the service is not recorded) and ``current`` (not
    replaced by a later scan)."""

    scan: ReceiptScan
    receipt: IssuedDocument
    step: CaseStep | None
    current: bool

    @property
    def sm3(self) -> str:
        return self.scan.sm3

    def read(self) -> bytes:
        """The stored file's bytes."""
        return open_scan(self.scan)


def signed_receipt_scans(case: Case, *, current_only: bool = False) -> list[SignedReceiptScan]:
    """The scans of the case's signed 送达回证, in the order they were attached (the
    current one last; ``current_only``: just that one). For the organ's own use — the
    案卷 and the case page: the caller checks who may see them
    (``policy.can_see_receipt_scans``)."""
    served = case.steps.filter(step="served").order_by("-index").first()
    scans = list(
        ReceiptScan.objects.filter(case=case)
        .select_related("document", "replaced_by")
        .order_by("pk")
    )
    found = [
        SignedReceiptScan(
            scan=s,
            receipt=s.document,
            step=served,
            # the reverse one-to-one raises (an AttributeError) when nothing replaced it
            current=not hasattr(s, "replaced_by"),
        )
        for s in scans
    ]
    return [f for f in found if f.current] if current_only else found


def open_scan(scan: ReceiptScan) -> bytes:
    from zhifa.records.evidence_files import evidence_storage

    with evidence_storage().open(scan.storage_name, "rb") as handle:
        data: bytes = handle.read()
    return data

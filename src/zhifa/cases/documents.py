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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, User
from zhifa.core.scope import scoped
from zhifa.documents import formats
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.documents.rendering import (
    DocumentUnavailable,
    citation,
    cn_date,
    issue_document,
    yuan,
)
from zhifa.records.models import Evidence
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import CaseFile, PaymentFacts, payment_facts
from zhifa.rules.engine.parameters import Parameters

from . import policy
from .actions.add_step import document_type
from .casefile import export_document, ordered_steps
from .content import parse_moment
from .models import Case, CaseStep, ReceiptScan, Transfer, TransferKind
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
        DocumentType.CLOSURE_REPORT,
        # 不予立案: no case number (立案号) and no step number; 先行登记保存 and 法制审核:
        # their steps number nothing.
        DocumentType.REGISTRATION_REFUSAL,
        DocumentType.PRESERVATION_NOTICE,
        DocumentType.LEGAL_REVIEW_OPINION,
    }
)

#: The kinds the decision step numbers, one by its outcome (``actions.add_step.
#: document_type``): each is made from the last decision whose number was issued for
#: it, so a 行政处罚决定书 is never offered for a decision not to penalise, nor the
#: reverse, nor either for a transfer.
DECISION_KINDS = frozenset(
    {
        DocumentType.PENALTY_DECISION,
        DocumentType.NO_PENALTY_DECISION,
        DocumentType.TRANSFER_LETTER,
    }
)

#: The decisions a 送达回证 serves on the party. A transfer's letter (案件移送函,
#: 涉嫌犯罪案件移送书) is addressed to the receiving organ, not served on the party: the
#: case page offers no 送达回证 for it (the receipt would name the party as the
#: recipient of a letter it never receives).
SERVED_ON_PARTY = frozenset({DocumentType.PENALTY_DECISION, DocumentType.NO_PENALTY_DECISION})

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

#: Each document type's name as the documents write it (国市监法发〔2021〕42号's
#: names; the 送达回证, 催告书 and 案件移送函 name the documents they serve, press for
#: or send).
TITLES: dict[str, str] = {
    DocumentType.REGISTRATION_APPROVAL: "立案审批表",
    DocumentType.REGISTRATION_REFUSAL: "不予立案审批表",
    DocumentType.ON_SITE_INSPECTION_RECORD: "现场检查笔录",
    DocumentType.INQUIRY_RECORD: "询问笔录",
    DocumentType.PRESERVATION_NOTICE: "先行登记保存证据通知书",
    DocumentType.SEIZURE_DECISION: "实施行政强制措施决定书",
    DocumentType.PRIOR_NOTICE: "行政处罚事先告知书",
    DocumentType.HEARING_NOTICE: "听证通知书",
    DocumentType.HEARING_RECORD: "听证笔录",
    DocumentType.LEGAL_REVIEW_OPINION: "法制审核表",
    DocumentType.PENALTY_DECISION: "行政处罚决定书",
    DocumentType.NO_PENALTY_DECISION: "不予行政处罚决定书",
    DocumentType.SERVICE_RECEIPT: "送达回证",
    DocumentType.DEMAND: "催告书",
    DocumentType.DEFERRAL_DECISION: "延期（分期）缴纳罚款决定书",
    DocumentType.TRANSFER_LETTER: "案件移送函",
    DocumentType.CLOSURE_REPORT: "结案审批表",
    DocumentType.CASE_SOURCE: "案件来源登记表",
    DocumentType.INVESTIGATION_REPORT: "案件调查终结报告",
    DocumentType.COLLECTIVE_DISCUSSION_RECORD: "集体讨论记录",
}

#: The closing reasons (``closed.reason``, ``steps.CLOSE_REASONS``) as the 结案审批表
#: words them; another reason the file gives is printed as it is.
CLOSE_REASONS_ZH = {
    "performed": "行政处罚决定已履行完毕",
    "executed": "行政处罚决定已执行完毕",
    "no_penalty": "作出不予行政处罚决定",
    "not_established": "违法事实不能成立，不予行政处罚",
    "transferred": "案件已移送",
    "terminated": "案件终止调查",
}

#: What another app adds to the context of a document type (``register_context_provider``).
ContextProvider = Callable[[Case, CaseStep], Mapping[str, Any]]
_CONTEXT_PROVIDERS: dict[str, list[ContextProvider]] = {}


def register_context_provider(kind: str, provider: ContextProvider) -> None:
    """Let an app above cases add to what the templates of ``kind`` are filled with,
    from its ``AppConfig.ready`` (docs/adr/0010-app-layers.md: cases imports no app
    above it). ``provider(case, step)`` returns context entries; an entry that is a
    mapping on both sides is merged one level deep (``review`` adds to ``review``).
    The review app registers the 法制审核表's checklist and submission this way."""
    providers = _CONTEXT_PROVIDERS.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def _provided(context: dict[str, Any], case: Case, kind: str, step: CaseStep) -> dict[str, Any]:
    for provider in _CONTEXT_PROVIDERS.get(kind, ()):
        for key, value in provider(case, step).items():
            old = context.get(key)
            if isinstance(old, Mapping) and isinstance(value, Mapping):
                context[key] = {**old, **value}
            else:
                context[key] = value
    return context


#: The results of a legal review (the legal_review step's ``result``) as the 法制审核表
#: words them.
REVIEW_RESULTS = {"passed": "审核通过", "failed": "审核未通过", "returned": "退回补充调查"}

#: What separates the parts of an item typed on a line of a list (名称｜规格｜数量｜备注).
ITEM_SEPARATORS = re.compile(r"\s*[|｜\t]\s*")


def item_rows(lines: Any) -> list[dict[str, str]]:
    """The items of a list section (``content.items``: one a line) as the rows of a
    清单: name, specification, quantity and notes, separated on the line by ``|`` (or
    the full-width ｜, or a tab); a line without a separator is the name alone."""
    rows = []
    for line in lines if isinstance(lines, list) else []:
        parts = [p.strip() for p in ITEM_SEPARATORS.split(str(line).strip())]
        if not any(parts):
            continue
        parts = [*parts[:3], "\u3000".join(p for p in parts[3:] if p)]
        name, spec, quantity, notes = (parts + [""] * 4)[:4]
        rows.append({"name": name, "spec": spec, "quantity": quantity, "notes": notes})
    return rows


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


def record_time(started: Any, ended: Any) -> str:
    """A 笔录's time as it is written on the form: 2026年3月4日9时30分至10时15分 (the
    end's day repeated only when it is another day); empty without a start."""
    begin = parse_moment(str(started or ""))
    if begin is None:
        return ""
    text = f"{cn_date(begin.date())}{begin.hour}时{begin.minute:02d}分"
    end = parse_moment(str(ended or ""))
    if end is not None:
        day = cn_date(end.date()) if end.date() != begin.date() else ""
        text += f"至{day}{end.hour}时{end.minute:02d}分"
    return text


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


def record_parts(kind: str, steps: list[CaseStep]) -> list[tuple[CaseStep, dict[str, Any]]]:
    """The records a 询问笔录 or 现场检查笔录 (``PER_RECORD``) is made from, each with
    the step that holds it: the records of that kind of every step its template names
    (the investigation), in the order of the steps and then as typed. A step's form
    takes one record, so an officer who questions the party on one day and inspects the
    premises on another records two investigation steps: both 笔录 are printable.
    ``part`` n is the n-th (the steps are never removed: the numbering stays)."""
    name = formats.load(kind).step
    return [
        (s, record) for s in steps if s.step == name for record in records_of(s, PER_RECORD[kind])
    ]


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


def made_from(kind: str, steps: list[CaseStep]) -> CaseStep | None:
    """The step of ``steps`` (in order) the document of ``kind`` is made from: the last
    step its template names, for a kind the decision numbers the last decision whose
    number was issued for it (``DECISION_KINDS``), for the 送达回证 the last decision
    served on the party (``SERVED_ON_PARTY``); None when there is none yet."""
    name = formats.load(kind).step
    found = [s for s in steps if s.step == name]
    if kind in DECISION_KINDS:
        found = [s for s in found if document_type(s.step, s.data or {}) == kind]
    elif kind == DocumentType.SERVICE_RECEIPT:
        found = [s for s in found if document_type(s.step, s.data or {}) in SERVED_ON_PARTY]
    return found[-1] if found else None


def listed_before_step(kind: str, steps: list[CaseStep]) -> bool:
    """The case page lists the kind before its step exists ("not available yet"):
    the kinds of ``LISTED_BEFORE_STEP`` only while the case has no decision and was not
    refused registration (a decision not to penalise is not followed by a 行政处罚决定书,
    a transfer by no 事先告知书 nor 送达回证, a source not registered by none of them)."""
    if kind not in LISTED_BEFORE_STEP:
        return False
    return not any(s.step in ("decision", "registration_refused") for s in steps)


def source_step(case: Case, kind: str) -> CaseStep:
    """The step whose data and number the document takes."""
    step = made_from(kind, list(case.steps.order_by("index")))
    if step is None:
        raise DocumentUnavailable(
            {"kind": _("The case has no step this document is made from yet.")}
        )
    return step


def _money(amount: Any) -> str:
    """An amount as the documents print it (150,000 or 1,234.50), empty for none or 0."""
    return yuan(amount) if amount else ""


def payment_as_of(case: Case, step: CaseStep) -> PaymentFacts | None:
    """The rules engine's payment facts (``payment_facts``: the fine decided, what was
    paid, the APL-72 late fee, what is outstanding) of the case as it stood with
    ``step``, on the step's day: the steps after it are not counted."""
    steps = ordered_steps(case)
    document = export_document(case, as_of=step.on)
    at = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    document["steps"] = document["steps"][: at + 1]
    return payment_facts(CaseFile.from_dict(document), step.on, database_calendar())


def _payment(facts: PaymentFacts | None) -> dict[str, Any]:
    if facts is None:
        return {}
    return {
        "fine": _money(facts.fine),
        "paid": _money(facts.paid),
        "fine_outstanding": _money(facts.fine_outstanding),
        "late_fee": _money(facts.late_fee),
        "late_days": facts.late_days,
        "outstanding": _money(facts.outstanding),
        "served_on": cn_date(facts.served_on) if facts.served_on else "",
        "deadline": cn_date(facts.deadline) if facts.deadline else "",
        "paid_in_full_on": cn_date(facts.paid_in_full_on) if facts.paid_in_full_on else "",
        "payments": [
            {
                "on": cn_date(p.on),
                "amount": _money(p.amount) if p.amount is not None else _money(facts.fine),
            }
            for p in facts.payments
        ],
    }


def _decided(steps: list[CaseStep], step: CaseStep, at: int | None) -> dict[str, Any]:
    """The decision the document refers to: the one at index ``at`` (the penalty
    decision the payment facts are of), else the last decision up to ``step``."""
    found = [s for s in steps if s.step == "decision" and s.index <= step.index]
    if at is not None:
        found = [s for s in found if s.index == at] or found
    if not found:
        return {}
    decision = found[-1]
    data = decision.data or {}
    kind = document_type("decision", data) or DocumentType.PENALTY_DECISION
    return {
        "number": decision.document_number,
        "on": cn_date(decision.on),
        "title": TITLES[kind],
        "outcome": str(data.get("outcome", "penalty")),
        "penalties": [{"text": penalty_text(p), **p} for p in data.get("penalties") or []],
    }


def transfer_materials(case: Case, step: CaseStep, steps: list[CaseStep]) -> list[str]:
    """What a transfer letter sends with it (附件): the numbered documents of the case
    up to the transfer (those its steps numbered and those issued by then), the
    evidence the investigation listed and the evidence files of the case."""
    out: list[str] = []
    numbers: set[str] = set()
    for s in steps:
        kind = document_type(s.step, s.data or {})
        if s.index < step.index and s.document_number and kind is not None:
            out.append(f"{TITLES[kind]}（{s.document_number}）")
            numbers.add(s.document_number)
    issued = (
        IssuedDocument.objects.filter(case=case, issued_on__lte=step.on)
        .exclude(kind=DocumentType.TRANSFER_LETTER)
        .order_by("issued_on", "pk")
    )
    for document in issued:
        if document.number and document.number not in numbers:
            out.append(f"{TITLES.get(document.kind, document.kind)}（{document.number}）")
            numbers.add(document.number)
    investigation = _last([s for s in steps if s.index < step.index], "investigation")
    listed = [e["name"] for e in step_content(investigation).get("evidence") or []]
    if not listed and investigation is not None:
        kinds = (investigation.data or {}).get("evidence", [])
        listed = [str(label) for value, label in EVIDENCE_KINDS if value in kinds]
    if listed:
        out.append("证据材料：" + "、".join(listed))
    files = list(
        Evidence.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("pk")
        .values_list("title", flat=True)
    )
    if files:
        out.append(f"证据文件{len(files)}份：" + "、".join(files))
    return out


def _transfer(case: Case, step: CaseStep, steps: list[CaseStep]) -> dict[str, Any]:
    transfer = Transfer.objects.filter(step=step).select_related("to_organ").first()
    if transfer is None:
        return {}
    return {
        "receiver": transfer.receiver,
        "judicial": transfer.kind == TransferKind.JUDICIAL,
        "reason": transfer.reason,
        "sent_on": cn_date(transfer.sent_on),
        "materials": transfer_materials(case, step, steps),
    }


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
        found = record_parts(kind, steps)
        if 1 <= part <= len(found) and found[part - 1][0].pk == step.pk:
            record = dict(found[part - 1][1])
            record["qa"] = [q for q in record.get("qa") or [] if isinstance(q, dict)]
            record["officers"] = "、".join(str(o) for o in record.get("officers") or [])
            record["time"] = record_time(record.get("started"), record.get("ended"))
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
            "document": TITLES[
                document_type("decision", decision.data or {}) or DocumentType.PENALTY_DECISION
            ]
            if decision
            else TITLES[DocumentType.PENALTY_DECISION],
            "number": decision.document_number if decision else "",
        }
        if kind == DocumentType.SERVICE_RECEIPT
        else {}
    )
    if served is not None and kind == DocumentType.SERVICE_RECEIPT:
        served_doc |= served_context(served)
    # The payment facts, for the documents of the execution (催告书, 延期缴纳, 结案).
    facts = (
        payment_as_of(case, step)
        if kind
        in (DocumentType.DEMAND, DocumentType.DEFERRAL_DECISION, DocumentType.CLOSURE_REPORT)
        else None
    )
    until = data.get("until") if step.step == "deferral_approved" else None
    context = {
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
            "source_number": case.case_id,
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
            "occurred_on": _cn_day((case.violation or {}).get("occurred_on")),
            "discovered_on": _cn_day((case.violation or {}).get("discovered_on")),
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
        "decided": _decided(steps, step, facts.decision if facts is not None else None),
        "payment": _payment(facts),
        "demand_days": params.integer("demand_working_days", on),
        "deferral": {"until": cn_date(dt.date.fromisoformat(str(until)))} if until else {},
        "closure": {
            "reason": CLOSE_REASONS_ZH.get(str(data.get("reason", "")), data.get("reason", "")),
            "approver": _officer_name(case, data.get("approved_by")),
        }
        if step.step == "closed"
        else {},
        "transfer": _transfer(case, step, steps) if kind == DocumentType.TRANSFER_LETTER else {},
        # The step's own fields the procedure's documents print (issue #14): the head
        # who approved it (不予立案, 查封、扣押), the reasons for not registering, the
        # days of a seizure, the day of a hearing; the items of a list as its rows.
        "approver": _officer_name(case, data.get("approved_by")) if data.get("approved_by") else "",
        "refusal_reason": str(data.get("reason") or "").strip()
        if step.step == "registration_refused"
        else "",
        "seizure_days": data.get("days") or "",
        "hearing_on": _cn_day(data.get("hearing_on")),
        "items": item_rows(content.get("items")),
        "preservation_days": params.integer("preservation_working_days", on),
        "review": _review(case, step) if step.step == "legal_review" else {},
    }
    return _provided(context, case, kind, step)


def _cn_day(value: Any) -> str:
    """An ISO day of the case file (``2026-03-01``) as the documents write it."""
    if not value:
        return ""
    try:
        return cn_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _review(case: Case, step: CaseStep) -> dict[str, Any]:
    """The legal review as its step holds it (result, opinion, reviewer, day); the review
    app adds the request's matters and the checklist's items
    (``register_context_provider``)."""
    data = step.data or {}
    return {
        "result": str(data.get("result") or ""),
        "result_text": REVIEW_RESULTS.get(str(data.get("result") or ""), ""),
        "opinion": str(data.get("opinion") or "").strip(),
        "reviewer": _officer_name(case, data.get("reviewer")) if data.get("reviewer") else "",
        "reviewed_on": cn_date(step.on),
        "checklist": [],
        "note": "",
        "submitted_on": "",
    }


def _in_chinese(fill: Any, *args: Any) -> Any:
    """A document is written in Chinese whatever the language of the page it is issued
    from: the labels the context takes from the vocabularies (evidence kinds, service
    methods) are translated in Chinese."""
    with translation.override("zh-hans"):
        return fill(*args)


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
    (field ``part``) for a record the case does not have. ``part``: the record (from 1,
    in the order of the case's records of that kind, ``record_parts``) for a 询问笔录 or
    现场检查笔录; the document is made from the step that holds it."""
    check_actor(actor, case)
    if kind not in formats.kinds():
        raise ValidationError({"kind": _("No template for this document type.")})
    step = source_step(case, kind)
    if kind in PER_RECORD:
        parts = record_parts(kind, list(case.steps.order_by("index")))
        if not 1 <= part <= len(parts):
            raise ValidationError({"part": _("The step has no such record.")})
        step = parts[part - 1][0]  # the investigation step the record was typed on
    elif part:
        raise ValidationError({"part": _("This document is made from the whole step.")})
    return issue_document(
        case=case,
        step=step,
        kind=kind,
        actor=actor,
        number=None if kind in NUMBERED_AT_RENDERING else step.document_number,
        context_for=lambda number, code, url: _in_chinese(
            build_context, case, kind, step, number, code, url, part
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


class ScanBroken(ValidationError):
    """The stored file of a signed receipt's scan is missing, or is not the file
    attached (its SM3 digest differs from the one recorded): it is never served or
    filed as the signed receipt (``records verify`` reports it too)."""


def scan_broken(scan: ReceiptScan) -> ScanBroken:
    return ScanBroken(
        {
            "file": _(
                "The stored file of the scan %(name)s (SM3 %(sm3)s) is missing or is not the "
                "file attached: it is not served. Tell the administrator (zhifa records "
                "verify)."
            )
            % {"name": scan.original_name, "sm3": scan.sm3}
        }
    )


def open_scan(scan: ReceiptScan) -> bytes:
    """The scan's stored file, checked against its SM3 digest. Raises ``ScanBroken``
    when it is missing or altered."""
    import hashlib

    from zhifa.records.evidence_files import evidence_storage

    try:
        with evidence_storage().open(scan.storage_name, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError as exc:
        raise scan_broken(scan) from exc
    if hashlib.new("sm3", data).hexdigest() != scan.sm3:
        raise scan_broken(scan)
    return data


# --- the case's documents as the case page and the API list them ----------------------


def case_document_links(
    user: Any, case: Case, steps: list[CaseStep] | None = None
) -> list[dict[str, Any]]:
    """The case page's document list: each document type with a template, its issued
    document when there is one, and whether the user may issue it now. The four main
    documents are listed from the start ("not available yet"; the 行政处罚决定书 only
    while no decision was made); the others once the step they are made from is
    recorded (``documents.made_from``: a decision's document by its outcome), a 询问笔录
    or 现场检查笔录 once per record of every investigation step (``record_parts``).
    ``steps``: the case's steps in order, when the caller has them already."""
    issued = {
        (d.kind, d.part): d
        for d in scoped(user, IssuedDocument.objects.filter(case=case), "organ").order_by("pk")
    }
    steps = ordered_steps(case) if steps is None else steps
    can_issue = getattr(user, "role", None) in ORGAN_ROLES and user.organ_id == case.organ_id
    rows = []
    for kind in formats.kinds():
        label = DocumentType(kind).label
        step = made_from(kind, steps)
        if kind in PER_RECORD:
            records = [record for _step, record in record_parts(kind, steps)]
            parts = [
                (n, f"{label} {n}" + (f"（{r['interviewee']}）" if r.get("interviewee") else ""))
                for n, r in enumerate(records, start=1)
            ]
        elif step is not None or listed_before_step(kind, steps) or (kind, 0) in issued:
            parts = [(0, str(label))]
        else:
            parts = []
        for part, text in parts:
            document = issued.get((kind, part))
            row: dict[str, Any] = {
                "kind": kind,
                "part": part,
                "label": text,
                "document": document,
                # whether the case has the step it is made from (could issue it)
                "available": step is not None,
                "can_issue": document is None and can_issue and step is not None,
            }
            if kind == DocumentType.SERVICE_RECEIPT:
                row |= _receipt_scans(user, case, document)
            rows.append(row)
    return rows


def _receipt_scans(user: Any, case: Case, receipt: IssuedDocument | None) -> dict[str, Any]:
    """Beside the 送达回证: its signed scans (the organ's users only; the current one
    first) and whether the user may attach one (``policy.can_attach_receipt_scan``)."""
    if not policy.can_see_receipt_scans(case, user):
        return {}
    scans = signed_receipt_scans(case)
    return {
        "scans": list(reversed(scans)),
        "can_attach_scan": policy.can_attach_receipt_scan(case, user, receipt) is None,
    }

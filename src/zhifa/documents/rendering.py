"""Rendering a case's documents (执法文书) to PDF, storing and recording them.

``render_document(case, kind, actor=…)`` fills the document type's template
(``formats``) from the case — the party, the 文号 the step issued (or one issued now
from the organ's sequence, for a document no step numbers, such as the 送达回证), the
facts and reasons typed in (``step.data["content"]``), the legal basis with the law's
full name and article, the penalties decided, the remedies with the bodies and periods
the rules engine's parameters give — lays it out (``layout``), stores the PDF under its
SM3 digest in the evidence store and records it in the case organ's chain, all in one
transaction. A document is rendered once: asking again returns the same document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, User
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.steps import EVIDENCE_KINDS, PENALTY_TYPES, SERVICE_METHODS, SIGNED_BY
from zhifa.records import evidence_files
from zhifa.records.services import append_entry
from zhifa.rules.engine.parameters import Parameters

from . import formats, layout
from .models import DocumentType, IssuedDocument
from .services import issue_number

#: The Crockford base-32 alphabet: no I, L, O, U (no reading mistakes on paper).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
#: The kinds whose number is issued when the document is rendered (no step issues it).
NUMBERED_AT_RENDERING = frozenset({DocumentType.SERVICE_RECEIPT})


#: The case sources (案件来源) as the 立案审批表 words them.
SOURCES = {
    "inspection": "监督检查",
    "complaint": "投诉",
    "report": "举报",
    "transfer": "其他机关移送",
    "monitoring": "监测",
}


class DocumentUnavailable(ValidationError):
    """The case has no step the document is made from (yet)."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A typed code as stored: upper case, without the dashes and spaces of print."""
    return "".join(c for c in text.upper() if c not in "- ")


def public_url(code: str, base: str = "") -> str:
    """The absolute URL of a document's public page (ZHIFA_PUBLIC_BASE_URL, else the
    base URL of the request that rendered it)."""
    root = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or base or "").rstrip("/")
    return root + reverse("document_public", args=[code])


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Any) -> str:
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


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


def citation(basis: dict[str, Any]) -> str:
    """《full law name》article: the law as the catalogue names it, in title marks."""
    law = str(basis.get("law", "")).strip()
    if law and not law.startswith("《"):
        law = f"《{law}》"
    return law + str(basis.get("article", "")).strip()


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
    case: Case, kind: str, step: CaseStep, number: str, code: str, url: str
) -> dict[str, Any]:
    """What the template's wording may use (docs/documents.md lists it)."""
    steps = list(case.steps.order_by("index"))
    organ = case.organ
    data = step.data or {}
    raw_content = data.get("content")
    content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
    registered = _last(steps, "registered")
    investigation = _last(steps, "investigation")
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
        sdata = served.data or {}
        served_doc |= {
            "method": str(dict(SERVICE_METHODS).get(sdata.get("method", ""), "")),
            "signed_by": str(dict(SIGNED_BY).get(sdata.get("signed_by", ""), ""))
            if sdata.get("signed_by") != "refused"
            else "",
            "refused": sdata.get("signed_by") == "refused",
            "on": cn_date(served.on),
        }
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
            "name": power.name if power is not None else str(case.power),
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
        "content": {k: str(v) for k, v in content.items() if isinstance(v, str | int | float)},
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


def render_document(case: Case, kind: str, *, actor: User, base_url: str = "") -> IssuedDocument:
    """The case's document of type ``kind``: rendered, stored and recorded the first
    time, the same document afterwards. Raises ``DocumentUnavailable`` when the case
    lacks the step it is made from, ``ValidationError`` (field ``kind``) when the text
    has characters the font cannot print."""
    check_actor(actor, case)
    if kind not in formats.kinds():
        raise ValidationError({"kind": _("No template for this document type.")})
    step = source_step(case, kind)
    existing = IssuedDocument.objects.filter(case=case, kind=kind, step=step).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        if kind in NUMBERED_AT_RENDERING:
            number = issue_number(case.organ, kind, step.on.year).text
        else:
            number = step.document_number
        code = new_code()
        url = public_url(code, base_url)
        wording, label = formats.wording_for(kind, case.organ.region.code, step.on)
        context = build_context(case, kind, step, number, code, url)
        blocks = formats.fill(kind, wording, context)
        title = next(
            (b.text for b in blocks if b.style == "title" and b.text != case.organ.name), ""
        )
        try:
            pdf = layout.build_pdf(
                layout.Document(blocks, title=title, subject=number, keywords=(code,))
            )
        except layout.MissingGlyphs as exc:
            raise ValidationError(
                {
                    "kind": _(
                        "The document holds characters the font cannot print: %(chars)s. "
                        "Add them to documents/fonts/extra-characters.txt and rebuild the font."
                    )
                    % {"chars": exc.characters}
                }
            ) from exc
        stored = _store(pdf)
        document = IssuedDocument.objects.create(
            organ=case.organ,
            case=case,
            step=step,
            kind=kind,
            number=number,
            code=code,
            issued_on=step.on,
            template=label,
            size=len(pdf),
            sm3=stored.sm3,
            sha256=stored.sha256,
            storage_name=stored.storage_name,
            created_by=actor,
        )
        append_entry(
            actor=actor,
            organ=case.organ_id,
            action="document.render",
            obj=case,
            payload={
                "document": document.pk,
                "kind": kind,
                "number": number,
                "code": code,
                "issued_on": step.on,
                "template": label,
                "size": len(pdf),
                "sm3": stored.sm3,
                "sha256": stored.sha256,
                "storage_name": stored.storage_name,
            },
        )
    return document


class _Stored:
    def __init__(self, sm3: str, sha256: str, storage_name: str) -> None:
        self.sm3, self.sha256, self.storage_name = sm3, sha256, storage_name


def _store(pdf: bytes) -> _Stored:
    """The PDF in the evidence store, under its SM3 digest (never overwritten). A file
    stored for a transaction that then fails stays: content-addressed, harmless."""
    sm3 = hashlib.new("sm3", pdf).hexdigest()
    sha256 = hashlib.sha256(pdf).hexdigest()
    spooled = evidence_files.Spooled(
        io.BytesIO(pdf), len(pdf), sm3, sha256, "application/pdf", "pdf"
    )
    name, _new = evidence_files.store(spooled)
    return _Stored(sm3, sha256, name)


def open_pdf(document: IssuedDocument) -> bytes:
    with evidence_files.evidence_storage().open(document.storage_name, "rb") as handle:
        data: bytes = handle.read()
    return data


def sm3_of(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()

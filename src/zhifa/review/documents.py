"""What the legal review adds to the 法制审核表 (``legal_review_opinion``): the matters
submitted with the proposed handling (送审事项及拟处理意见), the day they were submitted
and each item of the review content (审核内容) with its conclusion and comment.

Cases imports no review code (docs/adr/0010-app-layers.md): ``ReviewConfig.ready``
registers :func:`legal_review_context` with ``cases.documents.register_context_provider``.
A legal_review step recorded without a request (an imported case, or the service called
directly) still gets its checklist from the step's ``checklist`` (item → ok / problem).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from zhifa.cases.models import Case, CaseStep
from zhifa.documents.rendering import cn_date

from .models import CHECKLIST, CRIME_ITEM, ReviewRequest


def _conclusion(code: str, ok: bool) -> str:
    if code == CRIME_ITEM:  # the item asks whether there is a crime: ok means none
        return "未发现" if ok else "涉嫌犯罪，应当移送"
    return "符合要求" if ok else "存在问题"


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


def legal_review_context(case: Case, step: CaseStep) -> Mapping[str, Any]:
    """The ``review`` entries of the 法制审核表 made from ``step`` (the case's
    legal_review step) and the review request that added it, if any."""
    request = ReviewRequest.objects.filter(step=step).first()
    if request is not None:
        found = {
            code: (bool(item.get("ok", True)), _flat(item.get("comment")))
            for code, item in (request.checklist or {}).items()
            if isinstance(item, Mapping)
        }
    else:
        stored = (step.data or {}).get("checklist") or {}
        found = {code: (value != "problem", "") for code, value in stored.items()}
    with translation.override("zh-hans"):  # the document is Chinese whoever renders it
        checklist = [
            {
                "label": str(item.label),
                "ok": found[item.code][0],
                "conclusion": _conclusion(item.code, found[item.code][0]),
                "comment": found[item.code][1],
            }
            for item in CHECKLIST
            if item.code in found
        ]
    review: dict[str, Any] = {"checklist": checklist}
    if request is not None:
        review |= {
            "note": request.note.strip(),
            "submitted_on": cn_date(request.submitted_on),
        }
    return {"review": review}

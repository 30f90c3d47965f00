"""The 法制审核表 (legal_review_opinion) reads the review request attached to the case's
legal_review step through the provider the review app registers (cases imports no
review code): the matters submitted, the day, each checklist item with its conclusion
and comment, the opinion and the reviewer."""

from __future__ import annotations

from django.utils import translation

from zhifa.cases import documents
from zhifa.cases.tests.conftest import PARTY
from zhifa.documents import rendering
from zhifa.documents.tests.test_rendering import text_of
from zhifa.review.documents import legal_review_context

from .conftest import OPINION, all_ok, complete


def test_the_legal_review_form_holds_the_request_and_its_checklist(submitted, ready) -> None:
    p = ready.p
    done = complete(
        submitted,
        p.reviewer_user,
        checklist=all_ok(discretion="罚款数额偏离裁量基准"),
        result="returned",
    )
    assert legal_review_context in documents._CONTEXT_PROVIDERS["legal_review_opinion"]
    with translation.override("en"):  # the document is Chinese whoever renders it
        document = documents.render_document(
            ready.case, "legal_review_opinion", actor=p.officer_user
        )
    text = text_of(rendering.open_pdf(document))
    assert document.step == done.step and document.number == "嘉市监审〔2026〕1号"
    assert document.number in text and PARTY["name"] in text
    assert "《中华人民共和国食品安全法》第一百二十四条第一款" in text
    assert "拟罚款十五万元。" in text and "2026年3月20日" in text  # the request
    assert "裁量基准存在问题罚款数额偏离裁量基准" in text  # item, conclusion, comment
    assert "案件事实符合要求" in text and "是否涉嫌犯罪未发现" in text
    assert OPINION in text and "审核结论：退回补充调查" in text
    assert f"审核人员：{p.reviewer.name}" in text and "2026年3月25日" in text

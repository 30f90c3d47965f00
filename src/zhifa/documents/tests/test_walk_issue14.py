"""What the walk through issue #14's documents found, as a user meets it: the case
page's names of the documents are the titles the PDFs print; the legal reviewer's form
says 审核意见 (not the statement's 复核意见)."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhifa.cases.content import SECTIONS
from zhifa.cases.documents import TITLES
from zhifa.documents.models import DocumentType
from zhifa.review.forms import ReviewForm


@pytest.mark.parametrize("kind", sorted(TITLES))
def test_the_case_page_names_each_document_by_its_printed_title(kind: str) -> None:
    # The case page lists DocumentType's label; the PDF and the dossier's index print
    # TITLES (结案审批表, not 结案报告).
    with translation.override("zh-hans"):
        assert str(DocumentType(kind).label) == TITLES[kind]


def test_the_legal_review_opinion_is_not_labelled_as_the_statement_review() -> None:
    with translation.override("zh-hans"):
        assert str(ReviewForm.base_fields["opinion"].label) == "审核意见"
        assert str(SECTIONS["review"].label) == "复核意见"

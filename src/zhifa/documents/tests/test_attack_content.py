"""Careless and hostile content (issue #14 review): texts as long as the step forms take
them in the cells of a form (立案审批表's 简要案情, a list's rows), hundreds of rows, a
list line of fifty parts, characters the font lacks. A document is a PDF or a clear
error naming the field; never a server error, never a number consumed without a
document."""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader

from zhifa.documents import layout

pytestmark = pytest.mark.django_db

#: A sentence of 40 characters, CJK with full-width punctuation and a few digits.
SENTENCE = "当事人在其经营场所销售超过保质期的乳制品共计12盒，货值金额人民币360元。"


def text_of(pdf: bytes) -> str:
    """The PDF's text without its page numbers ("— 2 —") and line breaks."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "".join(re.sub(r"—\s*\d+\s*—", "", page.extract_text()) for page in pages)
    return text.replace("\n", "").replace(" ", "")


def cpu(fn):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


# --- cells longer than a page -------------------------------------------------------------


def test_a_form_cell_longer_than_a_page_runs_on_to_the_next() -> None:
    """A 简要案情 of 20,000 characters (the content's limit) in the 立案审批表's grid: a
    table row is never split by the PDF library, so a cell taller than a page failed
    (LayoutError: a server error) from about 500 characters on."""
    long = (SENTENCE * 600)[:20_000]
    pdf, seconds = cpu(
        lambda: layout.build_pdf(
            layout.Document(
                [
                    layout.Block("title", "立案审批表"),
                    layout.Block("table", rows=(("当事人", "某公司"), ("简要案情", long))),
                ]
            )
        )
    )
    text = text_of(pdf)
    assert long in text and "简要案情" in text and "某公司" in text
    assert seconds < 5, f"{seconds:.1f} s of CPU for one cell"


def test_a_list_row_longer_than_a_page_and_many_lines_in_a_cell() -> None:
    """A 财物清单 row whose name is 2,000 characters and a cell of 200 lines of 200
    characters (a list joined into one cell): laid out once, not again at every page."""
    name = SENTENCE * 50
    many = "\n".join([SENTENCE * 5] * 200)
    rows = ((name, "规格甲", "数量乙"), ("乳", "盒", "9"))
    pdf, seconds = cpu(
        lambda: layout.build_pdf(
            layout.Document(
                [
                    layout.Block("grid", cells=(("名称", "规格", "数量"), *rows)),
                    layout.Block("table", rows=(("参加人员", many),)),
                ]
            )
        )
    )
    # the other cells of the long row are printed beside its first piece, the header
    # at the top of each page the list runs to
    text = text_of(pdf)
    assert "规格甲" in text and "数量乙" in text and text.count("名称规格数量") > 1
    text = text.replace("规格甲", "").replace("数量乙", "").replace("名称规格数量", "")
    assert name in text and text.count(SENTENCE) == 50 + 200 * 5
    assert seconds < 10, f"{seconds:.1f} s of CPU"


def test_a_short_form_is_laid_out_as_before() -> None:
    """Cells that fit are one row each, their grid drawn as before."""
    rows = (("当事人", "嘉兴某某食品有限公司"), ("简要案情", SENTENCE * 5))
    pdf = layout.build_pdf(layout.Document([layout.Block("table", rows=rows)]))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert SENTENCE * 5 in text_of(pdf)

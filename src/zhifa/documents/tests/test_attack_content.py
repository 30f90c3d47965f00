"""Careless and hostile content (issue #14 review): texts as long as the step forms take
them in the cells of a form (立案审批表's 简要案情, a list's rows), hundreds of rows, a
list line of fifty parts, characters the font lacks. A document is a PDF or a clear
error naming the field; never a server error, never a number consumed without a
document."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from zhifa.cases import content, documents, services
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import D, People, Walker, counts
from zhifa.cases.tests.test_ui_support import open_case, post_step
from zhifa.core.testing import client_for
from zhifa.documents import layout, rendering
from zhifa.documents.models import IssuedDocument, IssuedNumber, NumberPattern
from zhifa.records.models import Entry

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


# --- characters the font lacks, refused where they are typed ------------------------------

#: Typed by carelessness or on purpose: an emoji, a character outside the font (a rare
#: name character), a zero-width space and a right-to-left override (invisible: the
#: message names their code).
UNPRINTABLE = [("😀", "U+1F600"), ("𠮷", "U+20BB7"), ("\u200b", "U+200B"), ("\u202e", "U+202E")]


@pytest.mark.parametrize(("char", "code"), UNPRINTABLE)
def test_content_the_documents_cannot_print_is_refused_at_its_field(
    walk: Walker, char: str, code: str
) -> None:
    """Accepted, such a text made every document of the step unprintable for good (the
    step cannot be changed); it is refused where it is typed, naming the character."""
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk(
            services.register_case,
            actor=walk.p.head_user,
            on=D("2026-03-03"),
            by=[walk.p.o1],
            content={"summary": f"群众举报{char}，经核查符合立案条件。"},
        )
    messages = refused.value.message_dict["content.summary"]
    assert any(code in m for m in messages), messages
    assert counts() == before


def test_the_api_and_the_page_refuse_it_at_the_field(
    walk: Walker, power_item: Any, people: People
) -> None:
    officer, head = client_for(people.officer_user), client_for(people.head_user)
    case = open_case(officer, power_item)
    before = case.steps.count()
    api = head.post(
        f"/api/v1/cases/{case.pk}/steps",
        {
            "step": "registered",
            "on": "2026-03-03",
            "expected_steps": before,
            "by": [people.o1.pk],
            "content": {"summary": "群众举报😀"},
        },
        content_type="application/json",
    )
    assert api.status_code == 400, api.content
    errors = api.json()["errors"]
    assert [e["path"] for e in errors] == ["body.content.summary"], errors
    assert "U+1F600" in errors[0]["message"]
    page = post_step(
        head, case, "registered", on="2026-03-03", by=[people.o1.pk], content_summary="举报\u200b"
    )
    assert page.status_code == 400 and "U+200B" in page.content.decode()
    assert case.steps.count() == before


def test_a_steps_content_is_bounded_as_a_whole(walk: Walker) -> None:
    """Each text within its limit, 200 rows of them: four million characters, hours of
    layout for its document. The step's content as a whole is bounded."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    before = counts()
    rows = [{"question": "问" * 1000, "answer": "答" * 1000}] * content.ITEMS_MAX
    with pytest.raises(ValidationError) as refused:
        walk(
            services.record_investigation,
            on=D("2026-03-04"),
            officers=[walk.p.o1, walk.p.o2],
            evidence=["on_site_record"],
            content={"records": [{"kind": "inquiry", "qa": rows}]},
        )
    assert "content" in refused.value.message_dict, refused.value.message_dict
    assert f"{content.CONTENT_MAX:,}".replace(",", "") in " ".join(
        refused.value.message_dict["content"]
    ).replace(",", "")
    assert counts() == before


# --- what is not checked where it is typed: the document names the field ---------------


def test_a_party_name_the_font_lacks_is_named_and_consumes_no_number(walk: Walker) -> None:
    """A party's name with a rare character (the case was opened with it): the
    document is refused naming the field and the character, nothing is written (no
    number taken, no document, no entry), the page says so (no server error)."""
    walk.until_review()
    walk.decide()
    Case.objects.filter(pk=walk.case.pk).update(party_name="嘉兴𠮷野家食品有限公司")
    walk.case.refresh_from_db()
    written = lambda: (  # noqa: E731
        IssuedNumber.objects.count(),
        IssuedDocument.objects.count(),
        Entry.objects.count(),
    )
    before = written()
    with pytest.raises(ValidationError) as refused:
        documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)
    message = " ".join(refused.value.messages)
    assert "U+20BB7" in message and "party.name" in message, message
    assert written() == before
    page = client_for(walk.p.officer_user).post(
        reverse("cases:document_issue", args=[walk.case.pk, "service_receipt"]), follow=True
    )
    assert page.status_code == 200 and "U+20BB7" in page.content.decode()
    assert IssuedDocument.objects.count() == before[1]


# --- lists: 200 rows, a line of 50 parts ---------------------------------------------------


def test_a_list_of_200_rows_and_a_line_of_50_parts(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    fifty = "|".join(f"第{n}部分" for n in range(1, 51))
    items = [fifty] + [f"乳制品{n}|盒|{n}|" for n in range(2, content.ITEMS_MAX + 1)]
    walk(
        services.record_seizure,
        on=D("2026-03-05"),
        days=30,
        approved_by=walk.p.head,
        content={"items": items, "reasons": "防止证据灭失。"},
    )
    walk.case.refresh_from_db()
    document = documents.render_document(walk.case, "seizure_decision", actor=walk.p.officer_user)
    text = text_of(rendering.open_pdf(document))
    # the first three parts are name, specification and quantity; the rest the notes
    assert "第1部分第2部分第3部分第4部分" in text and "第50部分" in text
    assert f"乳制品{content.ITEMS_MAX}" in text


# --- markup and numbers --------------------------------------------------------------------


def test_typed_markup_is_printed_as_typed(walk: Walker) -> None:
    """The PDF library reads its paragraphs as markup: a typed tag neither changes the
    layout nor breaks the document."""
    typed = '<font size="300">大</font><br/><b>粗</b>&amp;<para>&#x41;'
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1],
        content={"summary": typed},
    )
    walk.case.refresh_from_db()
    document = documents.render_document(
        walk.case, "registration_approval", actor=walk.p.officer_user
    )
    assert typed.replace(" ", "") in text_of(rendering.open_pdf(document))


@pytest.mark.parametrize(
    "pattern", ["{organ}罚\n〔{year}〕{number}号", "{organ}\x00{number}", "{organ}😀{number}"]
)
def test_a_number_pattern_the_documents_cannot_print_is_refused(organ_a: Any, pattern: str) -> None:
    """A line break splits the number over two lines of the document; a control
    character or one the font lacks makes every document of its type unprintable."""
    row = NumberPattern(organ=organ_a, document_type="penalty_decision", pattern=pattern)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "pattern" in refused.value.message_dict

"""What the walk through issue #14's documents found, as a user meets it: the case
page's names of the documents are the titles the PDFs print; the legal reviewer's form
says 审核意见 (not the statement's 复核意见)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from zhifa.cases import documents, services
from zhifa.cases.content import SECTIONS
from zhifa.cases.documents import TITLES
from zhifa.cases.tests.conftest import D, People, Walker
from zhifa.cases.tests.test_step_content import _walk_with_content
from zhifa.cases.views import case_document_links
from zhifa.core.testing import client_for
from zhifa.documents import dossier, formats, layout
from zhifa.documents.models import DocumentType
from zhifa.review.forms import ReviewForm

from .test_rendering import _refused


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


# --- the layout ------------------------------------------------------------------------------


def _pages(blocks: list[layout.Block]) -> list[str]:
    pdf = layout.build_pdf(layout.Document(blocks))
    return [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_blank_row_of_a_list_is_a_line_high_to_be_filled_in_by_hand() -> None:
    # The 财物清单 of a seizure typed without items is printed with five blank rows.
    layout.register_fonts()
    grid = layout._grid([("序号", "名称"), ("1", "纯牛奶"), ("", ""), ("", "")], (), 14.0)
    grid.wrap(layout.TEXT_WIDTH, layout.TEXT_HEIGHT)
    filled, *blank = grid._rowHeights[1:]
    assert blank and all(height >= filled for height in blank)


def test_a_heading_is_never_the_last_line_of_a_page() -> None:
    # 法制审核表: "审核内容" stood alone at the foot of page 1, its table on page 2.
    blocks = [layout.Block("plain", f"第{n}行") for n in range(1, 22)]
    blocks += [layout.Block("heading", "审核内容"), layout.Block("body", "审核内容的第一段。")]
    pages = _pages(blocks)
    assert len(pages) == 2 and "审核内容的第一段" in pages[1]
    assert "审核内容" not in pages[0]


def test_a_forms_verification_code_never_stands_on_a_page_of_its_own() -> None:
    # 立案审批表, 结案审批表: a form that fills its page took the QR code to a page with
    # nothing else; its last row goes with it.
    rows = [(f"第{n}栏", f"内容{n}") for n in range(1, 17)]  # the table fills the page
    blocks = [layout.Block("title", "某某审批表"), layout.Block("table", rows=rows)]
    pages = _pages([*blocks, layout.Block("qr", "核验码：某某", qr="https://example.test/d/X")])
    assert len(pages) == 2 and "核验码" in pages[1]
    assert "内容16" in pages[1] and "内容15" in pages[0]


@pytest.mark.parametrize("lines", [20, 21])
def test_a_signature_without_a_body_paragraph_keeps_its_lines_together(lines: int) -> None:
    # 法制审核表 without a written opinion: 审核人员 on page 1 and its date on page 2, or
    # the QR code alone on page 2.
    blocks = [layout.Block("plain", f"第{n}行") for n in range(1, lines + 1)]
    blocks += [layout.Block("right", "审核人员：某某"), layout.Block("right", "2026年9月10日")]
    blocks += [layout.Block("qr", "核验码：某某", qr="https://example.test/d/X")]
    pages = _pages(blocks)
    assert "审核人员：某某" in pages[-1] and "2026年9月10日" in pages[-1]


# --- the documents ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_prior_notice_ends_no_paragraph_in_mid_sentence(
    organ_a: Any, power_item: Any, people: People, supervisor_city: Any
) -> None:
    # "依据……的规定，" stood alone, "本局拟对你（单位）作出如下行政处罚：" began the next one.
    case = _walk_with_content(people, power_item, supervisor_city)
    step = documents.source_step(case, "prior_notice")
    with translation.override("zh-hans"):
        context = documents.build_context(case, "prior_notice", step, "某号", "C", "https://x/d/C")
        wording, _label = formats.wording_for("prior_notice", case.organ.region.code, step.on)
        blocks = formats.fill("prior_notice", wording, context)
    paragraphs = [b.text for b in blocks if b.style == "body"]
    assert not [p for p in paragraphs if p.endswith("，")]
    intended = next(p for p in paragraphs if "本局拟对你（单位）作出如下行政处罚" in p)
    assert intended.startswith("依据《中华人民共和国食品安全法》")
    assert "的规定，本局拟对" in intended


def test_the_dossier_cover_fits_one_page_with_a_long_name_and_result() -> None:
    # A 案件名称 of two lines and a 处理结果 of two penalties took the cover's note to a
    # second page holding one line.
    cover = dossier.Cover(
        "嘉兴市市场监督管理局",
        "嘉兴市秀洲区鲜果园水果店未取得食品生产经营许可从事食品生产经营活动案",
        "嘉兴市秀洲区鲜果园水果店",
        "嘉市监立〔2026〕2号",
        "嘉市监罚〔2026〕9号",
        dt.date(2026, 11, 23),
        None,
        "罚款人民币60,000元、没收违法所得人民币3,200元；处罚决定已履行",
    )
    pdf = dossier._cover_pdf(cover, 9, 20)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


# --- the case page's list of documents -------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_source_lists_no_document_it_will_never_have(walk: Walker) -> None:
    # A source not registered listed 立案审批表, 事先告知书, 决定书 and 送达回证 as "not
    # available yet", for ever.
    _refused(walk)
    rows = case_document_links(walk.p.officer_user, walk.case)
    assert [r["kind"] for r in rows] == ["registration_refusal"]


@pytest.mark.django_db
def test_a_transferred_case_lists_no_prior_notice_it_will_never_have(
    walk: Walker, organ_b: Any
) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    rows = {r["kind"] for r in case_document_links(walk.p.officer_user, walk.case)}
    assert "prior_notice" in rows  # listed from the start, "not available yet"
    walk.investigate()
    walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        kind="organ",
        to_organ=organ_b,
        reason="违法行为发生地不在本局管辖区域",
        approved_by=walk.p.head,
    )
    rows = {r["kind"] for r in case_document_links(walk.p.officer_user, walk.case)}
    assert "prior_notice" not in rows and "transfer_letter" in rows


@pytest.mark.django_db
def test_a_steps_content_on_the_case_page_has_no_blank_lines_between_paragraphs(
    organ_a: Any, power_item: Any, people: People, supervisor_city: Any
) -> None:
    # The content's <dd> keeps the typed line breaks (white-space: pre-wrap), so the
    # template's line breaks between a record's paragraphs showed as blank lines (a
    # gap of three lines above the first question on the phone).
    case = _walk_with_content(people, power_item, supervisor_city)
    page = client_for(people.officer_user).get(f"/cases/{case.pk}/").content.decode()
    views = re.findall(r'<details class="step-content-view">.*?</details>', page, re.S)
    assert views and any("<p>" in view for view in views)
    for view in views:
        for dd in re.findall(r"<dd>(.*?)</dd>", view, re.S):
            assert not re.search(r">\s+<", dd), dd


@pytest.mark.parametrize("lines", [16, 17, 18, 19, 20])
def test_a_records_signature_lines_go_together_with_its_verification_code(lines: int) -> None:
    # 现场检查笔录: the QR code took only 记录人（签名） with it, 当事人 and 检查人员 stayed
    # on the page before.
    blocks = [layout.Block("body", f"第{n}段。") for n in range(1, lines + 1)]
    blocks += [layout.Block("gap")]
    signers = ("当事人", "检查人员", "记录人")
    blocks += [layout.Block("plain", f"{who}（签名）：") for who in signers]
    pages = _pages([*blocks, layout.Block("qr", "核验码：某某", qr="https://example.test/d/X")])
    assert all(f"{who}（签名）" in pages[-1] for who in signers)
    assert "核验码" in pages[-1] and "段。" in "".join(pages)


@pytest.mark.parametrize("style", ["body", "plain"])
def test_a_paragraphs_last_line_never_stands_alone_at_the_top_of_a_page(style: str) -> None:
    # 行政处罚决定书: "款的数额。" alone at the top of page 2 (a widow): a paragraph of four
    # lines with room for three leaves two on each page.
    layout.register_fonts()
    text = "甲" * 26 + "乙" * 28 + "丙" * 28 + "丁丁丁丁。"
    paragraph = Paragraph(text, layout._style(style))
    paragraph.wrap(layout.TEXT_WIDTH, layout.TEXT_HEIGHT)
    assert len(paragraph.blPara.lines) == 4
    first, second = paragraph.split(layout.TEXT_WIDTH, 3.5 * layout.BODY_LEADING)
    first.wrap(layout.TEXT_WIDTH, layout.TEXT_HEIGHT)
    second.wrap(layout.TEXT_WIDTH, layout.TEXT_HEIGHT)
    assert len(first.blPara.lines) == 2 and len(second.blPara.lines) == 2

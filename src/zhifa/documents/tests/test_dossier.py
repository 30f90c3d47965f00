"""The case's file (案卷) as one PDF (issue #14 item 4): a cover, the index (卷内目录) and
the issued documents' stored PDFs in filing order, every page numbered; on the case page
and in the API, with the scope of the case's documents."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from reportlab.lib.units import mm

from zhifa.cases import documents
from zhifa.cases import dossier as case_dossier
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import PARTY, People, Walker
from zhifa.cases.tests.test_step_content import _walk_with_content
from zhifa.core.testing import client_for
from zhifa.documents import dossier, formats, layout, rendering
from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.records.models import Entry
from zhifa.records.services import add_evidence
from zhifa.records.tests.files import PNG, evidence_kwargs, upload

pytestmark = pytest.mark.django_db

#: The documents issued in the test case, in the order they are issued (not filed).
ISSUED = [
    ("collective_discussion_record", 0),
    ("penalty_decision", 0),
    ("inquiry_record", 1),
    ("prior_notice", 0),
    ("registration_approval", 0),
    ("service_receipt", 0),
    ("investigation_report", 0),
]
#: The filing order of those (FILING_ORDER): 正卷 then 副卷.
FILED = [
    "registration_approval",
    "penalty_decision",
    "service_receipt",
    "prior_notice",
    "inquiry_record",
    "investigation_report",
    "collective_discussion_record",
]


def pages_of(pdf: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def page_text(page: Any) -> str:
    return str(page.extract_text()).replace("\n", "")


def stamp_on(page: Any) -> str:
    """The text drawn in the top margin's right half (where the page number goes), read
    from the page's content by position."""
    height, width = float(page.mediabox.height), float(page.mediabox.width)
    found: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and y > height - layout.MARGIN_TOP + 5 * mm and x > width / 2:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return "".join(found)


@pytest.fixture
def content_case(organ_a: Any, power_item: Any, people: People, supervisor_city: Any) -> Case:
    return _walk_with_content(people, power_item, supervisor_city)


@pytest.fixture
def issued(content_case: Case, people: People) -> list[IssuedDocument]:
    """The case served, paid and closed, then its documents issued (out of order)."""
    Walker(content_case, people).close("2026-04-10")
    content_case.refresh_from_db()
    return [
        documents.render_document(content_case, kind, actor=people.officer_user, part=part)
        for kind, part in ISSUED
    ]


def test_every_document_type_has_its_place_in_the_filing_order() -> None:
    kinds = [kind for kind, _volume in dossier.FILING_ORDER]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == set(DocumentType.values), (
        "a document type needs its place in documents.dossier.FILING_ORDER"
    )
    volumes = [volume for _kind, volume in dossier.FILING_ORDER]
    # the 正卷 first, then the 副卷; the decision and its 送达回证 right after the approval
    assert volumes == sorted(volumes, key=[dossier.MAIN, dossier.SUPPLEMENT].index)
    assert kinds.index("penalty_decision") + 2 == kinds.index("service_receipt")


def test_the_dossier_holds_the_documents_in_filing_order_with_page_numbers(
    content_case: Case, people: People, issued: list[IssuedDocument]
) -> None:
    recorded = Entry.objects.count()
    response = client_for(people.officer_user).get(reverse("cases:dossier", args=[content_case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    pdf = response.content
    pages = pages_of(pdf)
    by_kind = {d.kind: d for d in issued}
    stored = {d.kind: rendering.open_pdf(d) for d in issued}
    # The pages: the cover, the index, and each document's own pages, no more.
    built = case_dossier.build_case_dossier(people.officer_user, content_case)
    document_pages = sum(len(pages_of(p)) for p in stored.values())
    assert len(pages) == built.pages == 1 + (built.front_pages - 1) + document_pages
    assert built.front_pages == 2  # seven documents: a one-page index
    # Filed in order, each row's page range holding that document's pages (its 文号 and
    # its text), one after the other from the page after the index.
    assert [row.kind for row in built.rows] == FILED
    expected_first = built.front_pages + 1
    for row in built.rows:
        document = by_kind[row.kind]
        assert row.number == document.number and row.first == expected_first
        own = pages_of(stored[row.kind])
        assert row.last - row.first + 1 == len(own)
        for n, page in enumerate(own):
            assert page_text(page) in page_text(pages[row.first - 1 + n])
        assert document.number in page_text(pages[row.first - 1])
        expected_first = row.last + 1
    assert expected_first == len(pages) + 1
    # Every page carries its number at the top right, 1 to the last.
    assert [stamp_on(page) for page in pages] == [str(n) for n in range(1, len(pages) + 1)]
    # The index lists each document with its 文号, title, day and page range.
    index = page_text(pages[1]).replace(" ", "")
    assert "卷内目录" in index and "正卷" in index and "副卷" in index
    for row in built.rows:
        document = by_kind[row.kind]
        assert f"{row.seq}{document.number}{row.title}{document.issued_on}{row.pages}" in index
    # Every 文号 is in the extracted text; the cover names the case.
    text = "".join(page_text(p) for p in pages)
    for document in issued:
        assert document.number in text
    cover = page_text(pages[0])
    assert "行政处罚案卷" in cover and content_case.organ.name in cover
    assert PARTY["name"] + "生产经营不符合食品安全标准的食品案" in cover
    assert content_case.registration_number in cover
    assert "2026年3月3日" in cover and "2026年4月10日" in cover  # registered, closed
    assert "罚款人民币150,000元；处罚决定已履行" in cover
    assert f"共{len(issued)}件，{len(pages)}页" in cover
    assert "保管期限" not in cover  # no rule cited for it: left out
    # The stored documents are untouched, the dossier the same each time, and reading
    # it writes nothing in the record.
    assert all(rendering.sm3_of(stored[d.kind]) == d.sm3 for d in issued)
    assert built.pdf == pdf
    assert Entry.objects.count() == recorded


def test_the_index_lists_the_case_evidence_files_with_their_digest(
    content_case: Case, people: People, issued: list[IssuedDocument]
) -> None:
    evidence = add_evidence(**evidence_kwargs(people.officer_user, obj=content_case))
    odd = add_evidence(
        **evidence_kwargs(
            people.officer_user, obj=content_case, title="现场照片𠮷", upload=upload(PNG + b"2")
        )
    )
    built = case_dossier.build_case_dossier(people.officer_user, content_case)
    index = page_text(pages_of(built.pdf)[1])
    assert "电子证据文件" in index and "现场照片（照片，2026-" in index
    assert evidence.sm3 in index and odd.sm3 in index
    # A character the font lacks is marked (〓), not a reason to refuse the dossier.
    assert "现场照片〓" in index
    # The documents do not move: the evidence is listed, not filed.
    assert built.rows[0].first == 3


def test_a_scan_filed_after_the_service_receipt(
    content_case: Case, people: People, issued: list[IssuedDocument], monkeypatch: Any
) -> None:
    """The hook for the signed 送达回证 scan: what it returns is filed right after the
    blank receipt, each with its own row in the index — an image on a page of its own,
    a PDF's pages, and a file that cannot be read as a page saying so with its digest."""
    served = content_case.steps.get(step="served")
    two_pages = layout.build_pdf(
        layout.Document([layout.Block("body", "签收" * 400)]), page_numbers=False
    )
    assert len(pages_of(two_pages)) == 2

    def attachment(title: str, data: bytes, content_type: str, sm3: str) -> dossier.Attachment:
        return dossier.Attachment(title, served.on, data, content_type, sm3)

    scans = [
        attachment("送达回证（签收件）", _png(), "image/png", "f" * 64),
        attachment("送达回证（签收件二）", two_pages, "application/pdf", "e" * 64),
        attachment("送达回证（损坏）", b"%PDF-1.4 broken", "application/pdf", "d" * 64),
    ]
    asked: list[Any] = []

    def hook(user: Any, case: Case, document: IssuedDocument) -> list[dossier.Attachment]:
        asked.append(document.kind)
        return scans

    monkeypatch.setitem(case_dossier.ATTACHMENTS, DocumentType.SERVICE_RECEIPT, hook)
    built = case_dossier.build_case_dossier(people.officer_user, content_case)
    pages = pages_of(built.pdf)
    assert asked == ["service_receipt"]
    titles = [row.title for row in built.rows]
    receipt = titles.index("送达回证")
    assert titles[receipt + 1 : receipt + 4] == [s.title for s in scans]
    assert [row.note for row in built.rows[receipt + 1 : receipt + 4]] == ["扫描件"] * 3
    image, pdf, broken = built.rows[receipt + 1 : receipt + 4]
    assert image.first == image.last == built.rows[receipt].last + 1
    assert (pdf.first, pdf.last) == (image.last + 1, image.last + 2)
    assert broken.first == broken.last == pdf.last + 1
    assert "d" * 64 in page_text(pages[broken.first - 1])
    assert built.rows[receipt + 4].first == broken.last + 1
    assert built.pages == len(pages)
    assert [stamp_on(page) for page in pages] == [str(n) for n in range(1, len(pages) + 1)]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_case_page_links_the_dossier_and_says_what_it_lacks(
    content_case: Case, people: People, monkeypatch: Any
) -> None:
    documents.render_document(content_case, "registration_approval", actor=people.officer_user)
    page = client_for(people.officer_user).get(reverse("cases:detail", args=[content_case.pk]))
    html = page.content.decode()
    assert reverse("cases:dossier", args=[content_case.pk]) in html
    notice = re.search(r'<p class="note" id="dossier-missing">(.*?)</p>', html, re.S)
    assert notice is not None
    # Issued: not listed; recorded steps whose document is not issued: listed.
    assert "立案审批表" not in notice.group(1)
    for label in ("行政处罚决定书", "行政处罚事先告知书", "案件调查终结报告"):
        assert label in notice.group(1)
    # A step that numbered a document no template renders (yet) is named with its number.
    kinds = formats.kinds()
    monkeypatch.setattr(formats, "kinds", lambda: [k for k in kinds if k != "prior_notice"])
    number = content_case.steps.get(step="prior_notice").document_number
    html = client_for(people.officer_user).get(f"/cases/{content_case.pk}/").content.decode()
    notice = re.search(r'<p class="note" id="dossier-missing">(.*?)</p>', html, re.S)
    assert notice is not None and number in notice.group(1)


def test_scope_of_the_dossier(
    content_case: Case,
    people: People,
    issued: list[IssuedDocument],
    officer_b: Any,
    supervisor_city: Any,
    supervisor_county_c: Any,
) -> None:
    page = reverse("cases:dossier", args=[content_case.pk])
    api = f"/api/v1/cases/{content_case.pk}/dossier"
    document = reverse("cases:document_file", args=[content_case.pk, issued[0].pk])
    # Another organ's officer, a supervisor of another region: as if no such case.
    for outsider in (officer_b, supervisor_county_c):
        client = client_for(outsider)
        assert client.get(page).status_code == 404
        assert client.get(api).status_code == 404
        assert client.get(document).status_code == 404
    # Anonymous: the page sends to the login, the API answers 401.
    anonymous = Client()
    response = anonymous.get(page)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert anonymous.get(api).status_code == 401
    # Whoever opens the case's documents opens its dossier: the supervisor of the
    # organ's region as the organ's officer.
    for reader in (people.officer_user, supervisor_city):
        client = client_for(reader)
        assert client.get(document).status_code == 200
        got = client.get(api)
        assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
        assert "attachment" in got["Content-Disposition"]
        assert got.content == client.get(page).content


def test_a_dossier_too_large_is_refused_with_a_message(
    content_case: Case, people: People, issued: list[IssuedDocument], monkeypatch: Any
) -> None:
    monkeypatch.setattr(dossier, "MAX_PAGES", 5)
    client = client_for(people.officer_user)
    response = client.get(reverse("cases:dossier", args=[content_case.pk]), follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{content_case.pk}/"
    assert "超过 5 页的上限" in response.content.decode()
    refused = client.get(f"/api/v1/cases/{content_case.pk}/dossier")
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"


def test_a_case_without_documents_has_a_cover_and_an_empty_index(walk: Walker) -> None:
    built = case_dossier.build_case_dossier(walk.p.officer_user, walk.case)
    pages = pages_of(built.pdf)
    assert built.pages == len(pages) == built.front_pages == 2 and built.rows == []
    assert "尚未作出处理决定" in page_text(pages[0]) and "未结案" in page_text(pages[0])
    assert "本案尚无已出具的文书" in page_text(pages[1])
    assert [stamp_on(p) for p in pages] == ["1", "2"]


def test_an_index_of_several_pages_shifts_the_documents(monkeypatch: Any) -> None:
    """The index's own length decides where the documents start: laid out again until
    its page ranges hold."""
    import datetime as dt

    one = layout.build_pdf(layout.Document([layout.Block("title", "询问笔录")]))
    items = [
        dossier.Item(
            kind="inquiry_record",
            title=f"询问笔录（{n}）",
            number=f"嘉市监询〔2026〕{n}号",
            issued_on=dt.date(2026, 3, 4),
            pdf=one,
            part=n,
        )
        for n in range(1, 61)
    ]
    cover = dossier.Cover("某局", "某案", "某公司", "", "", None, None, "")
    built = dossier.build_dossier(cover, list(reversed(items)))
    index_pages = built.front_pages - 1
    assert index_pages >= 2
    assert [row.first for row in built.rows] == list(range(2 + index_pages, 2 + index_pages + 60))
    assert [row.title for row in built.rows][:2] == ["询问笔录（1）", "询问笔录（2）"]
    assert built.pages == len(pages_of(built.pdf)) == 1 + index_pages + 60

"""A case's file (案卷) as one PDF: a cover (卷宗封面), the index (卷内目录) and the issued
documents' stored PDFs in filing order, every page stamped with its page number.

The documents are the evidence — their stored bytes, whose digests the organ's record
holds — and are never rendered again: their pages are copied into the dossier as they
are, and only the dossier's page number (页号) is added in the top margin, outside the
GB/T 9704 text block (the documents keep their own "— N —" at the foot). The index
gives each document's 文号, title, day and page range; the evidence files attached
to the case are listed with their SM3 digest (they stay in the evidence store, not in
the PDF).

The filing order (``FILING_ORDER``) is declared once, keyed by ``DocumentType``, and
is the order of the 正卷 and 副卷 described in docs/documents.md ("The 案卷 PDF", with
its sources). This module knows no case (docs/adr/0010-app-layers.md): the case side
(``cases.dossier``) says which documents, scans and evidence files go in, and the cover.

The output is invariant: the same documents and facts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import layout
from .models import DocumentType

MAIN = "正卷"
SUPPLEMENT = "副卷"

#: The filing order (立卷归档顺序): each document type with its volume, in the order the
#: documents are filed. 正卷: the 立案 (or 不予立案) approval form; the decision and its
#: 送达回证; the other documents served on the party, in procedure order; the evidence
#: (询问笔录, then 现场检查笔录); the 听证笔录; other material. 副卷: the case source,
#: the 调查终结报告, the legal review opinion, the collective discussion record, the
#: closure report. Several documents of one type follow their day, then their record.
#: Every ``DocumentType`` is declared here (a test checks it): a new type takes its
#: place in this list. A type missing from it would be filed at the end of the 正卷.
FILING_ORDER: tuple[tuple[str, str], ...] = (
    (DocumentType.REGISTRATION_APPROVAL, MAIN),
    (DocumentType.REGISTRATION_REFUSAL, MAIN),
    (DocumentType.PENALTY_DECISION, MAIN),
    (DocumentType.NO_PENALTY_DECISION, MAIN),
    (DocumentType.SERVICE_RECEIPT, MAIN),
    (DocumentType.PRESERVATION_NOTICE, MAIN),
    (DocumentType.SEIZURE_DECISION, MAIN),
    (DocumentType.PRIOR_NOTICE, MAIN),
    (DocumentType.HEARING_NOTICE, MAIN),
    (DocumentType.DEFERRAL_DECISION, MAIN),
    (DocumentType.DEMAND, MAIN),
    (DocumentType.INQUIRY_RECORD, MAIN),
    (DocumentType.ON_SITE_INSPECTION_RECORD, MAIN),
    (DocumentType.HEARING_RECORD, MAIN),
    (DocumentType.TRANSFER_LETTER, MAIN),
    (DocumentType.CASE_SOURCE, SUPPLEMENT),
    (DocumentType.INVESTIGATION_REPORT, SUPPLEMENT),
    (DocumentType.LEGAL_REVIEW_OPINION, SUPPLEMENT),
    (DocumentType.COLLECTIVE_DISCUSSION_RECORD, SUPPLEMENT),
    (DocumentType.CLOSURE_REPORT, SUPPLEMENT),
)
_RANK = {kind: n for n, (kind, _volume) in enumerate(FILING_ORDER)}
_VOLUME = dict(FILING_ORDER)
#: Where an undeclared type goes: after the 正卷's last type, before the 副卷.
_UNDECLARED_RANK = max(n for n, (_k, v) in enumerate(FILING_ORDER) if v == MAIN) + 0.5

#: The most pages a dossier may have. It is built in the request, reading and copying
#: every page (about 12 ms a page on a loaded 2-core machine, docs/documents.md "The
#: 案卷 PDF"): past this a case is refused with a message rather than tying up a worker
#: for more than a few seconds.
MAX_PAGES = 500

#: The dossier's page number (页号): Arabic numerals at the upper right of each page, in
#: the top margin (37 mm) above the GB/T 9704 text block, flush with its right edge, in
#: the PDF's standard Times (digits only: nothing to embed).
STAMP_SIZE = 12.0
STAMP_FROM_TOP = 18 * mm
STAMP_FONT = "Times-Roman"
STAMP_RESOURCE = "/ZhifaPageNumber"

#: The columns of the index (mm; 156 in all, the text block's width): 序号, 文号, 题名,
#: 日期, 页号, 备注 ("扫描件" for a scan filed after a document). A document's
#: verification code is printed on the document itself, with its QR code.
INDEX_WIDTHS = (10.5, 47.0, 41.5, 22.5, 17.0, 17.5)
EVIDENCE_WIDTHS = (10.5, 145.5)
#: 五号 in the index's cells (the forms' lists are in 4号): six columns on one line.
INDEX_SIZE = 10.5


class DossierTooLarge(ValidationError):
    """The dossier would have more than ``MAX_PAGES`` pages."""


@dataclass(frozen=True)
class Attachment:
    """A file filed right after a document, such as the signed scan of a 送达回证: a PDF
    (its pages copied) or an image (on an A4 page of its own)."""

    title: str
    on: dt.date
    data: bytes
    content_type: str
    sm3: str


@dataclass(frozen=True)
class Item:
    """An issued document: its stored PDF and what the index says of it."""

    kind: str
    title: str
    number: str
    issued_on: dt.date
    pdf: bytes
    part: int = 0
    #: Ties between documents of one type, day and record (the document's id).
    order: int = 0
    attachments: Sequence[Attachment] = ()


@dataclass(frozen=True)
class EvidenceFile:
    title: str
    kind: str
    collected_on: dt.date
    sm3: str


@dataclass(frozen=True)
class Cover:
    """The cover's facts (卷宗封面)."""

    organ: str
    #: 案件名称 (案由): the party, the conduct, 案 (当事人名称全称+违法行为表述+案).
    title: str
    party: str
    registration_number: str
    decision_number: str
    registered_on: dt.date | None
    closed_on: dt.date | None
    #: 处理结果: the decision (and how the case ended), in a sentence.
    result: str


@dataclass(frozen=True)
class Row:
    """One row of the index: a document (or an attachment) and its pages."""

    seq: int
    volume: str
    kind: str
    number: str
    title: str
    on: dt.date
    first: int
    last: int
    note: str

    @property
    def pages(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Dossier:
    pdf: bytes
    pages: int
    #: The cover's and the index's pages (the documents start after them).
    front_pages: int
    rows: list[Row] = field(default_factory=list)


def filing_key(kind: str, issued_on: dt.date, part: int = 0, order: int = 0) -> tuple[float, ...]:
    """The place of a document in the file: its type's place in ``FILING_ORDER``, then
    its day, its record and its id."""
    return (_RANK.get(kind, _UNDECLARED_RANK), issued_on.toordinal(), part, order)


def volume_of(kind: str) -> str:
    return _VOLUME.get(kind, MAIN)


def in_filing_order(items: Sequence[Item]) -> list[Item]:
    return sorted(items, key=lambda i: filing_key(i.kind, i.issued_on, i.part, i.order))


def _image_page(data: bytes) -> bytes:
    """An image on an A4 page of its own, fitted inside the GB/T 9704 margins."""
    image = ImageReader(io.BytesIO(data))
    width, height = image.getSize()
    scale = min(layout.TEXT_WIDTH / width, layout.TEXT_HEIGHT / height)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT), invariant=1)
    w, h = width * scale, height * scale
    x = layout.MARGIN_LEFT + (layout.TEXT_WIDTH - w) / 2
    y = layout.MARGIN_BOTTOM + (layout.TEXT_HEIGHT - h)
    canvas.drawImage(image, x, y, w, h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


#: The most pages of an attachment filed in the dossier (a scan of a signed receipt:
#: ``cases.actions.service_receipt.MAX_SCAN_PAGES`` refuses more at the upload); one of
#: more is filed as a page saying so.
MAX_ATTACHMENT_PAGES = 20
#: The most pixels of an image filed on a page (decoded to be drawn:
#: ``cases.actions.service_receipt.MAX_SCAN_PIXELS`` refuses more at the upload).
MAX_ATTACHMENT_PIXELS = 40_000_000


def _attachment_reader(attachment: Attachment) -> PdfReader:
    """The pages of an attachment: a PDF's own, an image on a page of its own (the first
    frame of a multi-page TIFF), or, for a file that is neither, cannot be read, has
    more than ``MAX_ATTACHMENT_PAGES`` pages or ``MAX_ATTACHMENT_PIXELS`` pixels (a
    decompression bomb), a page saying so with its digest: one bad scan does not take
    the whole dossier down."""
    try:
        if attachment.content_type == "application/pdf":
            reader = _reader(attachment.data)
            if 1 <= len(reader.pages) <= MAX_ATTACHMENT_PAGES:
                return reader
        elif attachment.content_type.startswith("image/"):
            with Image.open(io.BytesIO(attachment.data)) as image:
                width, height = image.size
            if width * height <= MAX_ATTACHMENT_PIXELS:
                return _reader(_image_page(attachment.data))
    except Exception:  # noqa: S110 - PIL's and pypdf's many ways of "cannot read this"
        pass
    note = [
        layout.Block("title", layout.printable(attachment.title)),
        layout.Block(
            "body",
            f"该文件（{layout.printable(attachment.content_type)}）无法并入本卷，存于证据库，"
            f"SM3摘要：{attachment.sm3}。",
        ),
    ]
    return _reader(layout.build_pdf(layout.Document(note), page_numbers=False))


def not_filed_page(title: str, number: str, sm3: str) -> bytes:
    """The page filed in place of an issued document whose stored PDF is missing or is
    not the file issued (``rendering.StoredDocumentBroken``)."""
    blocks = [
        layout.Block("title", layout.printable(title)),
        layout.Block(
            "body",
            f"该文书（{layout.printable(number) or '无文号'}）的存档文件缺失或与出具时的数字"
            f"摘要不符，未并入本卷。出具时的SM3摘要：{sm3}。",
        ),
    ]
    return layout.build_pdf(layout.Document(blocks), page_numbers=False)


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _cover_pdf(cover: Cover, documents: int, pages: int) -> bytes:
    p = layout.printable
    rows = [
        ("作出机关", p(cover.organ)),
        ("案件名称", p(cover.title)),
        ("当 事 人", p(cover.party)),
        ("立 案 号", p(cover.registration_number) or "—"),
        ("决定书文号", p(cover.decision_number) or "—"),
        ("立案日期", _date(cover.registered_on) or "—"),
        ("结案日期", _date(cover.closed_on) or "未结案"),
        ("处理结果", p(cover.result) or "—"),
        ("卷内文件", f"共{documents}件，{pages}页"),
    ]
    note = (
        "本卷汇编本机关已出具文书的存档件，按立卷归档顺序排列；各件的文号、日期和页号"
        "见卷内目录，核验码和二维码印于各件文书，电子证据文件的SM3摘要列于目录之后。"
        "页号为汇编时加注，文书存档件及其数字摘要不因此改变。"
    )
    # The cover is one page: with less air above and under the title when a long 案件名称
    # or 处理结果 would take the note to a page of its own.
    for above, under in ((2, 2), (1, 1), (0, 0)):
        blocks = [
            *([layout.Block("gap", lines=above)] if above else []),
            layout.Block("title", p(cover.organ)),
            layout.Block("title", "行政处罚案卷"),
            *([layout.Block("gap", lines=under)] if under else []),
            layout.Block("table", rows=rows),
            layout.Block("gap"),
            layout.Block("small", note),
        ]
        pdf = layout.build_pdf(
            layout.Document(blocks, title=f"{cover.title}案卷", subject=cover.registration_number),
            page_numbers=False,
        )
        if len(_reader(pdf).pages) == 1:
            break
    return pdf


def _index_pdf(rows: Sequence[Row], evidence: Sequence[EvidenceFile]) -> bytes:
    p = layout.printable
    grid: list[tuple[str, ...]] = [("序号", "文号", "题名", "日期", "页号", "备注")]
    volume = ""
    for row in rows:
        if row.volume != volume:
            volume = row.volume
            grid.append((volume,))
        grid.append(
            (str(row.seq), p(row.number), p(row.title), row.on.isoformat(), row.pages, row.note)
        )
    blocks = [
        layout.Block("title", "卷内目录"),
        layout.Block("grid", cells=grid, widths=INDEX_WIDTHS, size=INDEX_SIZE),
    ]
    if not rows:
        blocks.append(layout.Block("center", "（本案尚无已出具的文书）"))
    if evidence:
        listed: list[tuple[str, ...]] = [("序号", "电子证据文件（存于证据库，未并入本卷）")]
        for n, e in enumerate(evidence, start=1):
            listed.append(
                (
                    str(n),
                    f"{p(e.title)}（{p(e.kind)}，{e.collected_on.isoformat()}）SM3：\n{e.sm3}",
                )
            )
        listing = layout.Block("grid", cells=listed, widths=EVIDENCE_WIDTHS, size=INDEX_SIZE)
        blocks += [layout.Block("gap"), listing]
    return layout.build_pdf(layout.Document(blocks, title="卷内目录"), page_numbers=False)


def _rows(items: Sequence[Item], sizes: Sequence[Sequence[int]], start: int) -> list[Row]:
    """The index's rows, the first document starting on page ``start``; ``sizes``: the
    pages of each item's document and of each of its attachments."""
    rows: list[Row] = []
    page = start
    for item, counts in zip(items, sizes, strict=True):
        volume = volume_of(item.kind)
        parts = [(item.number, item.title, item.issued_on, "")] + [
            (item.number, a.title, a.on, "扫描件") for a in item.attachments
        ]
        for (number, title, on, note), count in zip(parts, counts, strict=True):
            last = page + count - 1
            rows.append(Row(len(rows) + 1, volume, item.kind, number, title, on, page, last, note))
            page += count
    return rows


def build_dossier(
    cover: Cover, items: Sequence[Item], evidence: Sequence[EvidenceFile] = ()
) -> Dossier:
    """The dossier of ``items`` (sorted here into the filing order) under ``cover``,
    listing ``evidence``. Raises ``DossierTooLarge`` past ``MAX_PAGES`` pages."""
    items = in_filing_order(items)
    readers = [
        [_reader(item.pdf), *(_attachment_reader(a) for a in item.attachments)] for item in items
    ]
    sizes = [[len(reader.pages) for reader in body] for body in readers]
    content_pages = sum(map(sum, sizes))
    documents = sum(len(s) for s in sizes)
    if content_pages + 2 > MAX_PAGES:
        raise _too_large(content_pages + 2)
    # The front matter's length decides where the documents start, which the index
    # prints: lay it out again until it fits the pages it assumed (the counts only grow,
    # so this ends; an index shorter than assumed is followed by blank pages). The cover
    # is one page but for a very long name.
    cover_pages, index_pages = 1, 1
    while True:
        rows = _rows(items, sizes, start=cover_pages + index_pages + 1)
        total = cover_pages + index_pages + content_pages
        if total > MAX_PAGES:
            raise _too_large(total)
        index_reader = _reader(_index_pdf(rows, evidence))
        cover_reader = _reader(_cover_pdf(cover, documents, total))
        got = len(cover_reader.pages), len(index_reader.pages)
        if got[0] <= cover_pages and got[1] <= index_pages:
            break
        cover_pages, index_pages = max(cover_pages, got[0]), max(index_pages, got[1])
    writer = PdfWriter()
    _append(writer, cover_reader, pad_to=cover_pages)
    writer.add_outline_item(title="封面", page_number=0)
    _append(writer, index_reader, pad_to=index_pages)
    writer.add_outline_item(title="卷内目录", page_number=cover_pages)
    for body in readers:
        for reader in body:
            _append(writer, reader)
    for row in rows:
        writer.add_outline_item(
            title=f"{row.seq} {row.title} {row.number}".strip(), page_number=row.first - 1
        )
    # pypdf has no public call to add an object to a writer; its own page merging uses
    # this one (the version is pinned, docs/adr/0002-dependencies.md).
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/" + STAMP_FONT),
            }
        )
    )
    for number, page in enumerate(writer.pages, start=1):
        _stamp(writer, page, number, font)
    writer.add_metadata({"/Title": f"{cover.title}案卷", "/Creator": "Zhifa"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return Dossier(buffer.getvalue(), total, cover_pages + index_pages, rows)


def _stamp(writer: PdfWriter, page: PageObject, number: int, font: IndirectObject) -> None:
    """Draw ``number`` at the upper right of ``page``: the page's content wrapped in
    q/Q (whatever graphics state it leaves, the number is drawn on the bare page), then
    a content stream of its own, with the font named in the page's resources. Cheaper
    than merging a page: no content is parsed."""
    box = page.mediabox
    text = str(number)
    x = float(box.right) - layout.MARGIN_RIGHT - stringWidth(text, STAMP_FONT, STAMP_SIZE)
    y = float(box.top) - STAMP_FROM_TOP
    resources = page.get("/Resources")
    if resources is None:
        resources = DictionaryObject()
        page[NameObject("/Resources")] = resources
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts.get_object()[NameObject(STAMP_RESOURCE)] = font
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    draw = f"BT {STAMP_RESOURCE} {STAMP_SIZE:g} Tf 0 g {x:.2f} {y:.2f} Td ({text}) Tj ET"
    after.set_data(f"\nQ q {draw} Q\n".encode("ascii"))
    contents = page.get("/Contents")
    refs: list[Any] = []
    if contents is not None:
        old = contents.get_object()
        refs = list(old) if isinstance(old, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *refs, writer._add_object(after)]
    )


def _too_large(pages: int) -> DossierTooLarge:
    return DossierTooLarge(
        {
            "case": _(
                "The dossier would have %(pages)s pages, more than %(limit)s: download the "
                "documents one by one."
            )
            % {"pages": pages, "limit": MAX_PAGES}
        }
    )


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _append(writer: PdfWriter, reader: PdfReader, pad_to: int = 0) -> None:
    """``reader``'s pages at the end of ``writer``, then blank pages up to ``pad_to``."""
    for page in reader.pages:
        added = writer.add_page(page)
        if added.rotation:  # a scan turned by its viewer: the stamp goes on the page as seen
            added.transfer_rotation_to_content()
    for _blank in range(pad_to - len(reader.pages)):
        writer.add_blank_page(layout.PAGE_WIDTH, layout.PAGE_HEIGHT)

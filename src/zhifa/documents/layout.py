"""The page layout of GB/T 9704-2012 (党政机关公文格式), the one place that knows it.

A4 (210 mm × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the
text block is 156 mm × 225 mm; body text 3号 (16 pt) in 22 lines of 28 characters; the
title 2号 (22 pt) in a heavy Song style, centred; page numbers 4号 (14 pt) as
"— 1 —", 7 mm below the text block, odd pages on the right and even pages on the
left, one character in from the edge of the text block.

The fonts are the ones shipped in ``fonts/`` (a GB 2312 subset of Noto Serif CJK SC,
SIL OFL 1.1): never a font the machine happens to have. The standard asks for 仿宋 in
the body and 小标宋 in the title; no free 仿宋 is packaged, so the body is set in the
Song (serif) regular and the title in its bold (docs/adr/0002-dependencies.md).

A document is a list of :class:`Block` (what the templates in ``formats/`` become);
:func:`build_pdf` lays them out and returns the PDF's bytes. The output is invariant:
the same blocks give the same bytes (no creation time, no random document ID), so a
document's digest depends on its content only.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

FONTS = Path(__file__).resolve().parent / "fonts"
BODY_FONT = "ZhifaSerifSC"
TITLE_FONT = "ZhifaSerifSC-Bold"
FONT_FILES = {
    BODY_FONT: FONTS / "ZhifaSerifSC-Regular.ttf",
    TITLE_FONT: FONTS / "ZhifaSerifSC-Bold.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_BOTTOM = 35 * mm
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
#: 3号 is 16 pt; 28 characters of 16 pt are 158 mm, so the standard's 156 mm line holds
#: them at 15.79 pt (what word processors do with their "grid": the character cell).
BODY_SIZE = TEXT_WIDTH / CHARS_PER_LINE
BODY_LEADING = TEXT_HEIGHT / LINES_PER_PAGE  # 28.99 pt
TITLE_SIZE = 22.0  # 2号
PAGE_NUMBER_SIZE = 14.0  # 4号
PAGE_NUMBER_GAP = 7 * mm
SMALL_SIZE = 12.0  # 小四, the verification note under the QR code
GRID_SIZE = 14.0  # 4号, the cells of a list (清单) of several columns

STYLES = ("title", "subtitle", "number", "body", "plain", "heading", "right", "center", "small")


class MissingGlyphs(ValueError):
    """The text holds characters the shipped font does not cover (they would print as
    empty boxes); the message names them."""

    def __init__(self, characters: str) -> None:
        self.characters = characters
        super().__init__(f"no glyph for: {characters}")


#: Chinese punctuation that must not start a line (GB/T 15834 and common 避头点 rules).
#: The PDF library's list is Japanese and lacks the full-width comma, semicolon, colon,
#: question and exclamation marks and the closing quotes and title marks: a line ending
#: before one of these carries it over, hanging in the margin (标点悬挂).
CANNOT_START = "，；：！？、。）》」』〕】〉”’…—·％"


@cache
def register_fonts() -> frozenset[str]:
    """Register the shipped fonts with the PDF library; return the characters they
    cover (from the font's own character map)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):  # both line breakers read their own global
        missing = "".join(c for c in CANNOT_START if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    font: Any = pdfmetrics.getFont(BODY_FONT)
    return frozenset(map(chr, font.face.charToGlyph))


def missing_glyphs(texts: Iterable[str]) -> str:
    """The characters of ``texts`` that the font cannot print, in order, once each."""
    covered = register_fonts()
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char not in covered and not char.isspace() and char not in seen:
                seen[char] = None
    return "".join(seen)


def named_characters(characters: str) -> str:
    """Characters as a message names them: each with its code point (``😀 U+1F600``),
    an invisible one (a zero-width space, a direction mark, a control character) by its
    code point alone."""
    named = []
    for char in characters:
        code = f"U+{ord(char):04X}"
        visible = unicodedata.category(char)[0] not in "CZM"
        named.append(f"{char} {code}" if visible else code)
    return "、".join(named)


#: What :func:`printable` prints for a character the font lacks: the geta mark (〓), the
#: typesetter's sign for a missing character (缺字), in GB 2312.
MISSING_MARK = "〓"


def printable(text: str) -> str:
    """``text`` with each character the font cannot print replaced by ``MISSING_MARK``:
    for lists that quote what users typed (a dossier's index naming evidence files),
    where refusing the whole PDF for one character would help no one."""
    missing = missing_glyphs([text])
    return text.translate({ord(c): MISSING_MARK for c in missing}) if missing else text


@dataclass(frozen=True)
class Block:
    """One block of a document. ``style``: one of ``STYLES``, or ``table`` (``rows``:
    label/value pairs in a grid), ``grid`` (``cells``: a list of several columns, its
    first row the header, repeated on each page the list runs to; ``widths``: the
    columns' shares of the line, equal when not given; ``size``: the cells' size in
    points, ``GRID_SIZE`` when 0; a row of one cell in a list of several columns spans
    them, in bold: a section heading), ``pagebreak`` (what follows
    starts a new page: an attached list), ``gap`` (``lines`` empty body lines) or ``qr``
    (``qr``: the data encoded, ``text``: the note beside it)."""

    style: str
    text: str = ""
    rows: Sequence[tuple[str, str]] = ()
    lines: int = 1
    qr: str = ""
    cells: Sequence[Sequence[str]] = ()
    widths: Sequence[float] = ()
    size: float = 0.0

    def texts(self) -> list[str]:
        return [
            self.text,
            *(cell for row in self.rows for cell in row),
            *(cell for row in self.cells for cell in row),
        ]


@dataclass(frozen=True)
class Document:
    blocks: Sequence[Block]
    title: str = ""
    #: Metadata only (the PDF's subject): e.g. the document number.
    subject: str = ""
    keywords: Sequence[str] = field(default_factory=tuple)


def _style(name: str) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": BODY_FONT,
        "fontSize": BODY_SIZE,
        "leading": BODY_LEADING,
        "wordWrap": "CJK",
        "alignment": TA_JUSTIFY,
        # No widow: a paragraph's last line never stands alone at the top of a page
        # (the PDF library moves one more line down with it).
        "allowWidows": 0,
    }
    if name == "title":
        base |= {
            "fontName": TITLE_FONT,
            "fontSize": TITLE_SIZE,
            "leading": BODY_LEADING * 1.25,
            "alignment": TA_CENTER,
        }
    elif name == "subtitle":
        base |= {"fontName": TITLE_FONT, "alignment": TA_CENTER}
    elif name == "number":
        base |= {"alignment": TA_CENTER}
    elif name == "body":
        base |= {"firstLineIndent": 2 * BODY_SIZE}
    elif name == "heading":
        base |= {"fontName": TITLE_FONT, "firstLineIndent": 2 * BODY_SIZE}
    elif name == "right":
        base |= {"alignment": TA_RIGHT, "rightIndent": 2 * BODY_SIZE}
    elif name == "center":
        base |= {"alignment": TA_CENTER}
    elif name == "small":
        base |= {"fontSize": SMALL_SIZE, "leading": SMALL_SIZE * 1.5, "alignment": TA_LEFT}
    return ParagraphStyle(name, **base)


#: The ideographic space (全角空格) as four no-break spaces (0.256 em each in the font):
#: the PDF library collapses U+3000 like any white space, and the blanks of a form
#: (年　　月　　日) must keep their width.
IDEOGRAPHIC_SPACE = "\u00a0" * 4


def _markup(text: str) -> str:
    """Plain text as the paragraph's markup: escaped, line breaks and full-width
    spaces kept."""
    return escape(text).replace("\u3000", IDEOGRAPHIC_SPACE).replace("\n", "<br/>")


class QRCode(Flowable):  # type: ignore[misc]
    """A QR code drawn as vector squares (segno's matrix), ``size`` wide, with its
    quiet zone."""

    def __init__(self, data: str, size: float = 20 * mm) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.qr = segno.make(data, error="m")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = [list(row) for row in self.qr.matrix_iter(scale=1, border=4)]
        module = self.size / len(matrix)
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for y, row in enumerate(matrix):
            top = self.size - (y + 1) * module
            x = 0
            while x < len(row):  # one rectangle per horizontal run of dark modules
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    canvas.rect(start * module, top, (x - start) * module, module, stroke=0, fill=1)
                else:
                    x += 1


def _flowables(blocks: Sequence[Block]) -> list[Flowable]:
    """The blocks as the PDF library's flowables; the signature of each part (its
    ``right`` blocks, with what follows them up to a page break, or its QR code) kept on
    one page with the text before it, so that a signature or the QR code never stands on
    a page of its own (a page with the seal and no text): with the part's last ``body``
    paragraph before its ``right`` blocks (else its last ``plain`` line, else the
    signature's lines together); the QR code of a part with no ``right`` block with the
    last ``body`` paragraph or run of ``plain`` lines before it (a record's signature
    lines), or, right after a form's ``table``, with the table's last row. A ``heading``
    goes with what follows it: it starts a new page when fewer than three lines are
    left, and a group that starts right after it takes it along."""
    out: list[Flowable] = []
    last_body: int | None = None  # where the part's last body paragraph starts
    last_plain: int | None = None  # its last plain line
    plain_run: int | None = None  # where its last run of plain lines starts
    first_right: int | None = None  # its signature's first line
    qr_at: int | None = None  # its QR code
    heading_at: int | None = None  # where the heading just laid out starts
    previous: Block | None = None

    def close_part() -> None:
        start: int | None
        if first_right is not None:
            start = next(i for i in (last_body, last_plain, first_right) if i is not None)
        elif qr_at is not None:
            start = max((i for i in (last_body, plain_run) if i is not None), default=None)
        else:
            start = None
        if start is not None:
            # One level: a KeepTogether inside another measures as "too tall" (it asks
            # to be split), which would push the group to the next page for nothing.
            group = [
                part
                for flowable in out[start:]
                for part in (
                    flowable._content if isinstance(flowable, KeepTogether) else [flowable]
                )
            ]
            out[start:] = [KeepTogether(group)]

    for block in blocks:
        if block.style == "pagebreak":
            close_part()
            out.append(PageBreak())
            last_body = last_plain = plain_run = first_right = qr_at = heading_at = None
            previous = block
            continue
        here = heading_at if heading_at is not None else len(out)
        heading_at = None
        signing = first_right is not None or qr_at is not None
        if block.style == "body" and not signing:
            last_body, last_plain, plain_run = here, None, None
        elif block.style == "plain" and not signing:
            last_plain = here
            if previous is None or previous.style != "plain":
                plain_run = here  # a run of lines (a record's signature lines) as one
        elif block.style in ("table", "grid") and not signing:
            last_body = last_plain = plain_run = None  # a list or form is never moved whole
        elif block.style == "right" and first_right is None and qr_at is None:
            first_right = len(out)
        elif block.style == "qr" and qr_at is None:
            qr_at = len(out)
        if block.style == "gap":
            out.append(Spacer(TEXT_WIDTH, BODY_LEADING * block.lines))
        elif block.style == "table":
            out.append(_table(block.rows))
        elif block.style == "grid":
            out.append(_grid(block.cells, block.widths, block.size or GRID_SIZE))
        elif block.style == "qr":
            note = Paragraph(_markup(block.text), _style("small"))
            grid = Table(
                [[QRCode(block.qr), note]],
                colWidths=[24 * mm, TEXT_WIDTH - 24 * mm],
                style=TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
            )
            code = [Spacer(TEXT_WIDTH, BODY_LEADING / 4), grid]
            form = previous if previous and previous.style == "table" else None
            if form is not None and first_right is None and len(form.rows) > 1:
                # The form's last row goes to the next page with the code (one table
                # drawn as two: the rows share their borders).
                out[-1] = _table(form.rows[:-1])
                out.append(KeepTogether([_table(form.rows[-1:]), *code]))
            else:
                out.append(KeepTogether(code))
        elif block.style == "heading":
            out.append(CondPageBreak(3 * BODY_LEADING))
            heading_at = len(out) - 1
            out.append(Paragraph(_markup(block.text), _style(block.style)))
        elif block.style in STYLES:
            out.append(Paragraph(_markup(block.text), _style(block.style)))
        else:
            raise ValueError(f"unknown block style {block.style!r}")
        previous = block
    close_part()
    return out


def _lines(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """A cell's lines, one paragraph each: the PDF library's CJK line breaker adds an
    empty line after a line whose closing punctuation hangs in the margin when a line
    break follows it (a witness's name ending in ）, then the next line)."""
    return [
        Paragraph(_markup(line) if line.strip() else "&nbsp;", style) for line in text.split("\n")
    ]


#: A cell taller than ``LONG_CELL`` is laid out in pieces of at most ``PIECE_HEIGHT``
#: (a paragraph split between two of its lines), each piece a row of its own, the rows
#: of one cell drawn without a rule between them. The PDF library never splits a table
#: row across pages unless told to, so a cell taller than the text block fits on no page
#: (its ``LayoutError``: a 简要案情 of 500 characters failed); told to, it lays the rest
#: of the table out again at every page (a 20,000-character cell took seconds, a list of
#: 200 long lines minutes). A cell that fits is one row, drawn as it always was.
LONG_CELL = TEXT_HEIGHT * 3 / 4
PIECE_HEIGHT = TEXT_HEIGHT / 4
RULE = 0.75
#: The padding of a form's cells left and right (the PDF library's default) and of a
#: list's: the width the cell's text is laid out in.
TABLE_PADDING = 6.0
GRID_PADDING = 4.0


def _in_lines(flowable: Flowable, width: float, lines: int) -> list[Flowable]:
    """A cell's paragraph as paragraphs of at most ``lines`` lines, laid out once: the
    PDF library's ``Paragraph.split`` lays out the rest again at every cut (a 20,000
    character cell took 17 s). The cut is the library's own (the function its ``split``
    uses, in the pinned version, docs/adr/0002-dependencies.md): the lines break where
    they broke, a cut line is justified like the lines around it."""
    if not isinstance(flowable, Paragraph):
        return [flowable]
    flowable.wrap(width, PAGE_HEIGHT)
    laid = flowable.blPara
    if len(laid.lines) <= lines:
        return [flowable]
    cut = flowable._get_split_blParaFunc()
    parts: list[Flowable] = []
    for start in range(0, len(laid.lines), lines):
        stop = min(start + lines, len(laid.lines))
        part = Paragraph(None, flowable.style, frags=cut(laid, start, stop))
        part._JustifyLast = stop < len(laid.lines)
        parts.append(part)
    return parts


def _at_most(flowables: Sequence[Flowable], width: float) -> float:
    """An upper bound of the height of a cell's paragraphs, without laying them out: no
    character is wider than the font size (a CJK character is, the others are
    narrower), a line holds one character less than fits (a hanging punctuation mark),
    the markup counts as text."""
    height = 0.0
    for flowable in flowables:
        style = getattr(flowable, "style", None)
        text = getattr(flowable, "text", None)
        if style is None or not isinstance(text, str):
            return float(PAGE_HEIGHT)  # not a paragraph: measure it
        per_line = max(1, int(width // style.fontSize) - 1)
        lines = sum(-(-(len(line) + 1) // per_line) for line in text.split("<br/>"))
        height += lines * style.leading
    return height


def _pieces(flowables: Sequence[Flowable], width: float) -> list[list[Flowable]]:
    """A cell's paragraphs laid out in ``width``, in pieces of at most ``PIECE_HEIGHT``
    (or one piece when the cell is not taller than ``LONG_CELL``)."""
    if _at_most(flowables, width) <= LONG_CELL:  # the usual cell: laid out once, later
        return [list(flowables)]
    if sum(f.wrap(width, PAGE_HEIGHT)[1] for f in flowables) <= LONG_CELL:
        return [list(flowables)]
    pieces: list[list[Flowable]] = []
    current: list[Flowable] = []
    used = 0.0
    for flowable in flowables:
        leading = float(getattr(getattr(flowable, "style", None), "leading", 0) or PIECE_HEIGHT)
        for part in _in_lines(flowable, width, max(1, int(PIECE_HEIGHT // leading))):
            height = part.wrap(width, PAGE_HEIGHT)[1]
            if current and used + height > PIECE_HEIGHT:
                pieces.append(current)
                current, used = [], 0.0
            current.append(part)
            used += height
    if current:
        pieces.append(current)
    return pieces


def _rows_in_pieces(row: Sequence[Any], widths: Sequence[float]) -> list[list[Any]]:
    """A row's cells (each a list of flowables, or a flowable) as one row, or, when a
    cell is taller than ``LONG_CELL``, as the rows of its pieces: the k-th piece of each
    cell in the k-th row (empty where a cell has fewer)."""
    cells = [list(c) if isinstance(c, list | tuple) else [c] for c in row]
    split = [_pieces(c, w) for c, w in zip(cells, widths, strict=True)]
    if all(len(p) == 1 for p in split):
        return [list(row)]
    return [[p[k] if k < len(p) else "" for p in split] for k in range(max(len(p) for p in split))]


def _ruled(
    rows: Sequence[Sequence[list[Any]]],
) -> tuple[list[list[Any]], list[tuple[Any, ...]], list[int]]:
    """The table's data from each logical row's rows (``_rows_in_pieces``), the rules
    and paddings: a grid as before when every row is one; else a box, the column rules,
    a rule under each logical row only, and no padding between a cell's pieces (its
    text runs on). Also the index of each logical row's first row."""
    data: list[list[Any]] = []
    firsts: list[int] = []
    for group in rows:
        firsts.append(len(data))
        data.extend(group)
    if len(data) == len(rows):
        return data, [("GRID", (0, 0), (-1, -1), RULE, "black")], firsts
    style: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), RULE, "black"),
        ("LINEAFTER", (0, 0), (-2, -1), RULE, "black"),
    ]
    for n, group in enumerate(rows):
        first, last = firsts[n], firsts[n] + len(group) - 1
        if n < len(rows) - 1:
            style.append(("LINEBELOW", (0, last), (-1, last), RULE, "black"))
        if last > first:
            style += [
                ("VALIGN", (1, first), (-1, last), "TOP"),
                ("BOTTOMPADDING", (0, first), (-1, last - 1), 0),
                ("TOPPADDING", (0, first + 1), (-1, last), 0),
            ]
    return data, style, firsts


def _table(rows: Sequence[tuple[str, str]]) -> Table:
    """A form's grid: labels centred on the left, values on the right, in a tighter
    leading than the body's grid so that a one-page form stays on one page; a value
    taller than ``LONG_CELL`` runs on over rows of its pieces (``_pieces``)."""
    tight = {"leading": BODY_SIZE * 1.5}
    label = ParagraphStyle("label", parent=_style("plain"), alignment=TA_CENTER, **tight)
    value = ParagraphStyle("value", parent=_style("plain"), **tight)
    widths = [TEXT_WIDTH * 0.28, TEXT_WIDTH * 0.72]
    inner = [w - 2 * TABLE_PADDING for w in widths]
    grouped = [
        _rows_in_pieces([Paragraph(_markup(a), label), _lines(b, value)], inner) for a, b in rows
    ]
    data, rules, _firsts = _ruled(grouped)
    return Table(
        data,
        colWidths=widths,
        style=TableStyle(
            [
                *rules[:1],
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                *rules[1:],
            ]
        ),
    )


def _grid(cells: Sequence[Sequence[str]], widths: Sequence[float], size: float) -> Table:
    """A list of several columns (清单): the header row in bold, centred, repeated at
    the top of each page the list runs to; ``size`` points in the cells (4号 so that five
    columns fit the line; 五号 in a dossier's index); a row is kept on one page unless a
    cell is taller than ``LONG_CELL`` (it runs on over rows of its pieces, ``_pieces``);
    a row of one cell spans the columns, in bold (a section heading: 正卷, 副卷)."""
    columns = max((len(row) for row in cells), default=0)
    if not columns:
        raise ValueError("a grid needs at least one column")
    shares = list(widths)[:columns] if len(widths) >= columns else [1.0] * columns
    total = sum(shares)
    col_widths = [TEXT_WIDTH * share / total for share in shares]
    inner = [w - 2 * GRID_PADDING for w in col_widths]
    tight = {"fontSize": size, "leading": size * 1.5}
    head = ParagraphStyle("head", parent=_style("subtitle"), **tight)
    cell = ParagraphStyle("cell", parent=_style("plain"), alignment=TA_LEFT, **tight)
    section = ParagraphStyle("section", parent=cell, fontName=TITLE_FONT)
    grouped: list[list[list[Any]]] = []
    sections: list[int] = []
    for r, row in enumerate(cells):
        if r and len(row) == 1 and columns > 1:
            sections.append(r)
            grouped.append([[Paragraph(_markup(row[0]), section), *([""] * (columns - 1))]])
            continue
        style = head if r == 0 else cell
        # An empty cell is a line high: a blank row is printed to be filled in by hand.
        texts = (*row, *([""] * (columns - len(row))))
        paragraphs = [Paragraph(_markup(t) if t.strip() else "&nbsp;", style) for t in texts]
        grouped.append([paragraphs] if r == 0 else _rows_in_pieces(paragraphs, inner))
    data, rules, firsts = _ruled(grouped)
    spans = [("SPAN", (0, firsts[r]), (-1, firsts[r])) for r in sections]
    grid = Table(
        data,
        colWidths=col_widths,
        repeatRows=1,
        style=TableStyle(
            [
                *rules[:1],
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), GRID_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                *spans,
                *rules[1:],
            ]
        ),
    )
    # A quarter line of air between the list and the text around it.
    grid.spaceBefore = grid.spaceAfter = BODY_LEADING / 4
    return grid


def _page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """ "— N —" in 4号, 7 mm below the text block: odd pages right, even pages left,
    one character in."""
    number = canvas.getPageNumber()
    text = f"— {number} —"
    canvas.saveState()
    canvas.setFont(BODY_FONT, PAGE_NUMBER_SIZE)
    y = MARGIN_BOTTOM - PAGE_NUMBER_GAP - PAGE_NUMBER_SIZE * 0.88
    if number % 2:
        canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT - PAGE_NUMBER_SIZE, y, text)
    else:
        canvas.drawString(MARGIN_LEFT + PAGE_NUMBER_SIZE, y, text)
    canvas.restoreState()


def _no_page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    return None


def build_pdf(document: Document, *, page_numbers: bool = True) -> bytes:
    """Lay out ``document`` on GB/T 9704 pages; the PDF's bytes. Raises
    :class:`MissingGlyphs` when the text has characters the font cannot print.
    ``page_numbers=False``: no "— N —" (pages another process numbers, such as a
    dossier's cover and index)."""
    missing = missing_glyphs(text for block in document.blocks for text in block.texts())
    if missing:
        raise MissingGlyphs(missing)
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=document.title,
        subject=document.subject,
        keywords=list(document.keywords),
        creator="Zhifa",
        author="",
        invariant=1,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    on_page = _page_number if page_numbers else _no_page_number
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    template.build(_flowables(document.blocks))
    return buffer.getvalue()

"""Build the CJK font the documents are rendered with (run by hand, its output is
committed): a subset of Noto Serif CJK SC (SIL Open Font License 1.1) covering the
whole of GB 2312 (levels 1 and 2, 6,763 hanzi, and its 682 symbols), ASCII, the
punctuation Chinese documents use, and the extra characters listed in
``src/zhifa/documents/fonts/extra-characters.txt``; its PostScript (CFF) outlines are
converted to TrueType outlines, which the PDF library embeds.

    python scripts/build_document_font.py /path/to/NotoSerifCJK-Regular.ttc
    python scripts/build_document_font.py /path/to/NotoSerifCJK-Bold.ttc

The source is the upstream release (github.com/notofonts/noto-cjk, Serif, OTC) or
Debian's ``fonts-noto-cjk``; the script takes the Simplified Chinese face of the
collection. The font's name is changed (OFL 1.1 reserves "Noto" for the unmodified
font only when the copyright holder reserves it; Noto does not, but a subset is a
Modified Version, so it is named "ZhifaSerifSC").
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent.parent / "src" / "zhifa" / "documents" / "fonts"
FAMILY = "ZhifaSerifSC"


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes (rows 1–9 symbols, 16–87 hanzi)."""
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted() -> set[str]:
    chars = gb2312_characters()
    chars |= {chr(c) for c in range(0x20, 0x7F)}  # ASCII
    chars |= {chr(c) for c in range(0xA0, 0x100)}  # Latin-1 (×, ÷, °, ·, ²)
    chars |= {chr(c) for c in range(0x2010, 0x2028)}  # dashes, quotes, ellipsis
    chars |= set("‰′″※")
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= {chr(c) for c in range(0x2460, 0x2474)}  # ①–⑳
    chars |= set("℃№‰‱㎡㎏㎎㎜㎝㎞￥")
    extra = HERE / "extra-characters.txt"
    for line in extra.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            chars |= {c for c in line if not c.isspace()}
    return chars


def to_truetype(font: TTFont) -> None:
    """CFF outlines → quadratic TrueType outlines (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def rename(font: TTFont, style: str) -> None:
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=record.nameID)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName(style, 2, 3, 1, 0x409)
    name.setName(f"{FAMILY}-{style}", 3, 3, 1, 0x409)
    name.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
    name.setName(f"{FAMILY}-{style}", 6, 3, 1, 0x409)


def main(source: str) -> None:
    style = "Bold" if "Bold" in Path(source).name else "Regular"
    out = HERE / f"{FAMILY}-{style}.ttf"
    collection = TTCollection(source)
    face = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(4))
    chars = wanted()
    options = subset.Options()
    options.layout_features = ["kern", "palt"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(face)
    to_truetype(face)
    rename(face, style)
    face.save(out)
    covered = set(map(chr, TTFont(out).getBestCmap()))
    missing = sorted(c for c in chars if c not in covered and not c.isspace())
    print(f"{out.name}: {out.stat().st_size} bytes, {len(covered)} characters")
    if missing:
        print("not in the source font:", "".join(missing))


if __name__ == "__main__":
    main(
        sys.argv[1]
        if len(sys.argv) > 1
        else "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    )

"""Document templates as data (``formats/<kind>.toml``) and a region's own wording.

A template names its document type, its version, the step whose data and number it
takes, its ``blocks`` (the layout: a style and the name of a wording entry, a table
of label/value entry names, or a grid: its column headers' entries and the entry whose
lines are its rows, cells separated by tabs) and its ``wording`` (entry name → text in
Django template syntax, filled from the case). A region changes the wording, never the
blocks, with a ``WordingOverride`` row (region code, version, valid from): the entries
it lists replace the template's. How to add a document type: docs/documents.md.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .layout import STYLES, Block

FORMATS = Path(__file__).resolve().parent / "formats"
BLOCK_STYLES = frozenset({*STYLES, "table", "grid", "pagebreak", "gap", "qr"})
CN_DIGITS = "零一二三四五六七八九十"

_library = template.Library()


@_library.filter
def cn_index(value: int) -> str:
    """1 → 一、 (the enumeration of decided penalties)."""
    number = int(value)
    if number <= 10:
        word = CN_DIGITS[number]
    elif number < 20:
        word = "十" + CN_DIGITS[number - 10]
    else:
        word = CN_DIGITS[number // 10] + "十" + (CN_DIGITS[number % 10] if number % 10 else "")
    return word + "、"


@_library.filter
def clause(value: Any) -> str:
    """A typed text that more words follow (当事人提出……；本局认为……): without its
    closing punctuation."""
    return str(value or "").strip().rstrip("。；;，,.．:：")


@_library.filter
def cell(value: Any) -> str:
    """A typed text in one cell of a grid row: its tabs and line breaks as spaces (they
    would start another cell or row)."""
    return " ".join(str(value or "").replace("\t", "\n").split("\n")).strip()


#: ``Engine(builtins=[module])`` reads the module's ``register``.
register = _library
ENGINE = template.Engine(autoescape=False, builtins=[__name__])


@dataclass(frozen=True)
class Format:
    kind: str
    version: int
    step: str
    blocks: tuple[Mapping[str, Any], ...]
    wording: Mapping[str, str]


@cache
def load(kind: str) -> Format:
    """The template of ``kind`` (its TOML file)."""
    path = FORMATS / f"{kind}.toml"
    if not path.is_file():
        raise ValidationError({"kind": _("No template for this document type.")})
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    blocks = tuple(raw["blocks"])
    wording = {str(k): str(v) for k, v in raw["wording"].items()}
    for block in blocks:
        if block["style"] not in BLOCK_STYLES:
            raise ValueError(f"{path.name}: unknown block style {block['style']!r}")
        for name in _names(block):
            if name not in wording:
                raise ValueError(f"{path.name}: no wording entry {name!r}")
    return Format(str(raw["kind"]), int(raw["version"]), str(raw["step"]), blocks, wording)


def kinds() -> tuple[str, ...]:
    """The document types that have a template."""
    return tuple(sorted(p.stem for p in FORMATS.glob("*.toml")))


def _names(block: Mapping[str, Any]) -> list[str]:
    names = [block["text"]] if block.get("text") else []
    names += list(block.get("columns", ())) + ([block["body"]] if block.get("body") else [])
    return names + [name for row in block.get("rows", ()) for name in row]


def validate_wording(kind: str, wording: Any) -> None:
    """An override's wording: a mapping of the template's entry names to texts that
    compile as templates."""
    fmt = load(kind)
    if not isinstance(wording, dict) or not wording:
        raise ValidationError({"wording": _("Give a mapping of entry names to texts.")})
    for name, text in wording.items():
        if name not in fmt.wording:
            raise ValidationError(
                {"wording": _("Unknown entry %(name)s for this document type.") % {"name": name}}
            )
        if not isinstance(text, str):
            raise ValidationError({"wording": _("Entry %(name)s is not text.") % {"name": name}})
        try:
            ENGINE.from_string(text)
        except template.TemplateSyntaxError as exc:
            raise ValidationError(
                {"wording": _("Entry %(name)s: %(error)s") % {"name": name, "error": exc}}
            ) from exc


def region_codes(code: str) -> list[str]:
    """A county's code and those of its city and province, most specific first."""
    out = [code]
    if len(code) == 6:
        for parent in (code[:4] + "00", code[:2] + "0000"):
            if parent not in out:
                out.append(parent)
    return out


def wording_for(kind: str, region_code: str, on: dt.date) -> tuple[dict[str, str], str]:
    """The template's wording with the region's overrides in force on ``on``, and a
    label of the versions used (``penalty_decision@1``, ``+330400@2``)."""
    from .models import WordingOverride

    fmt = load(kind)
    wording = dict(fmt.wording)
    label = f"{kind}@{fmt.version}"
    codes = region_codes(region_code)
    candidates = WordingOverride.objects.filter(
        kind=kind, region_code__in=codes, valid_from__lte=on
    ).order_by("-valid_from", "-version")
    chosen: dict[str, WordingOverride] = {}
    for override in candidates:
        chosen.setdefault(override.region_code, override)
    for code in reversed(codes):  # the province first, the county last (it wins)
        if code in chosen:
            wording |= {str(k): str(v) for k, v in chosen[code].wording.items()}
            label += f"+{code}@{chosen[code].version}"
    return wording, label


def _grid_rows(body: str, columns: int, spec: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The rows of a ``grid`` block from its ``body`` entry as rendered: one row a line,
    its cells separated by tabs (more cells than columns end up in the last one); when
    there are none, ``blank_rows`` empty rows (a list printed to be filled in by hand),
    or none at all (the grid is dropped, like an entry that renders empty)."""
    rows = []
    for line in body.split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells):
            continue
        cells = [*cells[: columns - 1], " ".join(c for c in cells[columns - 1 :] if c)]
        rows.append(tuple(cells + [""] * (columns - len(cells))))
    if not rows:
        rows = [("",) * columns] * int(spec.get("blank_rows", 0))
    return rows


@cache
def _compiled(text: str) -> template.Template:
    return ENGINE.from_string(text)


def fill(kind: str, wording: Mapping[str, str], context: Mapping[str, Any]) -> list[Block]:
    """The template's blocks filled from ``context``; a text entry that renders empty
    drops its block (a paragraph the case has nothing for)."""
    fmt = load(kind)
    ctx = template.Context(dict(context), autoescape=False)

    def text(name: str) -> str:
        return str(_compiled(wording[name]).render(ctx))

    blocks: list[Block] = []
    for spec in fmt.blocks:
        style = spec["style"]
        if style == "gap":
            blocks.append(Block("gap", lines=int(spec.get("lines", 1))))
        elif style == "table":
            rows = tuple((text(a).strip(), text(b)) for a, b in spec["rows"])
            blocks.append(Block("table", rows=rows))
        elif style == "grid":
            header = [text(name).strip() for name in spec["columns"]]
            body = _grid_rows(text(spec["body"]), len(header), spec)
            if not body:
                continue  # nothing to list and no blank rows to fill in: no grid
            blocks.append(
                Block(
                    "grid",
                    cells=(tuple(header), *body),
                    widths=tuple(float(w) for w in spec.get("widths", ())),
                )
            )
        elif style == "pagebreak":
            blocks.append(Block("pagebreak"))
        elif style == "qr":
            blocks.append(Block("qr", text=text(spec["text"]), qr=str(context["public_url"])))
        else:
            value = text(spec["text"]).strip()
            if not value:
                continue
            # One paragraph a line: the content typed in keeps its paragraphs.
            for paragraph in value.split("\n"):
                if paragraph.strip():
                    blocks.append(Block(style, text=paragraph.strip()))
    return blocks

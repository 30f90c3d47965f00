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
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.template import defaultfilters, defaulttags
from django.template.base import TextNode, VariableNode
from django.utils.translation import gettext as _

from zhifa.core.validation import text_problem
from zhifa.rules.engine.publication import region_chain

from .layout import STYLES, Block, missing_glyphs, named_characters

FORMATS = Path(__file__).resolve().parent / "formats"
BLOCK_STYLES = frozenset({*STYLES, "table", "grid", "pagebreak", "gap", "qr"})
CN_DIGITS = "零一二三四五六七八九十"

_library = template.Library()


@_library.filter
def cn_index(value: Any) -> str:
    """1 → 一、 (the enumeration of decided penalties), up to 99; a larger number in
    Arabic digits (100、), what is not a number as nothing."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return ""
    if not 0 <= number < 100:
        return f"{number}、"
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


# --- the sandbox: what a wording may use and produce -----------------------------------------
#
# A wording is data: the templates' and a region's override (``WordingOverride``, edited
# in the administration site). It is compiled by an engine that knows only the tags and
# filters below (no ``load``, ``include``, ``extends``, ``debug``, ``now``, ``url``,
# ``lorem``; no padding or formatting filter that makes a large text from a small
# one), filled with plain data (mappings and tuples: no method of a list or a mapping
# can be called), and its rendering is bounded (``Budget``): a wording cannot load or
# read anything, nor hang the worker.

#: The tags a wording may use.
TAGS = {
    "if": defaulttags.do_if,
    "for": None,  # ``_counted_for``: the loop's iterations are counted
    "with": defaulttags.do_with,
    "firstof": defaulttags.firstof,
    "comment": defaulttags.comment,
}
#: The filters a wording may use (besides this module's).
FILTERS = (
    "default",
    "default_if_none",
    "join",
    "slice",
    "length",
    "first",
    "last",
    "yesno",
    "cut",
    "truncatechars",
    "upper",
    "lower",
)
#: The most iterations of the loops of one document's wording, and the most
#: characters it may produce (about 480 pages: the step content a document draws on is
#: at most 100,000 characters a step, ``cases.content.CONTENT_MAX``).
MAX_ITERATIONS = 20_000
MAX_CHARACTERS = 300_000


class OverBudget(Exception):
    """The wording's rendering went past ``MAX_ITERATIONS`` or ``MAX_CHARACTERS``."""


class Budget:
    """What one document's wording has used so far (kept on its ``Context``)."""

    def __init__(self) -> None:
        self.iterations = 0
        self.characters = 0

    def iterate(self) -> None:
        self.iterations += 1
        if self.iterations > MAX_ITERATIONS:
            raise OverBudget(
                _("its loops repeat more than %(limit)s times") % {"limit": MAX_ITERATIONS}
            )

    def produce(self, text: str) -> str:
        self.characters += len(text)
        if self.characters > MAX_CHARACTERS:
            raise OverBudget(
                _("the document would hold more than %(limit)s characters")
                % {"limit": MAX_CHARACTERS}
            )
        return text


def _budget(context: template.Context) -> Budget:
    found = getattr(context, "zhifa_budget", None)
    if found is None:
        found = context.zhifa_budget = Budget()  # type: ignore[attr-defined]
    return found


class _Tick(template.Node):
    """First in a loop's body: counts the iteration."""

    def render(self, context: template.Context) -> str:
        _budget(context).iterate()
        return ""


def _counted_for(parser: Any, token: Any) -> Any:
    node = defaulttags.do_for(parser, token)
    node.nodelist_loop.insert(0, _Tick())  # type: ignore[arg-type]
    return node


class _CountedText(TextNode):
    def render(self, context: template.Context) -> str:
        return _budget(context).produce(super().render(context))


class _CountedVariable(VariableNode):
    def render(self, context: template.Context) -> str:
        return _budget(context).produce(super().render(context))


class _CountedFirstOf(defaulttags.FirstOfNode):
    def render(self, context: template.Context) -> str:
        return _budget(context).produce(super().render(context))


_COUNTED = {
    TextNode: _CountedText,
    VariableNode: _CountedVariable,
    defaulttags.FirstOfNode: _CountedFirstOf,
}

for _name, _compile in TAGS.items():
    _library.tag(_name, _compile or _counted_for)
for _name in FILTERS:
    _library.filter(_name, defaultfilters.register.filters[_name])


class _WordingEngine(template.Engine):
    """An engine with this module's library only: not Django's built-in tags and
    filters (``default_builtins``), no template loaders, no libraries to load."""

    default_builtins = []


#: ``Engine(builtins=[module])`` reads the module's ``register``.
register = _library
ENGINE = _WordingEngine(autoescape=False, builtins=[__name__], dirs=[], loaders=[])


def compile_wording(text: str) -> template.Template:
    """``text`` compiled by the sandbox's engine, its text and variables counted.
    Raises ``TemplateSyntaxError`` for a tag or filter outside the allowlist."""
    compiled = ENGINE.from_string(text)
    for node in compiled.nodelist.get_nodes_by_type(template.Node):
        counted = _COUNTED.get(type(node))
        if counted is not None:
            node.__class__ = counted
    return compiled


def frozen(value: Any) -> Any:
    """``value`` as plain data a wording cannot change: mappings read-only, lists as
    tuples (a template calls a method it reaches without arguments: ``clear``, ``pop``,
    ``popitem``)."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(frozen(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool | Decimal | dt.date):
        return value
    return str(value)


@dataclass(frozen=True)
class Format:
    kind: str
    version: int
    step: str
    blocks: tuple[Mapping[str, Any], ...]
    wording: Mapping[str, str]


#: Templates of documents that are not a case's (a supervision notice and its reply):
#: kind -> TOML file, registered by the app that issues them (``register_format``).
#: ``kinds()`` lists the case documents only (``formats/``).
_OTHER_FORMATS: dict[str, Path] = {}


def register_format(kind: str, path: Path) -> None:
    """Make ``path`` the template of ``kind``, a document another app issues without a
    case (``rendering.render_document``); called from its ``AppConfig.ready``."""
    if (FORMATS / f"{kind}.toml").is_file():
        raise ValueError(f"{kind!r} is a case document type")
    _OTHER_FORMATS[kind] = path
    load.cache_clear()


@cache
def load(kind: str) -> Format:
    """The template of ``kind`` (its TOML file)."""
    path = _OTHER_FORMATS.get(kind) or FORMATS / f"{kind}.toml"
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
        problem = text_problem(text)
        missing = missing_glyphs([text])
        if problem or missing:
            raise ValidationError(
                {
                    "wording": _("Entry %(name)s: %(error)s")
                    % {
                        "name": name,
                        "error": problem
                        or _("the documents cannot print %(chars)s (the font lacks it).")
                        % {"chars": named_characters(missing)},
                    }
                }
            )
        try:
            compile_wording(text)
        except template.TemplateSyntaxError as exc:
            raise ValidationError(
                {"wording": _("Entry %(name)s: %(error)s") % {"name": name, "error": exc}}
            ) from exc


def region_codes(code: str) -> list[str]:
    """A county's code and those of its city and province, most specific first (the
    engine's ``region_chain``)."""
    return region_chain(code) or [code]


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
    return compile_wording(text)


def fill(kind: str, wording: Mapping[str, str], context: Mapping[str, Any]) -> list[Block]:
    """The template's blocks filled from ``context``; a text entry that renders empty
    drops its block (a paragraph the case has nothing for). Raises ``ValidationError``
    (field ``kind``, naming the entry) for a wording that does not compile in the
    sandbox (an override written around the administration site's check), goes past
    its ``Budget`` or fails on what it is given."""
    fmt = load(kind)
    ctx = template.Context(dict(frozen(context)), autoescape=False)
    ctx.zhifa_budget = Budget()  # type: ignore[attr-defined]

    def text(name: str) -> str:
        try:
            return str(_compiled(wording[name]).render(ctx))
        except (
            template.TemplateSyntaxError,
            OverBudget,
            ArithmeticError,
            LookupError,
            TypeError,
            ValueError,
        ) as exc:
            raise ValidationError(
                {
                    "kind": _(
                        "The wording of entry %(name)s cannot be filled: %(error)s. Correct "
                        "the template or the region's wording override."
                    )
                    % {"name": name, "error": exc}
                }
            ) from exc

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

"""The content of a step (issue #14, item 1): the narrative its documents need.

A step of the case-file format may carry ``content`` (case-file-format.md, "Additions to
v1": any step, ``content: {…}``): the facts found, the evidence, the inquiry and
inspection records with their questions and answers, the party's statement and the
organ's review of it, the hearing record, the discussion minutes, the decision's
reasons. Each section is declared once here (``SECTIONS``: its name in the format, its
label and its shape); each step declares the sections its document needs
(``steps.StepSpec.content``). The API's models, the forms' fields, the schema's
``$defs/step_content`` (checked by ``test_content``), the check of every entry point
(``content_problems``, called by ``actions.add_step``) and the case page's rendering
are made from these declarations.

This is narrative text, bounded: a text at most ``TEXT_MAX`` characters, a short value
(a name, a place, a time) ``SHORT_MAX``, a list at most ``ITEMS_MAX`` items. It holds no
legal rule: the rules engine ignores ``content``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhifa.core.validation import text_problem
from zhifa.documents.layout import missing_glyphs, named_characters

#: The longest text of a section (characters).
TEXT_MAX = 20_000
#: The longest short value: a name, a place, a time.
SHORT_MAX = 200
#: The most items of a list (lines, rows, records, questions).
ITEMS_MAX = 200
#: The most characters of a step's content as a whole (about 160 pages of a document):
#: each text within its limit, 200 rows of them would be millions of characters, and
#: minutes of layout for the step's document.
CONTENT_MAX = 100_000

#: The shapes of a section: ``text`` (a long text), ``short`` (one line), ``lines`` (a
#: list of short values: names, items), ``pairs`` (a list of two-member rows, e.g.
#: speaker and what was said), ``evidence`` (a list of evidence items) and ``records``
#: (inquiry and inspection records with their questions and answers).
Kind = Literal["text", "short", "lines", "pairs", "evidence", "records"]

#: The kinds of a record (``records[].kind``): 询问笔录 and 现场检查笔录.
RECORD_KINDS: list[tuple[str, Any]] = [
    ("inquiry", gettext_lazy("Inquiry record")),
    ("inspection", gettext_lazy("On-site inspection record")),
]


@dataclass(frozen=True)
class Section:
    name: str
    label: Any
    kind: Kind
    #: The members of a row of a ``pairs`` section and their labels.
    pair: tuple[str, str] = ("", "")
    pair_labels: tuple[Any, Any] = ("", "")
    help: Any = ""
    #: The second member of a ``pairs`` row is a short value too (a witness's unit),
    #: not a text.
    pair_short: bool = False


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section("summary", gettext_lazy("Summary of the case"), "text"),
        Section("facts", gettext_lazy("Facts found"), "text"),
        Section(
            "evidence",
            gettext_lazy("Evidence"),
            "evidence",
            help=gettext_lazy(
                "One item of evidence per line; the case's evidence files can be ticked."
            ),
        ),
        Section("opinion", gettext_lazy("Opinion"), "text"),
        Section("records", gettext_lazy("Inquiry and inspection records"), "records"),
        Section(
            "items",
            gettext_lazy("List of items"),
            "lines",
            help=gettext_lazy(
                "One item per line: name | specification | quantity | notes (the parts "
                "after the name may be left out); the documents list them in columns."
            ),
        ),
        Section("reasons", gettext_lazy("Reasons"), "text"),
        Section("statement", gettext_lazy("Statement and defence of the party"), "text"),
        Section("review", pgettext_lazy("statement re-examined", "Review opinion"), "text"),
        Section("place", gettext_lazy("Place"), "short"),
        Section("chair", gettext_lazy("Chair"), "short"),
        Section(
            "participants",
            gettext_lazy("Participants"),
            "lines",
            help=gettext_lazy("One per line: name and role (e.g. investigator, party, agent)."),
        ),
        Section(
            "attendees",
            gettext_lazy("Attendees"),
            "lines",
            help=gettext_lazy("One per line: name and post."),
        ),
        Section(
            "transcript",
            gettext_lazy("What each side said"),
            "pairs",
            pair=("speaker", "said"),
            pair_labels=(gettext_lazy("speaker"), gettext_lazy("said")),
        ),
        Section(
            "opinions",
            gettext_lazy("Opinions in the discussion"),
            "pairs",
            pair=("speaker", "opinion"),
            pair_labels=(gettext_lazy("speaker"), gettext_lazy("opinion")),
        ),
        Section("conclusion", gettext_lazy("Conclusion"), "text"),
        Section("basis", gettext_lazy("Legal basis"), "text"),
        Section("discretion", gettext_lazy("Discretion applied and why"), "text"),
        Section(
            "defence_answers",
            gettext_lazy("Answers to the main defence arguments"),
            "pairs",
            pair=("argument", "answer"),
            pair_labels=(
                gettext_lazy("argument of the party"),
                gettext_lazy("answer of the organ"),
            ),
        ),
        # The 送达回证 (the ``served`` step): who was served, who signed, and on a
        # refusal its reason and its witnesses or its recording.
        Section(
            "recipient",
            gettext_lazy("Person served"),
            "short",
            help=gettext_lazy("The recipient (受送达人): the party, or its legal representative."),
        ),
        Section(
            "signer",
            gettext_lazy("Name of who signed"),
            "short",
            help=gettext_lazy("Empty when the recipient refused to sign."),
        ),
        Section("refusal_reason", gettext_lazy("Reason given for refusing to sign"), "short"),
        Section(
            "witnesses",
            gettext_lazy("Witnesses of the refusal"),
            "pairs",
            pair=("name", "unit"),
            pair_labels=(gettext_lazy("witness"), gettext_lazy("unit or identity")),
            pair_short=True,
            help=gettext_lazy(
                "On a refusal to sign: the witnesses present (e.g. a representative of the "
                "residents' committee or of the recipient's unit), each with their unit or "
                "identity — or record the service by photo or video below."
            ),
        ),
        Section(
            "recording",
            gettext_lazy("Photo or video recording of the service"),
            "short",
            help=gettext_lazy(
                "On a refusal to sign without witnesses: the photo or video that records "
                "the document left at the recipient's residence (e.g. the body-worn "
                "camera's file)."
            ),
        ),
    )
}

#: The members of a record (``records[]``) and of an evidence item (``evidence[]``).
RECORD_SHORT = ("place", "started", "ended", "interviewee")
#: When a record started and ended: a day and a time, ``2026-03-04 09:30`` (a record's
#: time is on its 笔录: 自…时…分至…时…分).
RECORD_TIMES = ("started", "ended")
MOMENT_PATTERN = r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})?$"


def parse_moment(value: str) -> dt.datetime | None:
    """``2026-03-04 09:30`` as a datetime; ``None`` for anything else."""
    if not re.fullmatch(MOMENT_PATTERN, value) or not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        return None


EVIDENCE_MEMBERS = ("name", "proves", "sm3")


def section(name: str) -> Section:
    return SECTIONS[name]


# --- the check of every entry point --------------------------------------------------------

Problem = tuple[tuple[str, ...], str]


def _text(value: Any, path: tuple[str, ...], limit: int) -> list[Problem]:
    if not isinstance(value, str):
        return [(path, _("Give a text."))]
    if len(value) > limit:
        return [
            (
                path,
                _("At most %(limit)s characters (this has %(n)s).")
                % {"limit": limit, "n": len(value)},
            )
        ]
    if problem := text_problem(value):
        return [(path, problem)]
    if missing := missing_glyphs([value]):
        return [
            (
                path,
                _(
                    "The documents cannot print %(chars)s: the document font lacks it. Write "
                    "it otherwise, or ask the administrator to add it to the font."
                )
                % {"chars": named_characters(missing)},
            )
        ]
    return []


def _list(value: Any, path: tuple[str, ...]) -> list[Problem]:
    if not isinstance(value, list | tuple):
        return [(path, _("Give a list."))]
    if len(value) > ITEMS_MAX:
        return [(path, _("At most %(limit)s items.") % {"limit": ITEMS_MAX})]
    return []


def _object(
    value: Any, path: tuple[str, ...], members: Mapping[str, tuple[str, int]]
) -> list[Problem]:
    """An object whose members are texts (``members``: name → (kind, limit)); ``list``
    members are lists of short texts."""
    if not isinstance(value, Mapping):
        return [(path, _("Give an object."))]
    problems: list[Problem] = []
    for key, item in value.items():
        where = (*path, str(key))
        if key not in members:
            problems.append((where, _("Unknown member.")))
            continue
        kind, limit = members[key]
        if kind == "list":
            problems += _list(item, where) or [
                p for i, v in enumerate(item) for p in _text(v, (*where, str(i)), limit)
            ]
        elif kind == "moment":
            if not isinstance(item, str) or (item and parse_moment(item) is None):
                problems.append(
                    (where, _("Give a day and a time as 2026-03-04 09:30, or leave it empty."))
                )
        elif kind == "choice":
            if item not in dict(RECORD_KINDS):
                problems.append((where, _("Choose one of: %s.") % ", ".join(dict(RECORD_KINDS))))
        else:
            problems += _text(item, where, limit)
    return problems


def _half_pair(row: Any, path: tuple[str, ...], first: str, second: str) -> list[Problem]:
    """A row whose second half (an answer, what a speaker said) has no first half (the
    question, the speaker): it would read "问：(nothing) 答：…" in the record."""
    if str(row.get(second) or "").strip() and not str(row.get(first) or "").strip():
        return [((*path, first), _("Fill this in too: the row has the other half."))]
    return []


_RECORD_MEMBERS: dict[str, tuple[str, int]] = {
    "kind": ("choice", 0),
    "place": ("text", SHORT_MAX),
    "interviewee": ("text", SHORT_MAX),
    **dict.fromkeys(RECORD_TIMES, ("moment", 0)),
    "officers": ("list", SHORT_MAX),
    "notes": ("text", TEXT_MAX),
}
_EVIDENCE_MEMBERS: dict[str, tuple[str, int]] = {
    "name": ("text", 2000),
    "proves": ("text", 2000),
    "sm3": ("text", 64),
}


def _section_problems(spec: Section, value: Any, path: tuple[str, ...]) -> list[Problem]:
    if spec.kind == "text":
        return _text(value, path, TEXT_MAX)
    if spec.kind == "short":
        return _text(value, path, SHORT_MAX)
    problems = _list(value, path)
    if problems:
        return problems
    for i, item in enumerate(value):
        where = (*path, str(i))
        if spec.kind == "lines":
            problems += _text(item, where, SHORT_MAX * 10)
        elif spec.kind == "pairs":
            second = SHORT_MAX if spec.pair_short else TEXT_MAX
            limits = {spec.pair[0]: ("text", SHORT_MAX), spec.pair[1]: ("text", second)}
            problems += _object(item, where, limits) or _half_pair(item, where, *spec.pair)
        elif spec.kind == "evidence":
            problems += _object(item, where, _EVIDENCE_MEMBERS)
        else:  # records
            problems += _object(
                {k: v for k, v in item.items() if k != "qa"} if isinstance(item, Mapping) else item,
                where,
                _RECORD_MEMBERS,
            )
            if isinstance(item, Mapping):
                started = parse_moment(str(item.get("started") or ""))
                ended = parse_moment(str(item.get("ended") or ""))
                if started and ended and ended < started:
                    problems.append(((*where, "ended"), _("A record cannot end before it starts.")))
            if isinstance(item, Mapping) and "qa" in item:
                qa = item["qa"]
                found = _list(qa, (*where, "qa"))
                if not found:
                    limits = {"question": ("text", TEXT_MAX), "answer": ("text", TEXT_MAX)}
                    for j, row in enumerate(qa):
                        at = (*where, "qa", str(j))
                        found += _object(row, at, limits) or _half_pair(
                            row, at, "question", "answer"
                        )
                problems += found
    return problems


def content_problems(sections: Sequence[str], content: Any) -> list[Problem]:
    """Every problem of a step's ``content`` (its paths start with ``content``): a
    section the step does not declare (``sections``), a value of the wrong shape, a text
    too long or holding what ``core.validation.text_problem`` refuses, a list too long."""
    if not isinstance(content, Mapping):
        return [(("content",), _("Give an object of sections."))]
    problems: list[Problem] = []
    total = _characters(content)
    if total > CONTENT_MAX:
        problems.append(
            (
                ("content",),
                _(
                    "At most %(limit)s characters in all (this has %(n)s): a document of "
                    "more would run to hundreds of pages."
                )
                % {"limit": CONTENT_MAX, "n": total},
            )
        )
    for name, value in content.items():
        path = ("content", str(name))
        if name not in sections:
            problems.append(
                (
                    path,
                    _("This step has no such section (it has: %(sections)s).")
                    % {"sections": ", ".join(sections) or "—"},
                )
            )
            continue
        problems += _section_problems(SECTIONS[name], value, path)
    return problems


def _characters(value: Any) -> int:
    """The characters of the texts in ``value`` (nested lists and mappings)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(_characters(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_characters(v) for v in value)
    return 0


def compact(content: Mapping[str, Any] | None) -> dict[str, Any]:
    """``content`` without its empty sections (an empty text or list, a record or row
    with nothing in it), its texts as given."""
    if not content:
        return {}
    kept: dict[str, Any] = {}
    for name, value in content.items():
        if isinstance(value, str):
            if value.strip():
                kept[name] = value
        elif isinstance(value, list | tuple):
            rows = [v for v in value if _filled(v)]
            if rows:
                kept[name] = rows
        elif value is not None:
            kept[name] = value
    return kept


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Mapping):
        return any(_filled(v) for k, v in value.items() if k != "kind")
    if isinstance(value, list | tuple):
        return any(_filled(v) for v in value)
    return value is not None


# --- the API's models -----------------------------------------------------------------------


#: The API's description of a section by its shape (English: the schema is one file).
_API_DOC = {
    "text": "A text, at most 20,000 characters.",
    "short": "One line, at most 200 characters.",
    "lines": "A list of at most 200 lines.",
    "pairs": "A list of at most 200 rows.",
    "evidence": "A list of at most 200 items of evidence.",
    "records": "Inquiry (询问笔录) and on-site inspection (现场检查笔录) records.",
}


def api_type(sections: Sequence[str], model_name: str) -> Any:
    """The pydantic model of a step's ``content``: its declared sections, each optional,
    with their bounds; an unknown section is an error."""
    from typing import Annotated

    from pydantic import Field, create_model

    from .steps import StrictIn

    text = Annotated[str, Field(max_length=TEXT_MAX)]
    short = Annotated[str, Field(max_length=SHORT_MAX)]
    line = Annotated[str, Field(max_length=SHORT_MAX * 10)]

    def items(kind: Any) -> Any:
        return Annotated[list[kind], Field(max_length=ITEMS_MAX)]

    def model(title: str, doc: str, /, **members: Any) -> Any:
        # positional only: a row's member may be called ``name`` (a witness's)
        return create_model(title, __base__=StrictIn, __doc__=doc, __module__=__name__, **members)

    fields: dict[str, Any] = {}
    for name in sections:
        spec = SECTIONS[name]
        kind: Any
        if spec.kind == "text":
            kind = text
        elif spec.kind == "short":
            kind = short
        elif spec.kind == "lines":
            kind = items(line)
        elif spec.kind == "pairs":
            row = model(
                f"{model_name}{name.title().replace('_', '')}Row",
                f"A row of `{name}`.",
                **{
                    spec.pair[0]: (short, ""),
                    spec.pair[1]: (short if spec.pair_short else text, ""),
                },
            )
            kind = items(row)
        elif spec.kind == "evidence":
            kind = items(EVIDENCE_ITEM)
        else:
            kind = items(RECORD)
        fields[name] = (kind | None, Field(None, description=_API_DOC[spec.kind]))
    return model(
        f"{model_name}Content",
        "The narrative the step's documents need (issue #14): each section optional.",
        **fields,
    )


def _shared_models() -> tuple[Any, Any]:
    from typing import Annotated

    from pydantic import Field, create_model

    from .steps import StrictIn

    text = Annotated[str, Field(max_length=TEXT_MAX)]
    short = Annotated[str, Field(max_length=SHORT_MAX)]
    moment = Annotated[str, Field(pattern=MOMENT_PATTERN)]
    qa = create_model(
        "QuestionAnswer",
        __base__=StrictIn,
        __module__=__name__,
        question=(text, ""),
        answer=(text, ""),
    )
    record = create_model(
        "RecordContent",
        __base__=StrictIn,
        __doc__="An inquiry (询问笔录) or on-site inspection record (现场检查笔录).",
        __module__=__name__,
        kind=(Literal["inquiry", "inspection"], "inquiry"),
        place=(short, ""),
        started=(moment, Field("", description="A day and a time: 2025-03-01 09:30.")),
        ended=(moment, Field("", description="A day and a time: 2025-03-01 10:15.")),
        officers=(Annotated[list[short], Field(max_length=ITEMS_MAX)], []),
        interviewee=(short, ""),
        qa=(Annotated[list[qa], Field(max_length=ITEMS_MAX)], []),  # type: ignore[valid-type]
        notes=(text, ""),
    )
    evidence = create_model(
        "EvidenceContent",
        __base__=StrictIn,
        __module__=__name__,
        name=(Annotated[str, Field(min_length=1, max_length=2000)], ...),
        proves=(Annotated[str, Field(max_length=2000)], ""),
        sm3=(
            Annotated[str, Field(pattern="^[0-9a-f]{64}$")] | None,
            Field(None, description="The SM3 digest of one of the case's evidence files."),
        ),
    )
    return record, evidence


RECORD, EVIDENCE_ITEM = _shared_models()


# --- the case page ---------------------------------------------------------------------------


def view(value: Any) -> list[dict[str, Any]]:
    """A step's ``content`` for the case page: per section its label and its value as
    ``text``, ``lines``, ``rows`` (label, text) or ``records``, in declared order; a
    section this version does not know (an imported file's) is shown as text."""
    if not isinstance(value, Mapping):
        return []
    order = list(SECTIONS)
    shown: list[dict[str, Any]] = []
    for name in sorted(value, key=lambda n: (order.index(n) if n in order else len(order), n)):
        item = value[name]
        if item is None:
            continue  # null: not given
        sec = SECTIONS.get(name)
        entry: dict[str, Any] = {"name": name, "label": sec.label if sec else name}
        if sec is None or not isinstance(item, list | str):
            entry["text"] = item if isinstance(item, str) else _plain(item)
        elif isinstance(item, str):
            entry["text"] = item
        elif sec.kind == "lines":
            entry["lines"] = [str(v) for v in item]
        elif sec.kind == "evidence":
            entry["lines"] = [
                " — ".join(str(v) for v in (e.get("name"), e.get("proves")) if v)
                if isinstance(e, Mapping)
                else str(e)
                for e in item
            ]
        elif sec.kind == "pairs":
            first, second = sec.pair
            entry["rows"] = [
                (r.get(first, ""), r.get(second, "")) if isinstance(r, Mapping) else ("", str(r))
                for r in item
            ]
        else:
            entry["records"] = [
                {
                    "kind": dict(RECORD_KINDS).get(r.get("kind"), r.get("kind")),
                    "head": " · ".join(
                        str(r[m]) for m in ("place", "started", "ended", "interviewee") if r.get(m)
                    ),
                    "officers": "、".join(str(o) for o in r.get("officers") or []),
                    "qa": [
                        (q.get("question", ""), q.get("answer", ""))
                        for q in r.get("qa") or []
                        if isinstance(q, Mapping)
                    ],
                    "notes": r.get("notes", ""),
                }
                for r in item
                if isinstance(r, Mapping)
            ]
        shown.append(entry)
    return shown


def _plain(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=1)

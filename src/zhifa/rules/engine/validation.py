"""Validation of a ``zhifa-casefile/1`` document against the JSON Schema that ships in
``rules/data/casefile-v1.schema.json``. Every error names the JSON path of the field
(``$.steps[3].on``) and says what was expected."""

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .casefile import CaseFile, prepare_builders, typed_case_file, typed_shapes
from .limits import MAX_BYTES, MAX_STEPS
from .schemacheck import Check, UnsupportedSchema, compile_check
from .schematypes import compile_decoder, compile_types

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "casefile-v1.schema.json"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class FieldError:
    """Where a case file is invalid and why: ``message`` in English (the command's
    stderr), ``zh`` the same in Chinese for the UI and the API."""

    path: str
    message: str
    zh: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def text(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") and self.zh else self.message


class InvalidCaseFile(ValueError):
    """The document is not a valid case file; ``errors`` says where and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = sorted(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class CaseFileTooLarge(InvalidCaseFile):
    """The file is larger than the limits allow (``limits.MAX_BYTES``, ``MAX_STEPS``):
    refused before it is validated or audited (the API answers 413)."""


def check_size(text: str | bytes) -> None:
    """Raise ``CaseFileTooLarge`` when ``text`` has more than ``MAX_BYTES`` bytes."""
    size = len(text) if isinstance(text, bytes | bytearray) else len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise CaseFileTooLarge(
            [
                FieldError(
                    "$",
                    f"at most {MAX_BYTES} bytes (got {size})",
                    f"案卷文件不得超过 {MAX_BYTES} 字节（实为 {size} 字节）",
                )
            ]
        )


def check_steps(count: int) -> None:
    """Raise ``CaseFileTooLarge`` when a case file has more than ``MAX_STEPS`` steps."""
    if count > MAX_STEPS:
        raise CaseFileTooLarge(
            [
                FieldError(
                    "$.steps",
                    f"at most {MAX_STEPS} steps (got {count})",
                    f"步骤不得超过 {MAX_STEPS} 个（实为 {count} 个）",
                )
            ]
        )


def _check_document_steps(document: Any) -> None:
    steps = document.get("steps") if isinstance(document, dict) else None
    if isinstance(steps, list):
        check_steps(len(steps))


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports it
    if not _DATE.match(value):
        return False
    dt.date.fromisoformat(value)  # raises on 2025-02-30
    return True


_formats = FormatChecker(formats=())
_formats.checks("date", raises=ValueError)(_is_date)


@cache
def schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


def _date_format(value: str) -> bool:
    try:
        return _is_date(value)
    except ValueError:
        return False


@cache
def fast_check() -> Check | None:
    """The compiled yes/no check of the whole schema (schemacheck.py), or None when the
    schema uses a keyword it does not implement (then the interpreter decides alone)."""
    try:
        return compile_check(schema(), {"date": _date_format})
    except UnsupportedSchema:
        return None


@cache
def typed_check() -> Check | None:
    """The msgspec check of the schema (schematypes.py), the first and fastest; it also
    bounds the depth of what it accepts. None when the schema uses something it does not
    implement."""
    try:
        return compile_types(schema(), _member_too_deep)
    except UnsupportedSchema:
        return None


@cache
def typed_decoder() -> Callable[[str | bytes], Any] | None:
    """Parse and check in one pass (schematypes.compile_decoder): the typed document of a
    valid case file, else None. None when the schema uses something it does not
    implement."""
    try:
        return compile_decoder(schema(), _member_too_deep, MAX_DEPTH, typed_shapes)
    except UnsupportedSchema:
        return None


def prepare() -> None:
    """Compile the schema into the typed decoder and check, build the typed case
    file's builders and load the administrative divisions (GB/T 2260) now: what the
    first file a process loads would otherwise wait for (``engine.prepare``)."""
    decode = typed_decoder()
    typed_check()
    if decode is not None:
        prepare_builders(decode.document_type)  # type: ignore[attr-defined]
    _known_division("110000")  # loads the divisions database once for every code


def _member_too_deep(value: Any) -> bool:
    """A member of the document (level 2) holds a nonempty container at MAX_DEPTH."""
    return (
        (type(value) is dict or type(value) is list)
        and bool(value)
        and _deeper(value, 2, MAX_DEPTH)
    )


@cache
def _validator() -> Draft202012Validator:
    """The whole schema, as shipped (used by tests to check the fast path agrees)."""
    return Draft202012Validator(schema(), format_checker=_formats)


@cache
def _document_validator() -> Draft202012Validator:
    """The schema with the per-kind step clauses left out: each step is then checked
    against its own ``$defs/step_<kind>`` only, instead of trying every kind's ``if``
    (the same result, several times faster)."""
    root = json.loads(json.dumps(schema()))
    root["$defs"]["step"].pop("allOf")
    return Draft202012Validator(root, format_checker=_formats)


@cache
def _step_validators() -> dict[str, Draft202012Validator]:
    defs = schema()["$defs"]
    return {
        name.removeprefix("step_"): Draft202012Validator(
            {"$defs": defs, "$ref": f"#/$defs/{name}"}, format_checker=_formats
        )
        for name in defs
        if name.startswith("step_")
    }


@cache
def _base_step_validator() -> Draft202012Validator:
    """``$defs/step`` without its per-kind clauses: what ``_document_validator`` checks
    of each step as an item of ``steps``."""
    defs = json.loads(json.dumps(schema()["$defs"]))
    defs["step"].pop("allOf")
    return Draft202012Validator({"$defs": defs, "$ref": "#/$defs/step"}, format_checker=_formats)


_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}


def _describe(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _error(err: Any, prefix: str = "$") -> list[FieldError]:
    path = prefix + str(err.json_path)[1:]
    kind = err.validator
    if kind == "required":
        missing = [p for p in err.validator_value if p not in (err.instance or {})]
        return [
            FieldError(_join(path, p), "required field is missing", "缺少必填字段") for p in missing
        ]
    if kind in ("anyOf", "oneOf") and err.context:
        # A nullable field (date | null …): report the most specific branch.
        best = [e for e in err.context if e.validator != "type" or e.validator_value != "null"]
        return _error(best[0], prefix) if best else [FieldError(path, err.message)]
    zh = ""
    if kind == "type":
        expected = err.validator_value
        names = [str(n) for n in (expected if isinstance(expected, list) else [expected])]
        # An optional field also accepts null ("not given"); the message names what it
        # expects when given.
        names = [n for n in names if n != "null"] or names
        got = _describe(err.instance)
        message = f"expected {' or '.join(names)}, got {got}"
        wanted = "或".join(_ZH_TYPES.get(n, n) for n in names)
        zh = f"应为{wanted}，实际为{_ZH_TYPES.get(got, got)}"
    elif kind == "format":
        message = f"expected a date YYYY-MM-DD (a real calendar date), got {err.instance!r}"
        zh = f"应为真实存在的日期（YYYY-MM-DD），实际为 {err.instance!r}"
    elif kind == "enum":
        choices = ", ".join(json.dumps(v) for v in err.validator_value if v is not None)
        got = json.dumps(err.instance, ensure_ascii=False)
        message = f"expected one of {choices}, got {got}"
        zh = f"应为以下之一：{choices}；实际为 {got}"
    elif kind == "const":
        got = json.dumps(err.instance, ensure_ascii=False)
        message = f"expected {json.dumps(err.validator_value)}, got {got}"
        zh = f"应为 {json.dumps(err.validator_value)}，实际为 {got}"
    elif kind == "exclusiveMaximum" and isinstance(err.instance, float | int):
        # Amounts are bounded (below 10^12 yuan); ``1e400`` is read as infinity.
        bound = f"{err.validator_value:,}"
        if isinstance(err.instance, float) and not math.isfinite(err.instance):
            message = f"expected a finite number below {bound}, got a number too large to hold"
            zh = f"应为小于 {bound} 的有限数字，实际数值过大（无法表示）"
        else:
            message = f"expected a number below {bound}, got {err.instance!r}"
            zh = f"应为小于 {bound} 的数字，实际为 {err.instance!r}"
    elif kind == "pattern" and "[0-9]{6}" in err.validator_value:
        message = f"expected a 6-digit region code, got {err.instance!r}"
        zh = f"应为6位行政区划代码，实际为 {err.instance!r}"
    else:
        message = err.message
    return [FieldError(path, message, zh)]


_ZH_TYPES = {
    "object": "对象",
    "array": "数组",
    "string": "字符串",
    "number": "数字",
    "integer": "整数",
    "boolean": "布尔值",
    "null": "空值",
}


def _join(path: str, prop: str) -> str:
    return f"{path}.{prop}" if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", prop) else f"{path}[{prop!r}]"


def validate_document(document: Any) -> None:
    """Raise ``InvalidCaseFile`` with every error of ``document`` (a parsed JSON value).

    The compiled check accepts a valid document at once; any other goes through the
    jsonschema interpreter, which names every error and its path. A document of more
    than ``MAX_STEPS`` steps is refused at once (``CaseFileTooLarge``)."""
    _check_document_steps(document)
    typed = typed_check()
    if typed is not None and typed(document):
        region = _region_code_errors(document)
        if region:
            raise InvalidCaseFile(region)
        return
    check = fast_check()
    if check is not None and check(document):
        region = _region_code_errors(document)
        if region:
            raise InvalidCaseFile(region)
        return
    errors: list[FieldError] = []
    for err in _document_validator().iter_errors(document):
        errors.extend(_error(err))
    steps = document.get("steps") if isinstance(document, dict) else None
    if isinstance(steps, list):
        validators = _step_validators()
        for i, step in enumerate(steps):
            kind = step.get("step") if isinstance(step, dict) else None
            if isinstance(kind, str) and kind in validators:
                for err in validators[kind].iter_errors(step):
                    errors.extend(_error(err, prefix=f"$.steps[{i}]"))
    errors.extend(_region_code_errors(document))
    if errors:
        raise InvalidCaseFile(sorted(set(errors)))


def validate_new_steps(document: Any, start: int) -> None:
    """``validate_document`` for a document whose steps before ``start`` are known to be
    valid (they were validated when they were stored): the case-level sections and the
    steps from ``start`` on are checked, with the same errors and paths
    (``$.steps[<index in the document>]…``) as ``validate_document`` reports for them.
    Adding a step then costs the same however many steps the case has. Use
    ``validate_document`` for anything from outside (imports, audits)."""
    steps = document.get("steps") if isinstance(document, dict) else None
    if not isinstance(steps, list) or start <= 0:
        validate_document(document)
        return
    errors = list(_case_level_errors({**document, "steps": []}))
    validators = _step_validators()
    for i in range(start, len(steps)):
        step = steps[i]
        prefix = f"$.steps[{i}]"
        for err in _base_step_validator().iter_errors(step):
            errors.extend(_error(err, prefix=prefix))
        kind = step.get("step") if isinstance(step, dict) else None
        if isinstance(kind, str) and kind in validators:
            for err in validators[kind].iter_errors(step):
                errors.extend(_error(err, prefix=prefix))
    if errors:
        raise InvalidCaseFile(sorted(set(errors)))


def _case_level_errors(document: dict[str, Any]) -> tuple[FieldError, ...]:
    """The schema's and the region code's errors of ``document`` (its steps emptied)."""
    errors: list[FieldError] = []
    for err in _document_validator().iter_errors(document):
        errors.extend(_error(err))
    errors.extend(_region_code_errors(document))
    return tuple(errors)


def _region_code_errors(document: Any) -> list[FieldError]:
    """``agency.region_code`` must be a GB/T 2260 division (current or abolished, as
    python-stdnum's division data lists them): local rules are gated on it, so a
    mistyped code must not silently change the legal result."""
    agency = document.get("agency") if isinstance(document, dict) else None
    code = agency.get("region_code") if isinstance(agency, dict) else None
    if not isinstance(code, str) or not re.fullmatch(r"[0-9]{6}", code):
        return []  # missing or malformed: the schema reports it
    if not _known_division(code):
        return [
            FieldError(
                "$.agency.region_code",
                f"expected a GB/T 2260 administrative division code, got {code!r} "
                "(no such division)",
                f"应为 GB/T 2260 行政区划代码，{code!r} 不是现有或曾有的行政区划",
            )
        ]
    return []


@cache
def _known_division(code: str) -> bool:
    from stdnum import numdb

    parts = numdb.get("cn/loc").info(code)
    return len(parts) == 2 and bool(parts[1][1])


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: A case file is a few levels deep; anything much deeper is not one, and deep nesting
#: would exhaust the recursion of the parser or the schema validator.
MAX_DEPTH = 32


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, computed without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """``_depth(value) > limit`` for a nonempty container, visiting only the containers
    (a nonempty container at level ``limit`` has a child at ``limit + 1``); the
    recursion is bounded by ``limit``."""
    return _deeper(value, 1, limit)


def _deeper(node: Any, level: int, limit: int) -> bool:
    """A nonempty container at ``limit`` or deeper under ``node`` (nonempty, at ``level``)."""
    if level >= limit:
        return True
    below = level + 1
    for child in node.values() if isinstance(node, dict) else node:
        if (type(child) is dict or type(child) is list or isinstance(child, dict | list)) and (
            child and _deeper(child, below, limit)
        ):
            return True
    return False


def _parse(text: str | bytes) -> Any:
    """Parse JSON text (no depth check); raise ``InvalidCaseFile`` when it is not JSON."""
    try:
        return json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise _too_deep_error() from None
    except json.JSONDecodeError as exc:
        raise InvalidCaseFile(
            [
                FieldError(
                    "$",
                    f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                    f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
                )
            ]
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCaseFile(
            [FieldError("$", f"not valid JSON: {exc}", f"不是有效的 JSON：{exc}")]
        ) from None


def _too_deep_error() -> InvalidCaseFile:
    return InvalidCaseFile(
        [
            FieldError(
                "$",
                f"nested more than {MAX_DEPTH} levels deep; not a case file",
                f"嵌套超过 {MAX_DEPTH} 层，不是案卷文件",
            )
        ]
    )


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text; raise ``InvalidCaseFile`` (path ``$``) when it is not JSON or
    nests more than ``MAX_DEPTH`` levels; ``CaseFileTooLarge`` when it has more than
    ``MAX_BYTES`` bytes or ``MAX_STEPS`` steps."""
    check_size(text)
    document = _parse(text)
    _check_document_steps(document)
    if isinstance(document, dict | list) and document and _too_deep(document):
        raise _too_deep_error()
    return document


#: a string of at most this many characters has at most MAX_BYTES bytes in UTF-8
_SURELY_SMALL = MAX_BYTES // 4


def load_case_file(text: str | bytes) -> CaseFile:
    """Parse, validate and build the typed case file of ``text``: what
    ``CaseFile.from_dict(load_document(text))`` gives, with the same errors.

    A file the typed decoder accepts (nearly every valid one) is parsed, checked and
    built in one pass; any other goes through ``load_document``."""
    if type(text) is not str or len(text) > _SURELY_SMALL:
        check_size(text)
    # else: at most 4 bytes a character, the file is within MAX_BYTES; a string that
    # cannot be encoded (a lone surrogate) raises the same UnicodeEncodeError in the
    # decoder, which encodes it first, as check_size does.
    decode = typed_decoder()
    typed = decode(text) if decode is not None else None
    if typed is None:
        return CaseFile.from_dict(load_document(text))
    check_steps(len(typed.steps))
    region = typed.agency.region_code
    if isinstance(region, str) and not _known_division(region):
        raise InvalidCaseFile(_region_code_errors({"agency": {"region_code": region}}))
    return typed_case_file(typed)


def load_document(text: str | bytes) -> dict[str, Any]:
    """Parse and validate; the returned document is a valid case file.

    A document the typed check accepts is valid and bounded in depth (schematypes.py):
    it needs no walk for the depth limit. Any other goes the whole way (the depth limit,
    then ``validate_document``), with the same errors as before. Too large a file raises
    ``CaseFileTooLarge``."""
    check_size(text)
    document = _parse(text)
    _check_document_steps(document)
    typed = typed_check()
    if typed is not None and type(document) is dict and typed(document):
        region = _region_code_errors(document)
        if region:
            raise InvalidCaseFile(region)
        return document
    if isinstance(document, dict | list) and document and _too_deep(document):
        raise _too_deep_error()
    validate_document(document)
    assert isinstance(document, dict)
    return document

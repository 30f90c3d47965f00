"""Scoring sheets as dated data: import from JSON (``zhifa-scoring-sheet/1``, checked
against ``data/scoring-sheet-v1.schema.json``) or from Excel, and the version valid on
a day.

Excel layout: a worksheet ``header`` with one field per row (column A the field:
``code``, ``version``, ``name``, ``issuer``, ``valid_from``, ``valid_to``, ``note``;
column B its value) and a worksheet ``items`` whose first row names the columns
``code``, ``kind``, ``aspect``, ``text``, ``points``, ``deduction``, ``rules`` (rule IDs
separated by commas or spaces), one item per following row. Errors name the worksheet,
the row and the field.

Each item may name engine rule IDs whose findings on a case pre-fill it (the mapping is
data); an unknown rule ID is refused. A veto item carries no points; a scored item's
deduction per fault is at most its points. Two versions of one sheet code may not be
valid on the same day."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from jsonschema import Draft202012Validator

import zhifa.rules.engine.audit  # noqa: F401  (registers the rule units)
from zhifa.rules.engine.catalogue import RULES

from .models import ItemKind, ScoringSheet, SheetItem

DATA = Path(__file__).resolve().parent / "data"
SCHEMA_FILE = DATA / "scoring-sheet-v1.schema.json"
DEFAULT_SHEET = DATA / "default_sheet.json"
FORMAT = "zhifa-scoring-sheet/1"
HEADER_FIELDS = ("code", "version", "name", "issuer", "valid_from", "valid_to", "note")
ITEM_COLUMNS = ("code", "kind", "aspect", "text", "points", "deduction", "rules")
MAX_BYTES = 5 * 1024 * 1024


class SheetError(ValidationError):
    """An import refused: ``message_dict`` maps each place (``items[3].points`` or
    ``items row 5: points``) to what is wrong."""


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _json_path(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def check(document: Any, place: Any = _json_path) -> dict[str, list[str]]:
    """The problems of a sheet document, by place (empty: acceptable). ``place`` turns
    a JSON path (a list) into the name an error gives."""
    errors: dict[str, list[str]] = {}

    def add(path: list[Any], message: str) -> None:
        errors.setdefault(place(path), []).append(message)

    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.path)):
        add(list(error.absolute_path), error.message)
    if errors or not isinstance(document, dict):
        return errors
    start, end = _date(document["valid_from"]), None
    if start is None:
        add(["valid_from"], "not a date (YYYY-MM-DD)")
    if document.get("valid_to") is not None:
        end = _date(document["valid_to"])
        if end is None:
            add(["valid_to"], "not a date (YYYY-MM-DD)")
        elif start is not None and end < start:
            add(["valid_to"], "before valid_from")
    seen: set[str] = set()
    for index, item in enumerate(document["items"]):
        if item["code"] in seen:
            add(["items", index, "code"], f"the code {item['code']} appears twice")
        seen.add(item["code"])
        points, deduction = item.get("points", 0), item.get("deduction", 0)
        if item["kind"] == ItemKind.VETO and (points or deduction):
            add(["items", index, "points"], "a veto item carries no points nor deduction")
        if item["kind"] != ItemKind.VETO:
            if points <= 0:
                add(["items", index, "points"], "a scored item needs points above 0")
            if deduction <= 0 or deduction > points:
                add(["items", index, "deduction"], "give a deduction from 1 to the item's points")
        unknown = [r for r in item.get("rules", []) if r not in RULES]
        if unknown:
            add(["items", index, "rules"], f"unknown rule ID(s): {', '.join(unknown)}")
    if not any(i["kind"] != ItemKind.VETO for i in document["items"]):
        add(["items"], "the sheet has no scored item")
    return errors


def _overlap(code: str, start: dt.date, end: dt.date | None) -> ScoringSheet | None:
    clash = ScoringSheet.objects.filter(code=code).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    if end is not None:
        clash = clash.filter(valid_from__lte=end)
    return clash.first()


@transaction.atomic
def import_document(
    document: Any, *, raw: bytes | None = None, place: Any = _json_path
) -> ScoringSheet:
    """Store a checked sheet document; ``SheetError`` naming each problem otherwise
    (nothing written)."""
    errors = check(document, place)
    if not errors:
        start = dt.date.fromisoformat(document["valid_from"])
        end = _date(document.get("valid_to"))
        if ScoringSheet.objects.filter(code=document["code"], version=document["version"]).exists():
            errors[place(["version"])] = [
                f"version {document['version']} of {document['code']} is already imported"
            ]
        else:
            clash = _overlap(document["code"], start, end)
            if clash is not None:
                errors[place(["valid_from"])] = [
                    f"overlaps version {clash.version} (valid from {clash.valid_from})"
                ]
    if errors:
        raise SheetError(errors)
    if raw is None:
        raw = json.dumps(document, ensure_ascii=False, sort_keys=True).encode()
    sheet = ScoringSheet.objects.create(
        code=document["code"],
        version=document["version"],
        name=document["name"],
        issuer=document["issuer"],
        valid_from=start,
        valid_to=end,
        note=document.get("note", ""),
        source_sha256=hashlib.sha256(raw).hexdigest(),
        imported_at=timezone.now(),
    )
    SheetItem.objects.bulk_create(
        SheetItem(
            sheet=sheet,
            position=position,
            code=item["code"],
            kind=item["kind"],
            aspect=item.get("aspect", ""),
            text=item["text"],
            points=item.get("points", 0),
            deduction=item.get("deduction", 0),
            rules=list(item.get("rules", [])),
        )
        for position, item in enumerate(document["items"], start=1)
    )
    return sheet


def import_json(raw: bytes) -> ScoringSheet:
    if len(raw) > MAX_BYTES:
        raise SheetError({"file": [f"larger than {MAX_BYTES} bytes"]})
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SheetError({"file": [f"not JSON: {exc}"]}) from exc
    return import_document(document, raw=raw)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def excel_document(raw: bytes) -> tuple[dict[str, Any], Any]:
    """The JSON document an Excel workbook holds, and how its errors name rows."""
    from openpyxl import load_workbook

    if len(raw) > MAX_BYTES:
        raise SheetError({"file": [f"larger than {MAX_BYTES} bytes"]})
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError({"file": [f"not an Excel workbook (.xlsx): {exc}"]}) from exc
    errors: dict[str, list[str]] = {}
    for name in ("header", "items"):
        if name not in book.sheetnames:
            errors.setdefault("file", []).append(f"no worksheet named {name!r}")
    if errors:
        raise SheetError(errors)
    document: dict[str, Any] = {"format": FORMAT, "valid_to": None}
    for number, row in enumerate(book["header"].iter_rows(values_only=True), start=1):
        if not row or row[0] is None:
            continue
        field = str(row[0]).strip()
        if field not in HEADER_FIELDS:
            errors.setdefault(f"header row {number}", []).append(
                f"unknown field {field!r} (expected one of {', '.join(HEADER_FIELDS)})"
            )
            continue
        value = _cell(row[1] if len(row) > 1 else None)
        document[field] = "" if value is None and field == "note" else value
    rows = list(book["items"].iter_rows(values_only=True))
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
    missing = [c for c in ("code", "kind", "text") if c not in header]
    if missing:
        errors.setdefault("items row 1", []).append(f"missing column(s): {', '.join(missing)}")
    if errors:
        raise SheetError(errors)
    items, row_numbers = [], []
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, row, strict=False))
        if all(v is None or v == "" for v in values.values()):
            continue
        item: dict[str, Any] = {}
        for column in ITEM_COLUMNS:
            value = _cell(values.get(column))
            if value is None or value == "":
                continue
            if column == "rules":
                value = [r for r in re.split(r"[,，;；\s]+", str(value)) if r]
            item[column] = value
        items.append(item)
        row_numbers.append(number)
    document["items"] = items

    def place(path: list[Any]) -> str:
        if path and path[0] == "items" and len(path) > 1 and isinstance(path[1], int):
            field = path[2] if len(path) > 2 else "row"
            return f"items row {row_numbers[path[1]]}: {field}"
        if path and path[0] in HEADER_FIELDS:
            return f"header: {path[0]}"
        return _json_path(path)

    return document, place


def import_excel(raw: bytes) -> ScoringSheet:
    document, place = excel_document(raw)
    return import_document(document, raw=raw, place=place)


def import_file(name: str, raw: bytes) -> ScoringSheet:
    """A ``.json`` or ``.xlsx`` file, by its name."""
    if name.lower().endswith(".xlsx"):
        return import_excel(raw)
    if name.lower().endswith(".json"):
        return import_json(raw)
    raise SheetError({"file": ["give a .json or .xlsx file"]})


def sheet_on(code: str, day: dt.date) -> ScoringSheet | None:
    """The version of ``code`` valid on ``day``."""
    return (
        ScoringSheet.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def sheets_on(day: dt.date) -> list[ScoringSheet]:
    """Every sheet code's version valid on ``day``."""
    found = (
        ScoringSheet.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("code", "-valid_from")
    )
    chosen: dict[str, ScoringSheet] = {}
    for sheet in found:
        chosen.setdefault(sheet.code, sheet)
    return list(chosen.values())


def ensure_default_sheet() -> ScoringSheet:
    """The platform's example sheet (``data/default_sheet.json``), imported once."""
    raw = DEFAULT_SHEET.read_bytes()
    document = json.loads(raw)
    found = ScoringSheet.objects.filter(code=document["code"], version=document["version"]).first()
    return found or import_document(document, raw=raw)

"""Reading and writing tables as Excel (.xlsx, openpyxl) or CSV (UTF-8), for imports
and exports. Rows are numbered as a spreadsheet shows them: the header is row 1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MAX_ROWS = 5000
#: Largest import file accepted.
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class TableError(Exception):
    """The file cannot be read as a table at all (or is refused whole)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"{e.row}/{e.column}: {e.message}" for e in errors))
        self.errors = errors


def format_of(filename: str) -> str:
    name = filename.lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    raise TableError([RowError(0, "", _("Upload an .xlsx or .csv file."))])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(file: IO[bytes], filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header row and the data rows (with their row numbers), all as text.
    Blank rows are skipped."""
    fmt = format_of(filename)
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise TableError(
            [RowError(0, "", _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES >> 20})]
        )
    rows: list[list[str]] = []
    # Read at most one row beyond the limit (header + MAX_ROWS + 1), so a huge or
    # highly compressed workbook cannot exhaust memory; blank rows count too.
    limit = MAX_ROWS + 2
    try:
        if fmt == "csv":
            text = raw.decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text)):
                rows.append([_cell(c) for c in row])
                if len(rows) >= limit:
                    break
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                rows.append([_cell(c) for c in values])
                if len(rows) >= limit:
                    break
            workbook.close()
    except UnicodeDecodeError as exc:
        raise TableError([RowError(0, "", _("The CSV file is not UTF-8 text."))]) from exc
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(
            [RowError(0, "", _("The file cannot be read as an Excel workbook."))]
        ) from exc
    if not rows or not any(rows[0]):
        raise TableError([RowError(1, "", _("The file has no header row."))])
    header = rows[0]
    data = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(row)]
    if len(data) > MAX_ROWS or len(rows) >= limit:
        raise TableError(
            [RowError(0, "", _("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})]
        )
    return header, data


def write_table(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else _export_value(v) for v in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(list(headers))
        for row in rows:
            sheet.append(["" if v is None else _export_value(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


#: A text cell starting with one of these is run as a formula by spreadsheet programs
#: (CSV/formula injection); exported text gets a leading apostrophe instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """``value`` as an exported cell may hold it: text starting like a formula gets a
    leading apostrophe (for the other exports that write their own sheets)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _export_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value.normalize(), "f")
    return value

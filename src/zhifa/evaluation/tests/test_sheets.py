"""Scoring sheets as dated data: the shipped example, JSON and Excel import with errors
naming the place, the version valid on a day."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from zhifa.evaluation import sheets
from zhifa.evaluation.models import ItemKind, ScoringSheet
from zhifa.rules.engine.catalogue import RULES

pytestmark = pytest.mark.django_db


def default_document() -> dict:
    return json.loads(sheets.DEFAULT_SHEET.read_text(encoding="utf-8"))


def test_the_default_sheet_has_the_issues_structure_and_known_rules(sheet) -> None:
    items = list(sheet.items.all())
    vetoes = [i for i in items if i.kind == ItemKind.VETO]
    assert len(vetoes) == 9 and all(i.points == 0 for i in vetoes)
    assert sum(i.points for i in items if i.kind == ItemKind.FORM) == 20
    assert sum(i.points for i in items if i.kind == ItemKind.SUBSTANCE) == 80
    assert sheet.total_points == 100
    assert all(r in RULES for i in items for r in i.rules)
    # The seeds set no points: the sheet says its points are the platform's example.
    assert "示例" in sheet.name and "示例" in sheet.note
    # Imported once.
    assert sheets.ensure_default_sheet().pk == sheet.pk


@pytest.mark.parametrize(
    "change, place, fragment",
    [
        (lambda d: d["items"][2].update(points=-1), "items[2].points", "minimum"),
        (lambda d: d["items"][10].update(rules=["NO-SUCH-RULE"]), "items[10].rules", "NO-SUCH"),
        (lambda d: d["items"][0].update(points=5), "items[0].points", "veto"),
        (lambda d: d["items"][10].update(deduction=99), "items[10].deduction", "deduction"),
        (lambda d: d["items"][1].update(code="V1"), "items[1].code", "twice"),
        (lambda d: d.update(valid_to="2020-01-01"), "valid_to", "before"),
        (lambda d: d.pop("issuer"), "$", "issuer"),
        (lambda d: d.update(valid_from="2026-13-01"), "valid_from", "date"),
    ],
)
def test_a_bad_sheet_is_refused_naming_the_place(change, place, fragment) -> None:
    document = default_document()
    change(document)
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_document(document)
    assert place in caught.value.message_dict, caught.value.message_dict
    assert fragment in " ".join(caught.value.message_dict[place])
    assert not ScoringSheet.objects.exists()


def test_not_json_is_refused_naming_the_file() -> None:
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_json(b"{not json")
    assert "file" in caught.value.message_dict


def test_the_version_valid_on_a_day_is_chosen_by_date(sheet) -> None:
    newer = copy.deepcopy(default_document())
    # The example is open-ended: a new version must not overlap it.
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_document(dict(newer, version="2027.1", valid_from="2027-01-01"))
    assert "overlaps" in caught.value.message_dict["valid_from"][0]
    ScoringSheet.objects.filter(pk=sheet.pk).update(valid_to=dt.date(2026, 12, 31))
    second = sheets.import_document(dict(newer, version="2027.1", valid_from="2027-01-01"))
    assert sheets.sheet_on("zhifa-example", dt.date(2026, 12, 31)).pk == sheet.pk
    assert sheets.sheet_on("zhifa-example", dt.date(2027, 1, 1)).pk == second.pk
    assert sheets.sheet_on("zhifa-example", dt.date(2020, 1, 1)) is None
    assert [s.pk for s in sheets.sheets_on(dt.date(2027, 3, 1))] == [second.pk]
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_document(dict(newer, version="2027.1", valid_from="2028-01-01"))
    assert "already imported" in caught.value.message_dict["version"][0]


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    head = book.active
    head.title = "header"
    for row in (
        ["code", "zj-market"],
        ["version", "2026"],
        ["name", "浙江省市场监管行政处罚案卷评查标准"],
        ["issuer", "某省司法厅"],
        ["valid_from", dt.date(2026, 1, 1)],
        ["note", "test"],
    ):
        head.append(row)
    items = book.create_sheet("items")
    items.append(["code", "kind", "aspect", "text", "points", "deduction", "rules"])
    for row in rows:
        items.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_sheet_is_imported() -> None:
    raw = workbook(
        [
            ["V1", "veto", "主体", "主体不合法", None, None, "APL-38-subject, POWER-kind"],
            ["F1", "form", "卷面", "文书规范", 20, 2, None],
            ["S1", "substance", "事实", "事实清楚", 80, 5, "APL-40-facts"],
        ]
    )
    sheet = sheets.import_file("sheet.xlsx", raw)
    assert (sheet.code, sheet.valid_from, sheet.total_points) == (
        "zj-market",
        dt.date(2026, 1, 1),
        100,
    )
    assert list(sheet.items.values_list("code", "rules")) == [
        ("V1", ["APL-38-subject", "POWER-kind"]),
        ("F1", []),
        ("S1", ["APL-40-facts"]),
    ]


def test_an_excel_error_names_the_row_and_the_field() -> None:
    raw = workbook(
        [
            ["F1", "form", "卷面", "文书规范", 20, 2, None],
            ["S1", "substance", "事实", "事实清楚", "eighty", 5, None],
            ["S2", "substance", "事实", "事实清楚", 10, 2, "BAD-RULE"],
        ]
    )
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_file("sheet.xlsx", raw)
    assert "items row 3: points" in caught.value.message_dict
    with pytest.raises(sheets.SheetError) as caught:
        sheets.import_file("x.xlsx", b"PK not a workbook")
    assert "file" in caught.value.message_dict
    with pytest.raises(sheets.SheetError):
        sheets.import_file("x.csv", b"")


def test_the_command_imports_and_reports_errors(tmp_path, capsys) -> None:
    call_command("evaluation", "import-sheet", "--default")
    assert "imported zhifa-example" in capsys.readouterr().out
    bad = default_document()
    bad["version"] = "x"
    bad["items"][3]["points"] = "four"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("evaluation", "import-sheet", str(path))
    assert "items[3].points" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("evaluation", "import-sheet", str(tmp_path / "missing.json"))
    assert "cannot read" in str(caught.value)

"""Imports are bounded (size, rows) and exports cannot smuggle spreadsheet formulas."""

import csv
import io

import pytest

from zhifa.registry import tabular


def test_exported_text_never_starts_a_formula():
    data = tabular.write_table("csv", ["名称"], [['=HYPERLINK("http://x")'], ["+1"], ["正常"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1:] == [['\'=HYPERLINK("http://x")'], ["'+1"], ["正常"]]


def test_too_many_rows_are_refused_without_reading_them_all(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    text = "名称\n" + "".join(f"行{i}\n" for i in range(1000))
    with pytest.raises(tabular.TableError) as exc:
        tabular.read_table(io.BytesIO(text.encode()), "x.csv")
    assert "3" in exc.value.errors[0].message


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    with pytest.raises(tabular.TableError):
        tabular.read_table(io.BytesIO(b"a" * 101), "x.csv")

"""A region code that names no GB/T 2260 division makes the file invalid: local rules
depend on it, so a typo must not silently change the findings."""

import json
from pathlib import Path

import pytest

from zhifa.rules.engine import InvalidCaseFile, load_document

LEGAL = Path(__file__).resolve().parent.parent / "legal_tests"


def document(code: str) -> str:
    data = json.loads((LEGAL / "summary_clean.json").read_text())
    data["agency"]["region_code"] = code
    return json.dumps(data)


@pytest.mark.parametrize("code", ["330400", "500103", "350583", "330422"])
def test_current_and_abolished_divisions_are_accepted(code):
    assert load_document(document(code))["agency"]["region_code"] == code


@pytest.mark.parametrize("code", ["339999", "990000", "000000"])
def test_unknown_divisions_are_refused_with_the_path(code):
    with pytest.raises(InvalidCaseFile) as exc:
        load_document(document(code))
    assert [e.path for e in exc.value.errors] == ["$.agency.region_code"]
    assert "GB/T 2260" in exc.value.errors[0].message

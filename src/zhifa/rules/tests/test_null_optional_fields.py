"""An optional field may be absent or ``null``: both mean "not given"
(case-file-format.md). Every optional field of the schema accepts ``null``, and a file
with ``null`` for every optional field it leaves out is audited, with the same findings
as the file without those keys."""

import copy
import datetime as dt
import json
from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, audit, render
from zhifa.rules.engine.casefile import without_nulls
from zhifa.rules.engine.validation import InvalidCaseFile, schema, validate_document

from .conftest import LEGAL_TESTS, legal_case_files

CASES = legal_case_files()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _resolve(schema()["$defs"][ref.rsplit("/", 1)[1]])
    return node


def _object_schema(node: dict[str, Any]) -> dict[str, Any] | None:
    """The object branch of a (possibly nullable) property schema."""
    node = _resolve(node)
    if "properties" in node:
        return node
    for branch in node.get("anyOf", ()):
        found = _object_schema(branch)
        if found is not None:
            return found
    return None


def fill_nulls(document: Any, node: dict[str, Any]) -> Any:
    """``document`` with ``null`` for every optional property of ``node`` it leaves out,
    at every level (each step against its own kind's properties)."""
    if isinstance(document, list):
        items = node.get("items")
        if not isinstance(items, dict):
            return document
        if _resolve(items) is schema()["$defs"]["step"]:
            defs = schema()["$defs"]
            return [fill_nulls(s, defs.get(f"step_{s['step']}", defs["step"])) for s in document]
        return [fill_nulls(v, items) for v in document]
    if not isinstance(document, dict):
        return document
    obj = _object_schema(node)
    if obj is None:
        return document
    out = {}
    for key, value in document.items():
        sub = obj["properties"].get(key)
        out[key] = value if sub is None else fill_nulls(value, sub)
    for key in obj["properties"]:
        if key not in document and key not in obj.get("required", ()):
            out[key] = None
    return out


def _count_nulls(value: Any) -> int:
    if isinstance(value, dict):
        return sum(v is None for v in value.values()) + sum(map(_count_nulls, value.values()))
    if isinstance(value, list):
        return sum(map(_count_nulls, value))
    return 0


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_file_full_of_nulls_gives_the_same_audit(path: Any) -> None:
    document = json.loads(path.read_text("utf-8"))
    nulled = fill_nulls(copy.deepcopy(document), schema())
    if path.stem != "optional_nulls_clean":  # that one is full of nulls already
        assert _count_nulls(nulled) > _count_nulls(document) + 10
    validate_document(nulled)  # accepted, not rejected
    as_of = dt.date.fromisoformat(document["as_of"])
    plain = audit(CaseFile.from_dict(without_nulls(document)), as_of)
    assert render(audit(CaseFile.from_dict(nulled), as_of)) == render(plain)
    assert CaseFile.from_dict(nulled) == CaseFile.from_dict(without_nulls(document))


def test_the_examples_of_the_issue() -> None:
    document = json.loads((LEGAL_TESTS / "year_without_schedule.json").read_text("utf-8"))
    nulled = copy.deepcopy(document)
    nulled["benchmark"] = None
    nulled["violation"]["ended_on"] = None
    nulled["officers"][0]["auxiliary"] = None
    nulled["settings"] = None
    nulled["steps"][1]["evidence"] = None
    validate_document(nulled)
    as_of = dt.date(2027, 2, 10)
    plain = copy.deepcopy(document)
    del plain["steps"][1]["evidence"]
    assert render(audit(CaseFile.from_dict(nulled), as_of)) == render(
        audit(CaseFile.from_dict(plain), as_of)
    )


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d.update(procedure=None), "$.procedure"),
        (lambda d: d.update(basis=None), "$.basis"),
        (lambda d: d["agency"].update(subject_type="entrusted", entrustment=None), "entrustment"),
        (lambda d: d["steps"][0].update(on=None), "$.steps[0].on"),
        (lambda d: d["party"].update(name=None), "$.party.name"),
    ],
)
def test_null_is_refused_where_the_field_is_required(where: Any, path: str) -> None:
    document = json.loads((LEGAL_TESTS / "general_clean_national_day.json").read_text("utf-8"))
    where(document)
    with pytest.raises(InvalidCaseFile) as raised:
        validate_document(document)
    assert any(path in str(e) for e in raised.value.errors), raised.value.errors


def test_a_wrong_type_in_an_optional_field_is_still_named_as_before() -> None:
    document = json.loads((LEGAL_TESTS / "general_clean_national_day.json").read_text("utf-8"))
    document["violation"]["complex"] = "yes"
    document["benchmark"] = "band"
    with pytest.raises(InvalidCaseFile) as raised:
        validate_document(document)
    assert [str(e) for e in raised.value.errors] == [
        "$.benchmark: expected object, got string",
        "$.violation.complex: expected boolean, got string",
    ]

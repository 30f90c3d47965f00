"""Issue #13 item 5: ``fine_min: 1e400`` in an audited file was read as infinity and
printed as "inf 元". Amounts in a case file are below 10^12 yuan (the schema's
``exclusiveMaximum``): every path that reads a case file (the typed decoder, the
compiled check, the jsonschema interpreter) refuses a larger or infinite one with the
same error naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zhifa.rules.engine.validation import (
    InvalidCaseFile,
    load_case_file,
    load_document,
    validate_document,
)

from .conftest import LEGAL_TESTS

CLEAN = LEGAL_TESTS / "general_clean_national_day.json"


def _text(path: tuple[Any, ...], literal: str) -> str:
    """The clean case file with the number at ``path`` written as ``literal``."""
    document = json.loads(CLEAN.read_text("utf-8"))
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = 123456789  # a marker, replaced by the literal in the text
    text = json.dumps(document, ensure_ascii=False)
    assert text.count("123456789") == 1
    return text.replace("123456789", literal)


def _errors(call: Any, value: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidCaseFile) as exc:
        call(value)
    return [(e.path, e.message, e.zh) for e in exc.value.errors]


@pytest.mark.parametrize("literal", ["1e400", "1e30", "1000000000000", "-1e400"])
@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("basis", "fine_min"), "$.basis.fine_min"),
        (("basis", "fine_max"), "$.basis.fine_max"),
        (("benchmark", "fine_max"), "$.benchmark.fine_max"),
    ],
)
def test_an_amount_out_of_bounds_is_refused_the_same_on_every_path(literal, path, where):
    text = _text(path, literal)
    parsed = json.loads(text)
    by_decoder = _errors(load_case_file, text)
    by_loader = _errors(load_document, text)
    by_interpreter = _errors(validate_document, parsed)
    assert by_decoder == by_loader == by_interpreter
    assert [e[0] for e in by_decoder] == [where]
    message = by_decoder[0][1]
    if literal.startswith("-"):
        assert "minimum of 0" in message  # negative: the schema's minimum
    else:
        assert "below 1,000,000,000,000" in message and "inf" not in message


def test_the_message_says_the_bound_and_is_in_chinese_too():
    [(path, message, zh)] = _errors(load_case_file, _text(("basis", "fine_min"), "1e400"))
    assert path == "$.basis.fine_min"
    assert message == (
        "expected a finite number below 1,000,000,000,000, got a number too large to hold"
    )
    assert "1,000,000,000,000" in zh
    [(_, message, _zh)] = _errors(load_case_file, _text(("basis", "fine_min"), "1e30"))
    assert message == "expected a number below 1,000,000,000,000, got 1e+30"


def test_the_largest_amount_below_the_bound_is_accepted():
    basis = load_case_file(_text(("basis", "fine_max"), "999999999999")).basis
    assert basis is not None and basis.fine_max == 999999999999

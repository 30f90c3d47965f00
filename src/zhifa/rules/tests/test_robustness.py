"""Any valid case file is audited without an exception, however odd its content."""

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.rules.engine import CaseFile, InvalidCaseFile, audit, render, validate_document

from .conftest import legal_case_files

TEMPLATES = [json.loads(p.read_text("utf-8")) for p in legal_case_files()]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(
        [
            "penalty",
            "summary",
            "general",
            "fine",
            "closure",
            "o1",
            "o2",
            "h1",
            "passed",
            "electronic",
            "remote_area",
            "small_fine",
            "entrusted",
            "internal_unit",
            "decision",
            "registered",
            "hearing",
            "court_application",
            "demand",
            "seizure",
            "served",
            "paid",
        ]
    ),
    st.lists(st.sampled_from(["party_statement", "o1", "fine", "seal"]), max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_documents_never_crash_the_audit(data: st.DataObject) -> None:
    document = copy.deepcopy(data.draw(st.sampled_from(TEMPLATES)))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        path = data.draw(st.sampled_from(_paths(document)))
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = data.draw(VALUES)
    try:
        validate_document(document)
    except InvalidCaseFile:
        return
    as_of = data.draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
    text = render(audit(CaseFile.from_dict(document), as_of))
    assert json.loads(text)["format"] == "zhifa-findings/1"

"""``validate_new_steps`` (the path ``add_step`` takes) reports, for a document whose
earlier steps are valid, exactly the errors of validating the whole document against
the whole schema, with the same field paths."""

import copy
import json
import random
from typing import Any

import pytest

from zhifa.rules.engine.validation import InvalidCaseFile, validate_new_steps

from .conftest import legal_case_files
from .test_validation import MUTATIONS, _full_schema_errors, _paths


def _new_step_errors(document: Any, start: int) -> list[Any]:
    try:
        validate_new_steps(document, start)
    except InvalidCaseFile as exc:
        return exc.errors
    return []


@pytest.mark.parametrize("seed", range(40))
def test_new_steps_path_agrees_with_the_whole_schema(seed: int) -> None:
    rng = random.Random(seed)
    candidates = [
        d
        for d in (json.loads(f.read_text("utf-8")) for f in legal_case_files())
        if len(d.get("steps", [])) >= 2
    ]
    document = candidates[seed % len(candidates)]
    start = len(document["steps"]) - 1
    # Break the case-level sections or the last step, never a stored step.
    paths = [p for p in _paths(document) if p[0] != "steps" or (len(p) > 1 and p[1] == start)]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        target = document
        try:
            for key in path[:-1]:
                target = target[key]
            if rng.random() < 0.3 and isinstance(target, dict):
                del target[path[-1]]
            else:
                target[path[-1]] = copy.deepcopy(rng.choice(MUTATIONS))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the parent
    if not isinstance(document.get("steps"), list) or len(document["steps"]) <= start:
        start = 0
    assert _new_step_errors(document, start) == _full_schema_errors(document)


def test_a_bad_new_step_is_named_by_its_index_in_the_case() -> None:
    document = next(
        d
        for d in (json.loads(f.read_text("utf-8")) for f in legal_case_files())
        if len(d.get("steps", [])) >= 3
    )
    n = len(document["steps"])
    document["steps"].append({"step": "paid", "on": "2026-02-30", "amount": "many"})
    errors = _new_step_errors(document, n)
    assert errors == _full_schema_errors(document)
    assert {e.path for e in errors} >= {f"$.steps[{n}].on", f"$.steps[{n}].amount"}


def _two_step_document() -> dict[str, Any]:
    return next(
        d
        for d in (json.loads(f.read_text("utf-8")) for f in legal_case_files())
        if len(d.get("steps", [])) >= 2
    )


def test_the_case_level_answer_follows_every_value_and_type() -> None:
    document = _two_step_document()
    start = len(document["steps"]) - 1
    assert _new_step_errors(document, start) == []
    assert _new_step_errors(document, start) == []  # asked twice, same answer
    # The same sections changed after an answer: checked again.
    broken = copy.deepcopy(document)
    broken["case_id"] = 7
    assert _new_step_errors(broken, start) == _full_schema_errors(broken) != []
    # Values equal in Python but of other JSON types are told apart.
    for value in (True, 1.0):
        typed = copy.deepcopy(document)
        typed["party"]["name"] = value
        assert _new_step_errors(typed, start) == _full_schema_errors(typed) != []
    assert _new_step_errors(document, start) == []


def test_a_document_with_non_json_values_is_checked() -> None:
    document = _two_step_document()
    start = len(document["steps"]) - 1
    document["violation"] = tuple(document["violation"].items())  # not a JSON object
    errors = _new_step_errors(document, start)
    assert errors == _full_schema_errors(document) != []
    assert {e.path for e in errors} >= {"$.violation"}

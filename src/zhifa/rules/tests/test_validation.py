"""Validation uses the shipped JSON Schema; the per-kind fast path gives exactly the
errors of validating against the whole schema."""

import copy
import json
import random
from typing import Any

import pytest

from zhifa.rules.engine.schemacheck import UnsupportedSchema, compile_check
from zhifa.rules.engine.validation import (
    FieldError,
    InvalidCaseFile,
    _error,
    _validator,
    fast_check,
    validate_document,
)

from .conftest import legal_case_files

MUTATIONS: list[Any] = [None, "x", 3, -1, 1.5, True, [], {}, "2025-02-30", "2025-01-01"]


def _full_schema_errors(document: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    for err in _validator().iter_errors(document):
        errors.extend(_error(err))
    return sorted(set(errors))


def _fast_errors(document: Any) -> list[FieldError]:
    try:
        validate_document(document)
    except InvalidCaseFile as exc:
        return exc.errors
    return []


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_fast_path_agrees_with_the_whole_schema(seed: int) -> None:
    rng = random.Random(seed)
    files = legal_case_files()
    document = json.loads(files[seed % len(files)].read_text("utf-8"))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(document))
        target = document
        for key in path[:-1]:
            target = target[key]
        if rng.random() < 0.3 and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(rng.choice(MUTATIONS))
    assert _fast_errors(document) == _full_schema_errors(document)


@pytest.mark.parametrize("path", legal_case_files(), ids=lambda p: p.stem)
def test_legal_test_files_are_valid(path: Any) -> None:
    document = json.loads(path.read_text("utf-8"))
    assert _fast_errors(document) == _full_schema_errors(document) == []


def _mutated(seed: int) -> Any:
    rng = random.Random(seed)
    files = legal_case_files()
    document = json.loads(files[seed % len(files)].read_text("utf-8"))
    for _ in range(rng.randint(1, 2)):
        path = rng.choice(_paths(document))
        target = document
        for key in path[:-1]:
            target = target[key]
        if rng.random() < 0.3 and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(rng.choice([*MUTATIONS, 1.0, "", "1101011"]))
    return document


def test_compiled_check_accepts_exactly_what_the_whole_schema_accepts() -> None:
    """The compiled yes/no check (schemacheck.py) is never more lenient than the
    jsonschema interpreter, and on these mutations it agrees with it."""
    check = fast_check()
    assert check is not None  # the shipped schema compiles (else every file is slow)
    verdicts = []
    for seed in range(600):
        document = _mutated(seed)
        valid = not _full_schema_errors(document)
        verdicts.append(valid)
        if check(document) != valid:
            # Never more lenient; stricter only where the module says it leaves the
            # verdict to the interpreter (an integral float such as 1.0 as an integer).
            assert valid and _has_integral_float(document), (seed, document)
    assert any(verdicts) and not all(verdicts)


def _has_integral_float(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_has_integral_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_integral_float(v) for v in value)
    return False


def test_compiled_check_refuses_what_it_does_not_implement() -> None:
    with pytest.raises(UnsupportedSchema):
        compile_check({"type": "object", "propertyNames": {"pattern": "^a"}}, {})
    with pytest.raises(UnsupportedSchema):
        compile_check({"type": "string", "format": "email"}, {})
    # true is not 1 in an enum, 1.0 is left to the interpreter
    check = compile_check({"enum": [1, "a"]}, {})
    assert check(1) and check("a") and not check(True) and not check(2)
    assert not compile_check({"type": "integer"}, {})(1.0)

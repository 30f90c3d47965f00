"""Validation uses the shipped JSON Schema; the per-kind fast path gives exactly the
errors of validating against the whole schema."""

import copy
import json
import random
from typing import Any

import pytest

from zhifa.rules.engine.validation import (
    FieldError,
    InvalidCaseFile,
    _error,
    _validator,
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

"""Validation uses the shipped JSON Schema; the per-kind fast path gives exactly the
errors of validating against the whole schema."""

import copy
import json
import random
from typing import Any

import pytest

from zhifa.rules.engine.casefile import CaseFile
from zhifa.rules.engine.schemacheck import UnsupportedSchema, compile_check
from zhifa.rules.engine.schematypes import compile_types
from zhifa.rules.engine.validation import (
    FieldError,
    InvalidCaseFile,
    _error,
    _validator,
    fast_check,
    load_case_file,
    load_document,
    typed_check,
    typed_decoder,
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


def test_typed_check_is_never_more_lenient_than_the_whole_schema() -> None:
    """The msgspec check (schematypes.py) accepts only valid documents: on 1,500
    mutations of the legal test files, whatever it accepts the interpreter accepts too;
    and it accepts the unmutated files (else every file would take the slow path)."""
    typed = typed_check()
    assert typed is not None  # the shipped schema compiles to types
    accepted = refused_valid = 0
    for seed in range(1500):
        document = _mutated(seed)
        if typed(document):
            accepted += 1
            assert not _full_schema_errors(document), (seed, document)
        elif not _full_schema_errors(document):
            refused_valid += 1  # allowed (stricter), e.g. 1.0 as an integer
    assert accepted > 100
    for path in legal_case_files():
        assert typed(json.loads(path.read_text("utf-8"))), path.stem


def test_typed_check_leaves_unknown_and_deep_members_to_the_slow_path() -> None:
    document = json.loads(legal_case_files()[0].read_text("utf-8"))
    typed = typed_check()
    assert typed is not None and typed(document)
    # an unknown member of a step or a section is valid, but not typed
    with_extra = copy.deepcopy(document)
    with_extra["steps"][0]["note"] = "x"
    assert not typed(with_extra) and not _full_schema_errors(with_extra)
    assert _fast_errors(with_extra) == []
    # an unknown member of the document is typed, unless it nests too deep
    deep: Any = []
    for _ in range(40):
        deep = [deep, 1]
    assert typed({**document, "note": [[1]]})
    assert not typed({**document, "note": deep})
    with pytest.raises(InvalidCaseFile, match="nested more than"):
        load_document(json.dumps({**document, "note": deep}))
    # the conditional clauses and uniqueItems are checked after the conversion
    entrusted = copy.deepcopy(document)
    entrusted["agency"]["subject_type"] = "entrusted"
    entrusted["agency"].pop("entrustment", None)
    assert not typed(entrusted) and _full_schema_errors(entrusted)
    twice = copy.deepcopy(document)
    twice.setdefault("settings", {})["local_policies"] = ["JX", "JX"]
    assert not typed(twice) and _full_schema_errors(twice)


def test_typed_check_refuses_what_it_does_not_implement() -> None:
    def deep(value: Any) -> bool:
        return False

    with pytest.raises(UnsupportedSchema):
        compile_types({"type": "object", "properties": {"a": {"type": "object"}}}, deep)
    with pytest.raises(UnsupportedSchema):
        compile_types({"type": "object", "properties": {"a": {"not": {}}}}, deep)
    with pytest.raises(UnsupportedSchema):
        compile_types({"type": "string"}, deep)  # the root must be an object
    check = compile_types(
        {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}, deep
    )
    assert check({"n": 1}) and not check({"n": 1.0}) and not check({"n": True})


def _outcome(load: Any, text: str) -> Any:
    try:
        return load(text)
    except InvalidCaseFile as exc:
        return exc.errors


def test_load_case_file_builds_what_from_dict_builds() -> None:
    """The one-pass path (typed decoder + typed_case_file) gives the CaseFile
    ``CaseFile.from_dict(load_document(text))`` gives — every field, nulls for optional
    fields included — and the same errors, on the legal test files and 1,500 mutations,
    each also with every optional member written as null."""

    def slow(text: str) -> Any:
        return CaseFile.from_dict(load_document(text))

    decode = typed_decoder()
    assert decode is not None
    fast_paths = 0
    texts = [p.read_text("utf-8") for p in legal_case_files()]
    texts += [json.dumps(_mutated(seed), ensure_ascii=False) for seed in range(1500)]
    for text in texts:
        for variant in (text, _with_nulls(text)):
            fast_paths += decode(variant) is not None
            new, old = _outcome(load_case_file, variant), _outcome(slow, variant)
            assert new == old, variant
            if isinstance(new, CaseFile):
                # equal, and of equal types (an int amount stays an int)
                assert repr(new) == repr(old), variant
    assert fast_paths > 300


def _with_nulls(text: str) -> str:
    """Every optional member the schema lets be null, given as null where absent."""
    document = json.loads(text)
    if not isinstance(document, dict):
        return text
    for key in ("procedure", "as_of", "settings", "power", "benchmark", "power_kind"):
        document.setdefault(key, None)
    steps = document.get("steps")
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict) and step.get("step") == "decision":
            for key in ("penalties", "approved_by", "elements", "cites_full_name_and_article"):
                step.setdefault(key, None)
    party = document.get("party")
    if isinstance(party, dict):
        for key in ("birth_date", "id_number", "uscc", "vulnerable"):
            party.setdefault(key, None)
    return json.dumps(document, ensure_ascii=False)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_member_nested_thousands_deep_is_refused_not_a_crash(depth: int) -> None:
    """msgspec's typed decoder recurses into a member the root does not name: a member
    nested thousands deep is refused by the depth limit, never a RecursionError (a 500
    from the API, a traceback from ``zhifa audit``)."""
    from zhifa.rules.engine.validation import load_case_file

    document = json.loads(legal_case_files()[0].read_text("utf-8"))
    text = json.dumps(document)[:-1] + ', "zz": ' + '{"a":' * depth + "1" + "}" * depth + "}"
    for load in (load_case_file, load_document):
        with pytest.raises(InvalidCaseFile, match="nested more than"):
            load(text)
        with pytest.raises(InvalidCaseFile, match="nested more than"):
            load(text.encode())

"""Validation uses the shipped JSON Schema; the per-kind fast path gives exactly the
errors of validating against the whole schema."""

import copy
import datetime as dt
import json
import random
from dataclasses import fields, replace
from typing import Any

import msgspec
import pytest

from zhifa.rules.engine.casefile import (
    Basis,
    Benchmark,
    CaseFile,
    Certificate,
    Officer,
    Party,
    Step,
    TypedOfficer,
    TypedParty,
    TypedStep,
    Violation,
    typed_case_file,
)
from zhifa.rules.engine.schemacheck import UnsupportedSchema, compile_check
from zhifa.rules.engine.schematypes import compile_decoder, compile_types
from zhifa.rules.engine.validation import (
    MAX_DEPTH,
    FieldError,
    InvalidCaseFile,
    _error,
    _member_too_deep,
    _validator,
    fast_check,
    load_case_file,
    load_document,
    schema,
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
    ``CaseFile.from_dict(load_document(text))`` gives — every field of the case, of its
    sections, steps, penalties, officers and certificates, with the same values of the
    same types (the steps and officers are the decoder's Structs: compared field by field,
    by ``_values``), nulls for optional fields included — and the same errors, on the
    legal test files and 1,500 mutations, each also with every optional member written as
    null, and the first 300 with a checklist in each legal review."""

    def slow(text: str) -> Any:
        return CaseFile.from_dict(load_document(text))

    decode = typed_decoder()
    assert decode is not None
    fast_paths = 0
    typed = {"steps": 0, "officers": 0, "party": 0}
    texts = [p.read_text("utf-8") for p in legal_case_files()]
    texts += [json.dumps(_mutated(seed), ensure_ascii=False) for seed in range(1500)]
    for n, text in enumerate(texts):
        variants = [text, _with_nulls(text)] + ([_with_checklists(text)] if n < 300 else [])
        for variant in variants:
            fast_paths += decode(variant) is not None
            new, old = _outcome(load_case_file, variant), _outcome(slow, variant)
            if isinstance(new, CaseFile) and new.officers:
                typed["steps"] += all(isinstance(s, TypedStep) for s in new.steps)
                typed["officers"] += all(isinstance(o, TypedOfficer) for o in new.officers)
                typed["party"] += isinstance(new.party, TypedParty)
            new, old = _values(new), _values(old)
            assert new == old, variant
            # equal, and of equal types (an int amount stays an int)
            assert repr(new) == repr(old), variant
    assert fast_paths > 300
    assert min(typed.values()) > 300


def test_typed_case_file_builds_what_from_dict_builds_of_any_typed_document() -> None:
    """Of a decoder without the engine's shapes (its steps and officers plain Structs,
    an absent member ``UNSET``), ``typed_case_file`` builds the engine's dataclasses:
    the same CaseFile as ``from_dict``, equal and of the same repr."""
    decode = compile_decoder(schema(), _member_too_deep, MAX_DEPTH)
    built = 0
    for path in legal_case_files():
        text = path.read_text("utf-8")
        for variant in (text, _with_nulls(text), _with_checklists(text)):
            document = decode(variant)
            if document is None:
                continue
            new = typed_case_file(document)
            old = CaseFile.from_dict(load_document(variant))
            assert all(type(s) is Step for s in new.steps), variant
            assert new == old and repr(new) == repr(old), variant
            built += 1
    assert built > 20


def _values(outcome: Any) -> Any:
    """A case file as itself without its steps and officers, and these as the name and
    value of each field of ``Step``/``Officer`` (and what their methods give), their
    penalties and certificates the same way; errors as they are."""
    if not isinstance(outcome, CaseFile):
        return outcome
    sections = (
        ("party", Party),
        ("violation", Violation),
        ("basis", Basis),
        ("benchmark", Benchmark),
    )
    return (
        # the sections compared field by field below (a loaded file's are Structs)
        replace(
            outcome,
            steps=(),
            officers=(),
            party=None,  # type: ignore[arg-type]
            violation=None,
            basis=None,
            benchmark=None,
        ),
        tuple(_fields_of(s, Step) for s in outcome.steps),
        tuple(_fields_of(o, Officer) for o in outcome.officers),
        tuple(
            None if getattr(outcome, name) is None else _fields_of(getattr(outcome, name), cls)
            for name, cls in sections
        ),
    )


def _fields_of(obj: Any, cls: type) -> tuple[tuple[str, Any], ...]:
    """The name and value of each field of the dataclass ``cls`` read from ``obj`` (a
    frozen one)."""
    assert not isinstance(obj, msgspec.Struct) or obj.__struct_config__.frozen
    values: list[tuple[str, Any]] = []
    for f in fields(cls):
        value = getattr(obj, f.name)
        if f.name in ("intended", "penalties"):
            value = tuple((p.type, p.amount) for p in value)
        elif f.name == "certificate" and value is not None:
            value = (*_fields_of(value, Certificate), value.valid_on(dt.date(2025, 6, 1)))
        values.append((f.name, value))
    if cls is Step:
        values += [("persons", obj.persons()), ("fine_total", obj.fine_total())]
    elif cls is Officer:
        values.append(("qualified_on", obj.qualified_on(dt.date(2025, 6, 1))))
    return tuple(values)


def _with_checklists(text: str) -> str:
    """Each legal review with a checklist (one item a problem)."""
    document = json.loads(text)
    steps = document.get("steps") if isinstance(document, dict) else None
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict) and step.get("step") == "legal_review":
            step.setdefault("checklist", {"facts": "ok", "crime": "problem", "basis": "ok"})
    return json.dumps(document, ensure_ascii=False)


#: optional members of steps the schema lets be null, by the kind of step
_NULLABLE_STEP_MEMBERS = {
    "registered": ("by",),
    "investigation": ("evidence", "certificates_shown"),
    "prior_notice": ("intended", "written", "hearing_right_notified"),
    "legal_review": ("checklist", "opinion"),
    "decision": ("penalties", "approved_by", "elements", "cites_full_name_and_article"),
    "paid": ("onsite", "onsite_reason"),
    "remedy_filed": ("decided_on", "head_appeared"),
}
#: the optional members of an officer (each may be null)
_NULLABLE_OFFICER_MEMBERS = (
    "certificate",
    "auxiliary",
    "legal_qualification",
    "first_time_reviewer",
    "conflict_of_interest",
    "organ_head",
)


def _with_nulls(text: str) -> str:
    """Every optional member the schema lets be null, given as null where absent."""
    document = json.loads(text)
    if not isinstance(document, dict):
        return text
    for key in ("procedure", "as_of", "settings", "power", "benchmark", "power_kind"):
        document.setdefault(key, None)
    steps = document.get("steps")
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict) and isinstance(step.get("step"), str):
            for key in _NULLABLE_STEP_MEMBERS.get(step["step"], ()):
                step.setdefault(key, None)
            intended = step.get("intended")
            for penalty in intended if isinstance(intended, list) else []:
                if isinstance(penalty, dict):
                    penalty.setdefault("amount", None)
    officers = document.get("officers")
    for officer in officers if isinstance(officers, list) else []:
        if isinstance(officer, dict):
            for key in _NULLABLE_OFFICER_MEMBERS:
                officer.setdefault(key, None)
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

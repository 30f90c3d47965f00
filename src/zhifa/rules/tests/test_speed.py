"""The audit is (close to) linear in the number of steps, and its JSON writer writes
exactly what json.dumps writes."""

import gc
import json
import random
import time
import tracemalloc
from dataclasses import replace
from typing import Any

import pytest

from zhifa.rules.engine import WorkCalendar, audit, render
from zhifa.rules.engine.audit import dump_json, to_document
from zhifa.rules.engine.casefile import CaseFile

from .conftest import legal_case_files


def _seconds(case: CaseFile, steps: int, calendar: WorkCalendar) -> float:
    repeated = (case.steps * (steps // len(case.steps) + 1))[:steps]
    long_case = replace(case, steps=repeated)
    best = float("inf")
    gc.collect()
    gc.disable()  # a collection's cost grows with the heap, not with the audit
    try:
        for _ in range(5):  # CPU time of this process: other work on the machine does not count
            start = time.process_time()
            render(audit(long_case, calendar=calendar))
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def test_audit_is_linear_in_the_steps() -> None:
    """A case's steps repeated to 9,600 audit in about 8 times the time of 1,200 (the
    engine once rescanned every step per look-up: 17 s for 9,600 steps). Quadratic
    work would take 64 times; the bound of 20 sits between the two so that a loaded CI
    machine (one CI run measured 12.8 times) does not fail a linear engine."""
    path = next(p for p in legal_case_files() if p.stem == "internal_unit_data_breaks")
    case = CaseFile.from_dict(json.loads(path.read_text("utf-8")))
    calendar = WorkCalendar()
    small = _seconds(case, 1200, calendar)
    large = _seconds(case, 9600, calendar)
    assert large < 20 * small, (small, large)


@pytest.mark.parametrize(
    "stem",
    # REVIEW-independent rescanned the steps before every review and investigation;
    # ACL-54-court-application judged every demand before every court application; the
    # closure's look-ups filtered every later step; look-ups copied their runs.
    ["walk_breaks", "deferral_court_breaks", "year_without_schedule", "law_in_engine_breaks"],
)
def test_every_legal_test_repeated_audits_in_linear_time(stem: str) -> None:
    path = next(p for p in legal_case_files() if p.stem == stem)
    case = CaseFile.from_dict(json.loads(path.read_text("utf-8")))
    calendar = WorkCalendar()
    small = _seconds(case, 1200, calendar)
    large = _seconds(case, 9600, calendar)
    assert large < 20 * small + 0.05, (small, large)


def test_steps_naming_new_officers_take_linear_memory() -> None:
    """Each investigation step naming an officer not named before: the investigators
    before each step were kept as a frozenset per step (quadratic memory: 87 MB for
    2,000 steps, 1.3 GB for 8,000)."""
    path = next(p for p in legal_case_files() if p.stem == "walk_breaks")
    document = json.loads(path.read_text("utf-8"))
    first = next(s for s in document["steps"] if s["step"] == "investigation")
    added = [{**first, "officers": [f"X{k}"]} for k in range(4000)]
    document["steps"] = document["steps"][:1] + added + document["steps"][1:]
    case = CaseFile.from_dict(document)
    tracemalloc.start()
    try:
        render(audit(case, calendar=WorkCalendar()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * 1024 * 1024, peak


def test_dump_json_writes_what_json_dumps_writes() -> None:
    rng = random.Random(7)
    scalars: list[Any] = [0, -5, 10**30, 2.5, 1e20, 0.1, float("nan"), True, False, None]
    scalars += ["", "中文", 'a"b\\c\n\x01\u2028']

    def build(depth: int) -> Any:
        roll = rng.random()
        if depth == 0 or roll < 0.3:
            return rng.choice(scalars)
        if roll < 0.6:
            return [build(depth - 1) for _ in range(rng.randint(0, 3))]
        return {f"k{n}“": build(depth - 1) for n in range(rng.randint(0, 3))}

    for _ in range(3000):
        value = build(rng.randint(0, 5))
        assert dump_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_render_writes_what_the_generic_writer_writes() -> None:
    """``render`` (written for the findings document's shape) writes exactly
    ``json.dumps(to_document(...), ensure_ascii=False, indent=2)`` plus a newline, in
    both languages, for every legal test and for an empty result, odd case IDs and
    fractional and missing late fees."""
    calendar = WorkCalendar()
    results = []
    for path in legal_case_files():
        case = CaseFile.from_dict(json.loads(path.read_text("utf-8")))
        results.append(audit(case, calendar=calendar))
    odd = replace(results[0], case_id='A"\\中\n\u2028', findings=(), deadlines=())
    results += [odd, replace(odd, late_fee=1234.5), replace(odd, late_fee=0.1 + 0.2)]
    results += [replace(odd, late_fee=None), replace(results[1], late_fee=7.0)]
    assert any(r.findings for r in results) and any(r.deadlines for r in results)
    for result in results:
        for lang in ("zh", "en"):
            expected = json.dumps(to_document(result, lang), ensure_ascii=False, indent=2)
            assert render(result, lang) == expected + "\n"


def test_every_step_field_is_read_from_the_file():
    """``Step.from_dict`` is table-driven: a field of ``Step`` missing from the table
    would be silently ignored."""
    from dataclasses import fields

    from zhifa.rules.engine.casefile import _STEP_FIELDS, Step

    assert {f.name for f in fields(Step)} == set(_STEP_FIELDS)

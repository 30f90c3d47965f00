"""Benchmark: audit 10,000 generated case files with the rules engine (no database).

Prints files/s for merely parsing and schema-validating the files, and for the whole
audit (parse, validate, build the typed case file, run every rule unit, render the
findings JSON) of the same files in the same run, and for ``json.loads`` of the same
texts (what no audit can avoid). The last lines are ``ratio audit/parse: X`` and, last,
``ratio audit/json-loads: X`` (files/s of the whole audit over files/s of json.loads;
the benchmark convention: last lines ``ratio NAME: NUMBER``).

    .venv/bin/python bench/audit.py [N]
"""

import datetime as dt
import gc
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from zhifa.rules.engine import WorkCalendar, audit, prepare, render
from zhifa.rules.engine.validation import load_case_file, load_document

#: The templates of the generated files: the legal test cases as they stood when the
#: findings digests were first taken (a frozen copy, so that new or edited legal tests do
#: not change the benchmark's corpus or the equivalence test's files).
TEMPLATES = Path(__file__).resolve().parent / "templates"
DATE_FIELDS = ("on", "served_on", "hearing_on", "until")
CHUNK = 250


def _shift(value: str, days: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def generate(n: int, seed: int = 20251001) -> list[str]:
    """``n`` case files: the legal test cases shifted in time by up to two years, with
    varied amounts and flags, serialised as JSON text."""
    rng = random.Random(seed)
    templates = [json.loads(p.read_text("utf-8")) for p in sorted(TEMPLATES.glob("*.json"))]
    texts = []
    for i in range(n):
        doc: dict[str, Any] = json.loads(json.dumps(templates[i % len(templates)]))
        days = rng.randint(-365, 365)
        doc["case_id"] = f"BENCH-{i:05d}"
        doc["as_of"] = _shift(doc["as_of"], days)
        violation = doc.get("violation", {})
        for key in ("occurred_on", "discovered_on"):
            if key in violation:
                violation[key] = _shift(violation[key], days)
        if violation.get("ended_on"):
            violation["ended_on"] = _shift(violation["ended_on"], days)
        violation["complex"] = rng.random() < 0.2
        for step in doc["steps"]:
            for key in DATE_FIELDS:
                if step.get(key) is not None:
                    step[key] = _shift(step[key], days)
            for penalty in (step.get("penalties") or []) + (step.get("intended") or []):
                if penalty.get("amount") is not None:
                    penalty["amount"] = round(penalty["amount"] * rng.uniform(0.5, 1.5), 2)
        texts.append(json.dumps(doc, ensure_ascii=False))
    return texts


def corpus_years() -> range:
    """The years the generated files count periods in: those of the templates' audit
    dates, one before (the files are shifted by up to a year) to two after (a year's shift
    and the periods that run on from the audit date)."""
    years = [
        dt.date.fromisoformat(json.loads(p.read_text("utf-8"))["as_of"]).year
        for p in TEMPLATES.glob("*.json")
    ]
    return range(min(years) - 1, max(years) + 3)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    texts = generate(n)
    calendar = WorkCalendar()
    # What a process does once, not per file (the compiled schema, the divisions, the
    # parameters, the working days of the years counted in): done and timed before the
    # files, as a long-running worker has done it before its next file.
    start = time.perf_counter()
    prepare(calendar, corpus_years())
    startup = time.perf_counter() - start
    # the setup's garbage collected now, so that a full collection it made due does not
    # fall on whichever pass is timed then
    gc.collect()

    # The two passes alternate over chunks of the same files, so that a busy machine
    # slows both alike and the ratio stays meaningful.
    parse_seconds = audit_seconds = loads_seconds = 0.0
    size = 0
    for begin in range(0, n, CHUNK):
        chunk = texts[begin : begin + CHUNK]
        start = time.perf_counter()
        for text in chunk:
            json.loads(text)
        loads_seconds += time.perf_counter() - start
        start = time.perf_counter()
        for text in chunk:
            load_document(text)
        parse_seconds += time.perf_counter() - start
        start = time.perf_counter()
        for text in chunk:
            case = load_case_file(text)
            size += len(render(audit(case, calendar=calendar)))
        audit_seconds += time.perf_counter() - start

    print(f"files: {n}")
    print(f"engine start-up (once per process, not in the rates): {startup * 1000:.0f} ms")
    print(f"parse+validate: {n / parse_seconds:,.0f} files/s ({parse_seconds:.2f} s)")
    print(f"audit: {n / audit_seconds:,.0f} files/s ({audit_seconds:.2f} s, {size:,} bytes out)")
    print(f"json.loads: {n / loads_seconds:,.0f} files/s ({loads_seconds:.2f} s)")
    print(f"ratio audit/parse: {audit_seconds / parse_seconds:.2f}")
    print(f"ratio audit/json-loads: {loads_seconds / audit_seconds:.3f}")


if __name__ == "__main__":
    main()

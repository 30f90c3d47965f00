"""``engine.prepare``: what the first audit of a process would otherwise do, done before
it (the bulk audit and bench/audit.py call it before their files)."""

import json
import subprocess
import sys

from .conftest import legal_case_files

# Run in a fresh interpreter: the test process has long since compiled and loaded all of it.
_PROBE = """
import json, sys, time
from stdnum import numdb
from zhifa.rules.engine import WorkCalendar, audit, load_case_file, prepare, render
from zhifa.rules.engine import casefile, local, parameters, validation

calendar = WorkCalendar()
prepare(calendar, [2024, 2027])
state = {
    "decoder": validation.typed_decoder.cache_info().currsize,
    "check": validation.typed_check.cache_info().currsize,
    "builders": len(casefile._ROOTS),
    "divisions": "cn/loc" in numdb._open_databases,
    "parameters": parameters._DEFAULTS is not None,
    "local": local._SOURCES is not None,
    "years": sorted(calendar._ordinals),
}
misses = validation.typed_decoder.cache_info().misses
text = sys.stdin.read()
render(audit(load_case_file(text), calendar=calendar))
state["decoder_compiled_again"] = validation.typed_decoder.cache_info().misses != misses
print(json.dumps(state))
"""


def test_prepare_leaves_nothing_for_the_first_file_to_compile_or_load() -> None:
    path = next(p for p in legal_case_files() if p.stem == "walk_breaks")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=path.read_text("utf-8"),
        capture_output=True,
        text=True,
        check=True,
    )
    state = json.loads(done.stdout)
    assert state == {
        "decoder": 1,
        "check": 1,
        "builders": 1,
        "divisions": True,
        "parameters": True,
        "local": True,
        "years": [2024, 2027],
        "decoder_compiled_again": False,
    }

"""The case benchmark runs (two cases, SQLite only) and ends with both ratio lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_cases_bench_prints_both_ratios_last(tmp_path: Path) -> None:
    env = {**os.environ, "ZHIFA_BENCH_CASES": "2"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("cases.py"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert any(re.search(r"\d steps/s", line) for line in lines)
    assert re.fullmatch(r"ratio step/baseline sqlite: \d+\.\d{2}", lines[-2])
    assert lines[-1] == "ratio step/baseline postgresql: not measured (DATABASE_URL not set)"
    assert not list(tmp_path.iterdir())  # nothing left behind

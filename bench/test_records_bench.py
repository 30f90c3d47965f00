"""The record benchmark runs (on a small N) and ends with both ratio lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_records_bench_prints_both_ratios_last(tmp_path: Path) -> None:
    env = {**os.environ, "ZHIFA_BENCH_N": "300"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("records.py"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-2:]
    assert re.fullmatch(r"ratio append/plain-insert: \d+\.\d{3}", last[0])
    assert re.fullmatch(r"ratio verify/raw-sm3: \d+\.\d{3}", last[1])
    assert not list(tmp_path.iterdir())  # nothing left behind

"""The province benchmark runs at a tiny size (SQLite) and prints every measure, the two
ratio lines last."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_scale_bench_prints_its_measures_and_both_ratios_last(tmp_path: Path) -> None:
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("scale.py")), "--cases", "120"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    text = "\n".join(lines)
    assert re.search(r"^province: \d+ cases, \d+ still taking steps, 100 organs", text, re.M)
    for workers in (1, 2):
        assert re.search(rf"^sweep with {workers} worker\(s\): [1-9]\d* cases in ", text, re.M)
    assert re.search(r"^audit only \(engine in memory\): [1-9]\d* case files", text, re.M)
    assert re.search(r"^dashboard p95 \(region of 20 organs\): \d+\.\d ms$", text, re.M)
    assert re.search(r"^dashboard p95 \(province\): \d+\.\d ms$", text, re.M)
    assert re.search(r"^pk-lookup p95: \d+\.\d\d ms$", text, re.M)
    for url in ("warnings", "remedies", "filings"):
        assert re.search(rf"^page p95 \(/supervision/{url}/, province\): \d+\.\d ms$", text, re.M)
    assert re.search(r"^work list p95 \(an officer, organ of \d+ cases\): \d+\.\d ms$", text, re.M)
    assert re.fullmatch(r"ratio sweep/audit-only: \d+\.\d\d", lines[-2])
    assert re.fullmatch(r"ratio dashboard-p95/pk-lookup-p95: \d+\.\d\d", lines[-1])
    assert not list(tmp_path.iterdir())  # nothing left behind

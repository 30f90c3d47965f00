"""The portal benchmark runs (a few hundred decisions, a second of load per path) and
ends with its three ratio lines; on SQLite it says that PostgreSQL was not measured."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TINY = {
    "ZHIFA_BENCH_PORTAL_ROWS": "300",
    "ZHIFA_BENCH_PORTAL_REAL": "1",
    "ZHIFA_BENCH_PORTAL_SEARCHES": "1",
    "ZHIFA_BENCH_PORTAL_SECONDS": "0.5",
    "ZHIFA_BENCH_PORTAL_ROUNDS": "1",
    "ZHIFA_BENCH_PORTAL_CONNECTIONS": "2",
}
RATIOS = ("search-page/bare", "search-p95/pk-lookup-p95", "decision-page/bare")


def run_bench(tmp_path: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("portal.py"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    for line, name in zip(lines[-3:], RATIOS, strict=True):
        found = re.fullmatch(rf"ratio {re.escape(name)}: (\d+\.\d+)", line)
        assert found, line
        assert float(found.group(1)) > 0, line
    assert re.search(
        r"search page over \d[\d,]* decisions .*median [\d.]+ ms, p95 [\d.]+ ms", "\n".join(lines)
    )
    assert not list(tmp_path.iterdir())  # nothing left behind
    return lines


def test_portal_bench_on_sqlite_prints_the_ratios_last(tmp_path: Path) -> None:
    env = {**os.environ, **TINY}
    env.pop("DATABASE_URL", None)
    lines = run_bench(tmp_path, env)
    assert any(
        line.strip().startswith("PostgreSQL: not measured (DATABASE_URL not set)") for line in lines
    )


def test_portal_bench_on_postgresql(tmp_path: Path) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL part: DATABASE_URL does not name a PostgreSQL database")
    lines = run_bench(tmp_path, {**os.environ, **TINY})
    assert lines[0].startswith("portal bench (PostgreSQL")

"""The document benchmark runs (two cases) and ends with its ratio line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_documents_bench_prints_the_ratio_last(tmp_path: Path) -> None:
    env = {**os.environ, "ZHIFA_BENCH_DOCUMENTS": "2"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("documents.py"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert any(re.search(r"\d documents/s", line) for line in lines)
    assert re.fullmatch(r"ratio render/case-page: \d+\.\d{2}", lines[-1])
    assert not list(tmp_path.iterdir())

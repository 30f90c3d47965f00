"""Shared fixture support for browser tests: Playwright driving Debian's Chromium.

Browser tests are marked ``@pytest.mark.browser`` and use the ``page`` fixture from
``src/zhifa/conftest.py``. Under ``CI=true`` a missing Chromium is a failure, elsewhere
the tests are skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("ZHIFA_CHROMIUM", "/usr/bin/chromium")
# The flags the machine needs: no sandbox as root, and no background connections
# (the network is closed; Chromium would otherwise retry them at every start).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing_reason() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    return f"Chromium not found at {CHROMIUM} (run scripts/ensure-chromium.sh)"

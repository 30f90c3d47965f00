"""The bounded load test of issue #16 ("Performance and abuse"): a burst of 1,000
filings from one client on loopback, through a real threaded server, ends with every
accepted filing stored once (201, a unique number), the rest refused with 429 by the
rate limit, none lost and no 5xx.

Run twice:

- on PostgreSQL (the PostgreSQL pass of ``make test``), through pytest-django's live
  server on the test database;
- on the demo's configuration (the SQLite pass): gunicorn as ``zhifa serve`` runs it
  (``serve.gunicorn_argv``, its default workers and threads) on the demo settings with a
  file-backed SQLite database in WAL mode, in a subprocess of its own
  (``core.testing.server_env``). pytest-django's SQLite test database is in memory
  (shared cache), which locks whole tables and says nothing about the site, hence the
  real server here. (Not ``zhifa serve`` itself: it collects the static files first,
  which the API does not need and which would double the test's time.)

Both time real servers by the wall clock: ``solo`` (run alone, after the parallel part).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from zhifa.complaints.models import Complaint
from zhifa.core.management.commands.serve import (
    DEFAULT_THREADS,
    DEFAULT_WORKERS,
    gunicorn_argv,
)
from zhifa.core.testing import free_port, server_env

BURST = 1000
WORKERS = 8
LIMIT = 150
#: The demo's limit in the test: each filing hashes its access code (Argon2, about a
#: quarter of a second of CPU), so fewer filings keep the run short; the 429s are cheap.
DEMO_LIMIT = 40


def _burst(url: str) -> list[tuple[int, str]]:
    """``BURST`` filings posted to ``url`` by ``WORKERS`` client threads: each answer's
    status and, for a 201, the filing's number."""

    def post(i: int) -> tuple[int, str]:
        body = {
            "category": "food_safety",
            "region": "330400",
            "address": f"某路{i}号",
            "description": f"第{i}次举报：出售过期食品。",
        }
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())["number"]
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(post, range(BURST)))


def _check(answers: list[tuple[int, str]], stored: set[str], most: int) -> None:
    statuses = Counter(status for status, _number in answers)
    assert set(statuses) <= {201, 429}, statuses  # no 5xx, nothing else
    assert statuses[201] + statuses[429] == BURST
    assert 0 < statuses[201] <= most and statuses[429] > 0, statuses
    numbers = [number for status, number in answers if status == 201]
    assert len(set(numbers)) == len(numbers)
    assert stored == set(numbers)  # every accepted one stored once, none lost


@pytest.mark.solo
@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: the in-memory SQLite test database locks whole tables "
    "(test_a_burst_of_filings_on_the_demo_configuration runs the SQLite pass)",
)
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_filings(live_server: Any, units: None, today: Any, settings: Any) -> None:
    settings.ZHIFA_VERIFY_RATE_LIMIT = LIMIT
    answers = _burst(live_server.url + "/api/v1/public/complaints")
    # The frozen clock starts the burst at the start of a rate-limit window.
    _check(answers, set(Complaint.objects.values_list("number", flat=True)), LIMIT)


#: The demo database, migrated, with the receiving units of the burst's filings (the
#: ``units`` fixture's).
_SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from zhifa.core.testing import make_organ
from zhifa.registry.models import Region
from zhifa.registry.services import load_regions
load_regions("3304")
city = Region.objects.get(code="330400")
make_organ("嘉兴市市场监督管理局", city, short_name="嘉市监")
make_organ("嘉兴市司法局", city, short_name="嘉司", is_justice_bureau=True)
"""


@pytest.mark.solo
def test_a_burst_of_filings_on_the_demo_configuration(tmp_path: Path) -> None:
    env = {**server_env(tmp_path), "ZHIFA_VERIFY_RATE_LIMIT": str(DEMO_LIMIT)}
    subprocess.run([sys.executable, "-c", _SEED], env=env, check=True)
    database = tmp_path / "zhifa.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # file-backed, WAL
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The server's output goes to a file: a pipe nobody reads during the burst would fill
    # with its log and stall it.
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            gunicorn_argv(f"127.0.0.1:{port}", DEFAULT_WORKERS, DEFAULT_THREADS),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:  # refused, reset or timed out while the workers start
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the demo server did not start"
            time.sleep(0.5)
        answers = _burst(f"{base}/api/v1/public/complaints")
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = log.read_text()
    assert server.returncode == 0, output
    assert " 500 " not in output and "Traceback" not in output, output[-5000:]
    with closing(sqlite3.connect(database)) as db:
        stored = {row[0] for row in db.execute("SELECT number FROM complaints_complaint")}
    # The server runs on the real clock: the burst may span more than one rate-limit
    # window (a minute), each letting at most DEMO_LIMIT through; the windows are read
    # from the server's access log (to the second, so one second either side).
    _check(answers, stored, DEMO_LIMIT * len(_windows(output)))


_LOGGED = re.compile(r'\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] "POST /api/v1/public/')


def _windows(log: str) -> set[int]:
    """The rate-limit windows (``registry.services._window``) of the filings that
    gunicorn's access log shows."""
    seconds = [
        dt.datetime.strptime(m.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
        for m in _LOGGED.finditer(log)
    ]
    assert len(seconds) == BURST, len(seconds)
    return {int(t // 60) for s in seconds for t in (s - 1, s, s + 1)}

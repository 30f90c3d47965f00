"""Concurrent appends to one chain produce one unbroken chain: no forks, no gaps.

Each thread has its own database connection. PostgreSQL serialises appends with a row
lock on the chain head; SQLite with IMMEDIATE transactions (the write lock is taken at
BEGIN)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from zhifa.records.canonical import GENESIS_HASH
from zhifa.records.models import Entry
from zhifa.records.services import ObjectRef, append_entry
from zhifa.records.verification import verify_chain

THREADS = 6
PER_THREAD = 15


def _hammer(actor, organ, errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for i in range(PER_THREAD):
            with transaction.atomic():
                append_entry(
                    actor=actor,
                    organ=organ,
                    action="test.concurrent",
                    obj=ObjectRef("cases.case", "1"),
                    payload={"thread": threading.get_ident(), "i": i},
                )
    except BaseException as exc:
        errors.append(exc)
    finally:
        connections.close_all()


def _run(actor, organ, other_actor=None, other_organ=None) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    threads = []
    for n in range(THREADS):
        who, where = (actor, organ)
        if other_actor is not None and n % 2:
            who, where = other_actor, other_organ
        threads.append(threading.Thread(target=_hammer, args=(who, where, errors, start)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


def _assert_unbroken(organ, expected: int) -> None:
    rows = list(
        Entry.objects.filter(organ=organ)
        .order_by("seq")
        .values_list("seq", "prev_hash", "entry_hash")
    )
    assert [r[0] for r in rows] == list(range(1, expected + 1))
    prev = GENESIS_HASH
    for _seq, prev_hash, entry_hash in rows:
        assert prev_hash == prev
        prev = entry_hash
    report = verify_chain(organ, files=False)
    assert report.problem is None and report.length == expected


def test_sqlite_file_database_threads_make_unbroken_chains(tmp_path: Path):
    """SQLite as Zhifa runs it (a file in WAL mode, IMMEDIATE transactions): eight
    threads with their own connections append to two organs' chains at once."""
    env = {**os.environ, "ZHIFA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    script = Path(__file__).with_name("sqlite_concurrency.py")
    done = subprocess.run(
        [sys.executable, str(script), "8", "25"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["journal_mode"] == "wal"
    assert result["errors"] == []
    assert result["problems"] == []
    assert result["lengths"] == [100, 100]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestPostgresql:
    """The row lock on the chain head (SELECT … FOR UPDATE) serialises appends; the
    very first appends also race to create the head. Runs in CI's PostgreSQL pass."""

    @pytest.fixture(autouse=True)
    def _postgresql_only(self):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only (the SQLite case runs in a subprocess above)")

    def test_threads_appending_to_one_chain_make_one_unbroken_chain(self, officer_a, organ_a):
        _run(officer_a, organ_a)
        _assert_unbroken(organ_a, THREADS * PER_THREAD)

    def test_two_organs_append_in_parallel(self, officer_a, organ_a, officer_b, organ_b):
        _run(officer_a, organ_a, officer_b, organ_b)
        _assert_unbroken(organ_a, THREADS // 2 * PER_THREAD)
        _assert_unbroken(organ_b, THREADS // 2 * PER_THREAD)

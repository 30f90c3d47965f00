"""Concurrent appends never share an index: threads with their own connections append
at once and the log comes out as one tree, 0 … n-1, with a root over all leaves.

PostgreSQL serialises appends with a row lock on the log head (SELECT … FOR UPDATE);
SQLite with IMMEDIATE transactions (records/tests/test_concurrency.py shows them on a
file database, the in-memory test database does not share its locks that way)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from zhifa.transparency import checkpoints as cps
from zhifa.transparency import log
from zhifa.transparency.log import append
from zhifa.transparency.models import LogEntry

from .test_merkle import naive_mth

THREADS = 6
PER_THREAD = 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_appending_at_once_get_distinct_indices(source):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: CI runs it with DATABASE_URL")
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                with transaction.atomic():
                    append(source, f"{n}-{i}", f"thread {n} leaf {i}".encode())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    total = THREADS * PER_THREAD
    rows = list(LogEntry.objects.order_by("index").values_list("index", "leaf"))
    assert [index for index, _ in rows] == list(range(total))
    assert log.log_size() == total
    assert log.root_hash(total) == naive_mth([bytes(leaf) for _, leaf in rows])
    assert cps.issue_checkpoint().checkpoint is not None

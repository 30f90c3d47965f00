"""Verification and the entry API read in bounded batches: memory and queries do not
grow with the number of entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.testing import client_for
from zhifa.records import verification


@pytest.mark.django_db
def test_verify_reads_entries_in_keyset_batches(officer_a, organ_a, record, monkeypatch):
    record(officer_a, organ_a, 25)
    monkeypatch.setattr(verification, "BATCH", 10)
    with CaptureQueriesContext(connection) as queries:
        report = verification.verify_chain(organ_a, files=False)
    assert report.problem is None and report.length == 25
    batches = [q["sql"] for q in queries if 'FROM "records_entry"' in q["sql"]]
    # 10 + 10 + 5, then an empty batch: never more than BATCH rows in memory.
    assert len(batches) == 4
    assert all("LIMIT 10" in sql for sql in batches)
    assert '"seq" > 20' in batches[2] and '"seq" > 25' in batches[3]


@pytest.mark.django_db
def test_entry_api_pages_in_the_database(supervisor_city, officer_a, organ_a, record):
    record(officer_a, organ_a, 30)
    client = client_for(supervisor_city)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/records/entries?limit=5").json()
    assert body["count"] == 30 and len(body["items"]) == 5
    listing = [q["sql"] for q in queries if 'FROM "records_entry"' in q["sql"]]
    assert any("LIMIT 5" in sql for sql in listing)


@pytest.mark.django_db
def test_deleted_chain_head_is_detected(officer_a, organ_a, record):
    record(officer_a, organ_a, 2)
    with connection.cursor() as cursor:  # the head row has no trigger: it moves on append
        cursor.execute("DELETE FROM records_chain WHERE organ_id=%s", [organ_a.pk])
    report = verification.verify_chain(organ_a, files=False)
    assert report.problem is not None and report.problem.seq == 2
    assert "head row is missing" in report.problem.message

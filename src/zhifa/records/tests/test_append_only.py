"""The database refuses UPDATE and DELETE on entries and checkpoints; the admin is
read-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.records.models import Checkpoint, Entry
from zhifa.records.services import create_checkpoints


@pytest.mark.django_db
class TestTriggers:
    def test_orm_update_is_refused(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 2)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Entry.objects.filter(seq=1).update(payload='{"step":9}')
        assert Entry.objects.get(seq=1).payload == '{"step":0}'

    def test_raw_update_and_delete_are_refused(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 2)
        for sql in ("UPDATE records_entry SET action='x.y'", "DELETE FROM records_entry"):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        assert list(Entry.objects.values_list("action", flat=True)) == ["test.step"] * 2

    def test_model_delete_is_refused(self, officer_a, organ_a, record):
        (entry,) = record(officer_a, organ_a, 1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            entry.delete()
        assert Entry.objects.count() == 1

    def test_checkpoints_are_append_only_too(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 1)
        create_checkpoints()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Checkpoint.objects.update(head_hash="0" * 64)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Checkpoint.objects.all().delete()
        assert Checkpoint.objects.get().head_hash != "0" * 64


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_flush_entries(officer_a, organ_a, record):
    """Entries written outside the test transaction are emptied by the flush after
    the test (see the _records_flush_allowed fixture); the next test starts empty."""
    record(officer_a, organ_a, 2)
    assert Entry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_test_starts_empty():
    assert Entry.objects.count() == 0


@pytest.mark.django_db
class TestAdmin:
    def test_entries_are_read_only_in_the_admin(self, admin_user, officer_a, organ_a, record):
        (entry,) = record(officer_a, organ_a, 1)
        client = client_for(admin_user)
        listing = client.get(reverse("admin:records_entry_changelist"))
        assert listing.status_code == 200 and "test.step" in listing.content.decode()
        page = client.get(reverse("admin:records_entry_change", args=[entry.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.get(reverse("admin:records_entry_add")).status_code == 403
        assert (
            client.post(reverse("admin:records_entry_delete", args=[entry.pk])).status_code == 403
        )
        posted = client.post(
            reverse("admin:records_entry_change", args=[entry.pk]), {"action": "x.y"}
        )
        assert posted.status_code == 403
        assert Entry.objects.get().action == "test.step"

"""The tamper suite (issue 13): each way an attacker with database access changed what
the record vouches for and still got "OK" from ``zhifa records verify``. Each test
tampers with raw SQL (after disabling the append-only triggers, as the attacker would)
and asserts that ``verify`` fails naming what changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.records.models import Checkpoint, Entry
from zhifa.records.services import create_checkpoints

ENTRY_COLUMNS = (
    "organ_id, seq, recorded_at, actor_id, actor_label, action, object_type, object_id,"
    " payload, prev_hash, content_digest, entry_hash"
)


def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite syntax")


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


@pytest.mark.django_db
class TestReplaceIsRefused:
    """SQLite's REPLACE deletes the conflicting row without firing the DELETE trigger."""

    @pytest.fixture
    def entries(self, officer_a, organ_a, record):
        return record(officer_a, organ_a, 3)

    @pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
    @pytest.mark.parametrize("key", ["id", "organ_seq"])
    def test_entry_replace(self, entries, verb, key):
        _sqlite_only()
        target = entries[1]
        columns = ENTRY_COLUMNS if key == "organ_seq" else "id, " + ENTRY_COLUMNS
        # With the same id, a different sequence number (so only the id conflicts);
        # with a new id, the same organ and sequence number.
        seq = target.seq if key == "organ_seq" else 99
        values = [target.organ_id, seq, target.recorded_at, target.actor_id,
                  target.actor_label, target.action, target.object_type, target.object_id,
                  '{"forged":1}', target.prev_hash, target.content_digest,
                  target.entry_hash]  # fmt: skip
        if key == "id":
            values.insert(0, target.pk)
        marks = ", ".join(["%s"] * len(values))
        with (
            pytest.raises(DatabaseError, match="append-only: REPLACE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"{verb} records_entry ({columns}) VALUES ({marks})", values)
        assert Entry.objects.get(pk=target.pk).payload == target.payload
        assert Entry.objects.count() == 3

    @pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
    def test_checkpoint_replace(self, entries, verb):
        _sqlite_only()
        create_checkpoints()
        cp = Checkpoint.objects.get()
        with (
            pytest.raises(DatabaseError, match="append-only: REPLACE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"{verb} records_checkpoint (id, organ_id, seq, head_hash, signed_at, algorithm,"
                " public_key, signature) SELECT id, organ_id, seq, %s, signed_at, algorithm,"
                " public_key, signature FROM records_checkpoint",
                ["0" * 64],
            )
        assert Checkpoint.objects.get().head_hash == cp.head_hash

    def test_a_plain_insert_still_works(self, entries, officer_a, organ_a, record):
        record(officer_a, organ_a, 1)
        assert Entry.objects.count() == 4

    def test_postgresql_upsert_is_refused_by_the_update_trigger(self, entries):
        _postgresql_only()
        target = entries[1]
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO records_entry (id, {ENTRY_COLUMNS}) SELECT id, organ_id, seq,"
                " recorded_at, actor_id, actor_label, action, object_type, object_id, payload,"
                " prev_hash, content_digest, entry_hash FROM records_entry WHERE id = %s"
                " ON CONFLICT (id) DO UPDATE SET payload = '{\"forged\":1}'",
                [target.pk],
            )
        assert Entry.objects.get(pk=target.pk).payload == target.payload


def test_grants_command_prints_the_app_role_privileges():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("records", "grants", "zhifa_app", stdout=out)
    text = out.getvalue()
    assert (
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "records_entry", '
        '"records_checkpoint" FROM "zhifa_app";' in text
    )
    assert (
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "zhifa_app";'
        in text
    )


@pytest.mark.django_db
def test_postgresql_app_role_cannot_truncate_or_disable_the_trigger(officer_a, organ_a, record):
    """With the documented grants, a role that does not own the tables can append but
    can neither TRUNCATE the record tables nor disable or drop their triggers."""
    _postgresql_only()
    from zhifa.records.db import app_role_grants_sql

    record(officer_a, organ_a, 1)
    role = "zhifa_tamper_suite_app"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    except DatabaseError:
        pytest.skip("the test database's role may not create roles")
    with connection.cursor() as cursor:
        for statement in app_role_grants_sql(role):
            cursor.execute(statement)
        cursor.execute(f'SET ROLE "{role}"')
    try:
        for sql in (
            "TRUNCATE records_entry CASCADE",
            "TRUNCATE records_checkpoint",
            'ALTER TABLE records_entry DISABLE TRIGGER "records_entry_append_only"',
            'DROP TRIGGER "records_entry_append_only" ON records_entry',
            "DELETE FROM records_entry",
        ):
            with (
                pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM records_entry")
            assert cursor.fetchone()[0] == 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

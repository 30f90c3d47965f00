"""Database-level protection: triggers that refuse UPDATE and DELETE on the entry and
checkpoint tables, on PostgreSQL and on SQLite, and on SQLite also an INSERT that would
REPLACE a row.

The triggers are (re)installed by a migration and after every ``migrate`` (SQLite drops
a table's triggers when Django rebuilds the table for a schema change).

Two deliberate openings, both documented in docs/records.md:

- PostgreSQL ``TRUNCATE`` is not refused by a trigger, because Django's ``flush`` (used
  by tests) is a TRUNCATE. In production the application's role does not own the tables
  and has no TRUNCATE privilege on them (:func:`app_role_grants_sql`); a cut tail is
  still detected by the signed checkpoints and their witness copy.
- On SQLite the triggers consult ``zhifa_records_unlocked()``, a function that exists
  only on connections opened by Zhifa and answers "yes" only while
  :func:`set_flush_allowed` is on (the test suite's database flush). On any other
  connection (the sqlite3 shell) the function does not exist, so the statement fails.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

PROTECTED_TABLES = ("records_entry", "records_checkpoint")

_global_unlock = {"on": False}


def _unlocked() -> int:
    return 1 if _global_unlock["on"] else 0


def set_flush_allowed(on: bool) -> None:
    """Process-wide switch used by the test suite around its database flush."""
    _global_unlock["on"] = on


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "zhifa_records_unlocked", 0, _unlocked, deterministic=False
        )


def _sqlite_sql(table: str) -> list[str]:
    statements = []
    for op in ("UPDATE", "DELETE"):
        name = f"{table}_no_{op.lower()}"
        statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
        statements.append(
            f'CREATE TRIGGER "{name}" BEFORE {op} ON "{table}" '
            f"FOR EACH ROW WHEN zhifa_records_unlocked() = 0 "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        )
    # ``INSERT OR REPLACE`` / ``REPLACE INTO`` deletes the row it conflicts with without
    # firing the DELETE trigger (SQLite fires it only with recursive triggers on), so
    # an insert that would replace a row (same id, or same organ and sequence number)
    # is refused before the conflict is resolved. It does not consult the unlock
    # function: a plain insert never needs to replace a row, on any connection.
    name = f"{table}_no_replace"
    statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
    statements.append(
        f'CREATE TRIGGER "{name}" BEFORE INSERT ON "{table}" '  # noqa: S608 - constant names
        f'FOR EACH ROW WHEN EXISTS (SELECT 1 FROM "{table}" WHERE id = NEW.id '
        f"OR (organ_id = NEW.organ_id AND seq = NEW.seq)) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: REPLACE refused'); END"
    )
    return statements


def _postgresql_sql(table: str) -> list[str]:
    return [
        """
        CREATE OR REPLACE FUNCTION zhifa_records_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION zhifa_records_refuse_change()",
    ]


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        build = _sqlite_sql
    elif connection.vendor == "postgresql":
        build = _postgresql_sql
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in PROTECTED_TABLES:
            if table in existing:
                for sql in build(table):
                    cursor.execute(sql)


def on_post_migrate(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    install_triggers(connections[using])


def trigger_names(table: str, vendor: str) -> list[str]:
    """The trigger names on ``table`` (tests use them to play the attacker)."""
    if vendor == "sqlite":
        return [f"{table}_no_update", f"{table}_no_delete", f"{table}_no_replace"]
    return [f"{table}_append_only"]


def disable_triggers_sql(table: str, vendor: str) -> list[str]:
    """SQL an attacker with database access runs first (tests only)."""
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{name}"' for name in trigger_names(table, vendor)]
    # Django's foreign keys are deferred; ALTER TABLE needs no pending trigger events.
    return [
        "SET CONSTRAINTS ALL IMMEDIATE",
        f'ALTER TABLE "{table}" DISABLE TRIGGER "{table}_append_only"',
    ]


def app_role_grants_sql(role: str) -> list[str]:
    """The privileges of the application's role on PostgreSQL when another role owns
    the schema (docs/records.md, "A separate owner role"): what it needs on every table,
    but on the record tables only SELECT and INSERT. Without ownership it can neither
    disable nor drop their triggers; without the privilege it cannot TRUNCATE them."""
    quoted = '"' + role.replace('"', '""') + '"'
    tables = ", ".join(f'"{t}"' for t in PROTECTED_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {quoted}",
    ]

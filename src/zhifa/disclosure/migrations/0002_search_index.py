"""The search index of published decisions (disclosure.search), by database vendor:
SQLite — an FTS5 table with the trigram tokenizer (substring search for Chinese);
PostgreSQL — the pg_trgm extension and a GIN trigram index on the search text (what
``icontains`` compares: ``UPPER(search_text)``). Other vendors: none (search falls back
to a substring filter)."""

from django.db import migrations

FTS = "disclosure_publication_fts"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
            "search_text, tokenize='trigram')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS publication_search_trgm ON disclosure_publication "
            "USING gin (UPPER(search_text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS publication_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

"""PostgreSQL: an index for the words of one or two characters (search.py), which the
trigram index of migration 0002 cannot answer (a trigram has three): the function
``disclosure_grams(text)`` gives the characters and the pairs of adjacent characters of
the upper-cased text, and a GIN index is built on it. ``ARRAY[UPPER(word)] <@
disclosure_grams(search_text)`` holds exactly when the text contains the word. Other
vendors: nothing (SQLite reads such a word with a substring filter)."""

from django.db import migrations

# PL/pgSQL, not an SQL function PostgreSQL would inline: computed once per row it is
# faster (the upper-cased text made once), and its declared COST tells the planner that
# reading rows through it is dear (an index scan, not a filter over every row).
FUNCTION = r"""
CREATE OR REPLACE FUNCTION disclosure_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
  u text := upper(t);
  sep text := chr(1);
BEGIN
  RETURN array_remove(
    string_to_array(u, NULL)
    || string_to_array(regexp_replace(u, '(..)', '\1' || sep, 'g'), sep)
    || string_to_array(regexp_replace(substr(u, 2), '(..)', '\1' || sep, 'g'), sep),
    '');
END
$$
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS publication_search_grams ON disclosure_publication "
            "USING gin (disclosure_grams(search_text))"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS publication_search_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS disclosure_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_export_delivery")]

    operations = [migrations.RunPython(create, drop)]

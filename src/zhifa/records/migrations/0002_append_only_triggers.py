"""Triggers that refuse UPDATE and DELETE on entries and checkpoints (see records/db.py;
they are also re-installed after every migrate)."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from zhifa.records.db import install_triggers

    install_triggers(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    from zhifa.records.db import PROTECTED_TABLES, trigger_names

    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table in PROTECTED_TABLES:
            for name in trigger_names(table, vendor):
                if vendor == "sqlite":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]

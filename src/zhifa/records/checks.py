"""System check: on SQLite, appends to a chain are serialised by IMMEDIATE
transactions (settings/base.py). A DATABASE_URL pointing at SQLite does not set that
mode, and concurrent appends would then fail with "database is locked" (never fork:
the unique sequence number prevents that)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register("database")
def sqlite_immediate_transactions(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    return database_warnings(settings.DATABASES)


def database_warnings(databases: Mapping[str, Any]) -> list[Warning]:
    problems = []
    for alias, config in databases.items():
        if "sqlite3" not in config.get("ENGINE", ""):
            continue
        if config.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            problems.append(
                Warning(
                    f"SQLite database {alias!r} does not use IMMEDIATE transactions.",
                    hint=(
                        "Set OPTIONS['transaction_mode'] = 'IMMEDIATE' (the default "
                        "configuration does) so that appends to the record queue."
                    ),
                    id="records.W001",
                )
            )
    return problems

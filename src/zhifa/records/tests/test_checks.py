"""The system check warns when SQLite is not in IMMEDIATE transaction mode."""

from __future__ import annotations

from zhifa.records.checks import database_warnings, sqlite_immediate_transactions


def test_warns_about_sqlite_without_immediate_transactions():
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {}}}
    (warning,) = database_warnings(databases)
    assert warning.id == "records.W001"


def test_quiet_for_the_default_configuration_and_postgresql():
    databases = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": "x",
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        },
        "other": {"ENGINE": "django.db.backends.postgresql", "NAME": "y"},
    }
    assert database_warnings(databases) == []
    assert sqlite_immediate_transactions() == []  # the test settings (either database)

"""Settings for the test suite: development settings with a fast password hasher.

The database is whatever DATABASE_URL names (PostgreSQL in CI's second run) or SQLite;
pytest-django creates and destroys its own test database either way.
"""

from __future__ import annotations

from .development import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 3
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

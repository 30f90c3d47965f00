"""Settings for the test suite: development settings with a fast password hasher.

The database is whatever DATABASE_URL names (PostgreSQL in CI's second run) or SQLite;
pytest-django creates and destroys its own test database either way.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from .development import *  # noqa: F403

# Files a test run writes (evidence uploads, the records signing key) never land in
# ./var: they go to a temporary directory removed when the run ends.
_TEST_FILES = Path(tempfile.mkdtemp(prefix="zhifa-test-files-"))
atexit.register(shutil.rmtree, _TEST_FILES, True)
MEDIA_ROOT = _TEST_FILES / "media"
RECORDS_SIGNING_KEY = ""
RECORDS_SIGNING_KEY_FILE = _TEST_FILES / "records-signing-key.pem"

# A fixed digest key (development would generate one into ./var).
ZHIFA_DIGEST_KEY = "test-digest-key-not-a-secret-0123456789abcdefghij"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 3
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

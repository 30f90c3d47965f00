"""Demo settings (``make demo``): served like production on one machine.

DEBUG is off, so visitors see Zhifa's own error pages (never Django's technical pages
with the URL patterns); static files are collected by ``zhifa serve`` and served by
WhiteNoise from ``VAR_DIR/static`` with hashed names, exactly as in production. What
differs from production: SQLite under ./var/, a secret and a digest key generated at run
time into ./var/secret_key and ./var/digest_key (never committed), only 127.0.0.1 and
localhost, plain HTTP, and a records signing key generated into ./var/ when missing.
"""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import local_secret_key

SECRET_KEY = local_secret_key()
ZHIFA_DIGEST_KEY = os.environ.get("ZHIFA_DIGEST_KEY") or local_secret_key("digest_key")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

"""Production settings. Refuses to start without ZHIFA_SECRET_KEY.

Configure with: ZHIFA_SECRET_KEY, ZHIFA_DIGEST_KEY (system check core.E001 without it),
ZHIFA_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), ZHIFA_CSRF_TRUSTED_ORIGINS, and
optionally ZHIFA_SECURE_SSL_REDIRECT=false when TLS terminates in front of a proxy that
already redirects.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ.get("ZHIFA_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "ZHIFA_SECRET_KEY must be set to a random string of at least 50 characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )

DEBUG = False
# Marks production: commands that must never run here (e.g. `zhifa demo`) check it.
ZHIFA_PRODUCTION = True
SECURE_SSL_REDIRECT = env_bool("ZHIFA_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("ZHIFA_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Checkpoints are signed with one configured key on every server, never a generated one.
RECORDS_GENERATE_SIGNING_KEY = False

# The publication log's origin names this deployment's log in every signed checkpoint:
# set ZHIFA_TRANSPARENCY_ORIGIN once and keep it (docs/transparency.md); without it, the
# first allowed host's (a system check warns when neither gives one).
TRANSPARENCY_ORIGIN = os.environ.get("ZHIFA_TRANSPARENCY_ORIGIN") or next(
    (f"{host.lstrip('.')}/transparency" for host in ALLOWED_HOSTS if host != "*"),  # noqa: F405
    TRANSPARENCY_ORIGIN,  # noqa: F405
)

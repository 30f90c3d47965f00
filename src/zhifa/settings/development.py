"""Development and demo settings: DEBUG on, a secret generated once into ./var/."""

from __future__ import annotations

import secrets

from .base import *  # noqa: F403
from .base import EVIDENCE_STORAGE, VAR_DIR, env_bool


def _development_secret() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _development_secret()
DEBUG = env_bool("ZHIFA_DEBUG", True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

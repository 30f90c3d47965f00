"""Development settings: DEBUG on, a secret generated once into ./var/, static files
straight from the apps (no collectstatic)."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import EVIDENCE_STORAGE, env_bool, local_secret_key

SECRET_KEY = local_secret_key()
ZHIFA_DIGEST_KEY = os.environ.get("ZHIFA_DIGEST_KEY") or local_secret_key("digest_key")
DEBUG = env_bool("ZHIFA_DEBUG", True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

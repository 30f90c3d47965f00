"""System checks of core's configuration: the key of the keyed digests
(``core.services.keyed_digest``; README, Production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from .services import DIGEST_KEY_MIN_LENGTH

_HINT = (
    'Set ZHIFA_DIGEST_KEY to a random string (python -c "import secrets; '
    'print(secrets.token_urlsafe(50))"), not SECRET_KEY, and keep it: party access codes '
    "and the complaint filers' digests in the record are keyed with it. After a rotation, "
    "keep the previous keys in ZHIFA_DIGEST_OLD_KEYS (comma-separated)."
)


@register("security")
def digest_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    current = str(getattr(settings, "ZHIFA_DIGEST_KEY", "") or "")
    if len(current) < DIGEST_KEY_MIN_LENGTH:
        return [
            Error(
                "ZHIFA_DIGEST_KEY is not set."
                if not current
                else f"ZHIFA_DIGEST_KEY is shorter than {DIGEST_KEY_MIN_LENGTH} characters.",
                hint=_HINT,
                id="core.E001",
            )
        ]
    if current == settings.SECRET_KEY:
        return [
            Error(
                "ZHIFA_DIGEST_KEY is SECRET_KEY: rotating SECRET_KEY would change every digest.",
                hint=_HINT,
                id="core.E002",
            )
        ]
    old = list(getattr(settings, "ZHIFA_DIGEST_OLD_KEYS", ()) or ())
    if any(len(key) < DIGEST_KEY_MIN_LENGTH for key in old):
        return [
            Error(
                f"A key in ZHIFA_DIGEST_OLD_KEYS is shorter than {DIGEST_KEY_MIN_LENGTH} "
                "characters (a list split on commas inside a key?).",
                hint=_HINT,
                id="core.E003",
            )
        ]
    return []

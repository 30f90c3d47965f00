"""Helpers every app's services share (``<app>/services.py``, ADR 0001): validate and
save a model, set only the fields a service allows. Recording the change is the record's
(``records.services.record_change``), which sits above core."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def validated_save(obj: M, exclude: list[str] | None = None) -> M:
    """Validate the whole object (field validators and ``clean``) and save it."""
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def set_fields(obj: Model, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """Set ``fields`` on ``obj``; a field outside ``allowed`` is refused, named."""
    allowed = set(allowed)
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("This field cannot be set here.")})
        setattr(obj, name, value)


#: The key ID of digests made before ``ZHIFA_DIGEST_KEY`` existed, keyed from
#: ``SECRET_KEY``: still verified (while ``SECRET_KEY`` is the one they were made with),
#: never used for a new digest.
LEGACY_KEY_ID = ""

#: The shortest digest key accepted (a system check refuses shorter ones).
DIGEST_KEY_MIN_LENGTH = 32


class UnknownDigestKey(LookupError):
    """A digest names a key ID that is not configured (an old key dropped from
    ``ZHIFA_DIGEST_OLD_KEYS``)."""


def digest_key_id(key: str) -> str:
    """The ID of a digest key, stored beside what it keyed: 8 hex digits of a hash of the
    key (it tells keys apart, it reveals nothing usable of them)."""
    return hashlib.sha256(f"zhifa-digest-key-id:{key}".encode()).hexdigest()[:8]


def digest_keys() -> dict[str, str]:
    """Key ID -> key of every key a digest is verified with: ``ZHIFA_DIGEST_KEY`` (the
    current one, first), the old ones kept in ``ZHIFA_DIGEST_OLD_KEYS`` after a rotation,
    and ``SECRET_KEY`` under ``LEGACY_KEY_ID``. Raises ImproperlyConfigured without a
    current key (the ``core.E001`` check says so first)."""
    current = str(getattr(settings, "ZHIFA_DIGEST_KEY", "") or "")
    if not current:
        raise ImproperlyConfigured(
            "ZHIFA_DIGEST_KEY is not set: keyed digests (party access codes, complaint "
            "filers) need their own key (README, Production)."
        )
    keys = {digest_key_id(current): current}
    for old in getattr(settings, "ZHIFA_DIGEST_OLD_KEYS", ()) or ():
        keys.setdefault(digest_key_id(old), old)
    keys[LEGACY_KEY_ID] = settings.SECRET_KEY
    return keys


def current_digest_key_id() -> str:
    """The ID of the key new digests are made with (``ZHIFA_DIGEST_KEY``'s)."""
    return next(iter(digest_keys()))


def keyed_digest(purpose: str, text: str, *, key_id: str | None = None) -> str:
    """HMAC-SHA256 of ``text`` (UTF-8) keyed with ``"zhifa-<purpose>:" + key``: the
    stored or recorded form of a secret or an identity that must be matched later
    without being readable, and that nobody without the site's key can recompute from a
    guess (a party's access code, a complaint filer's identity). Each purpose gets its
    own key. The key is ``ZHIFA_DIGEST_KEY`` (never ``SECRET_KEY``: rotating that one
    changes no digest), or the key of ``key_id`` (``digest_keys``; the ID is stored
    beside a digest that must be verified after a rotation). Raises
    ``UnknownDigestKey`` for a key ID not configured."""
    keys = digest_keys()
    chosen = next(iter(keys)) if key_id is None else key_id
    if chosen not in keys:
        raise UnknownDigestKey(chosen)
    key = f"zhifa-{purpose}:{keys[chosen]}".encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

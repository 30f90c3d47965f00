"""Helpers every app's services share (``<app>/services.py``, ADR 0001): validate and
save a model, set only the fields a service allows. Recording the change is the record's
(``records.services.record_change``), which sits above core."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
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


def keyed_digest(purpose: str, text: str) -> str:
    """HMAC-SHA256 of ``text`` (UTF-8) keyed with ``"zhifa-<purpose>:" + SECRET_KEY``:
    the stored or recorded form of a secret or an identity that must be matched later
    without being readable, and that nobody without the site's key can recompute from a
    guess (a party's access code, a complaint filer's identity). Each purpose gets its
    own key. Rotating ``SECRET_KEY`` changes every digest."""
    key = f"zhifa-{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

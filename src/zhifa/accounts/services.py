"""State changes of accounts: API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User

TOKEN_PREFIX = "zf_"
MAX_ACTIVE_TOKENS = 10
MAX_DAYS = 366


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str  # shown once


@transaction.atomic
def create_api_token(user: User, name: str, days: int | None) -> NewToken:
    """Create a token for ``user``; ``days`` of validity (1–366) or None for no expiry."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name (what it is for).")
    elif len(name) > 64:
        errors["name"] = _("The name has at most 64 characters.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Validity must be between 1 and %(max)s days.") % {"max": MAX_DAYS}
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("You already have %(n)s active tokens; revoke one first.") % {
            "n": MAX_ACTIVE_TOKENS
        }
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    expires: datetime | None = timezone.now() + timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=_digest(secret), expires_at=expires
    )
    return NewToken(token, f"{TOKEN_PREFIX}{prefix}_{secret}")


@transaction.atomic
def revoke_api_token(user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ValidationError({"token": _("No such token.")})
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(plaintext: str) -> User | None:
    """The active user a presented token belongs to, or None."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = plaintext[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    # Record use at most once a minute, so reads do not turn into writes on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""State changes of accounts: API tokens; an account's scope changed in the
administration site (recorded)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.organisation import justice_bureau_for, region_model
from zhifa.records import changes
from zhifa.records.services import record_change

from .models import ApiToken, Role, User

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
    if not token.user.is_active or token.user.role == Role.PARTY:
        return None
    # Record use at most once a minute, so reads do not turn into writes on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- accounts' scope (the administration site) -------------------------------------------

#: The fields of an account that decide what its user may see and do: recorded.
USER_RECORDED_FIELDS = ("username", "role", "organ", "region", "is_active", "is_superuser")

#: The record actions of accounts.
ACTION_LABELS = {
    "user.create": gettext_lazy("Account created"),
    "user.update": gettext_lazy("Account's role, organ, region or status changed"),
}


def account_chains(values: Iterable[dict[str, Any]]) -> list[Any]:
    """The chains that record an account's change: the organ of the account (before and
    after), and for an account without an organ (a supervisor, an administrator) the
    justice bureau that keeps its region's record (:func:`justice_bureau_for`)."""
    chains: dict[int, Any] = {}
    for value in values:
        if value.get("organ") is not None:
            chains.setdefault(value["organ"], value["organ"])
            continue
        region = region_model().objects.filter(pk=value.get("region")).first()
        bureau = justice_bureau_for(region)
        if bureau is not None:
            chains.setdefault(bureau.pk, bureau.pk)
    return list(chains.values())


def NO_CHAIN() -> str:
    return _(
        "No organ or justice bureau can record this account's change: give it an organ, "
        "or register its region's justice bureau first."
    )


@transaction.atomic
def save_user(user: User, *, actor: User) -> User:
    """Save an account edited in the administration site. A change of its scope (role,
    organ, region, active, superuser; :data:`USER_RECORDED_FIELDS`) is recorded as
    ``user.create`` / ``user.update`` in the chain of every organ concerned (before and
    after), in the same transaction; when no chain can record it, it is refused."""
    stored = User.objects.filter(pk=user.pk).first() if user.pk else None
    before = changes.snapshot(stored, USER_RECORDED_FIELDS) if stored is not None else None
    user.full_clean(exclude=["password"])
    user.save()
    after = changes.snapshot(user, USER_RECORDED_FIELDS)
    if before is None:
        action, body = "user.create", after
    else:
        changed = changes.diff(before, after)
        if not changed:
            return user
        action, body = "user.update", {"username": user.username, "changes": changed}
    chains = account_chains([v for v in (before, after) if v is not None])
    if not chains:
        raise ValidationError({"region": NO_CHAIN()})
    for organ in chains:
        if action == "user.create":
            record_change(actor, organ, "user.create", user, body)
        else:
            record_change(actor, organ, "user.update", user, body)
    return user

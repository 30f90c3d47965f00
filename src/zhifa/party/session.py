"""The party's session: one case, expiring. The session holds the access and the code it
signed in with; a re-issued code (which revokes it) ends the session at the next request."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .models import AccessCode, PartyAccess

KEY = "zhifa_party"


def seconds() -> int:
    """How long a party's session lasts after signing in (``ZHIFA_PARTY_SESSION_SECONDS``,
    default 30 minutes), whatever it does meanwhile."""
    return int(getattr(settings, "ZHIFA_PARTY_SESSION_SECONDS", 1800))


def start(request: HttpRequest, access: PartyAccess, code: AccessCode) -> None:
    request.session.cycle_key()  # no session fixation
    request.session[KEY] = {
        "access": access.pk,
        "case": access.case_id,
        "code": code.pk,
        "until": time.time() + seconds(),
    }
    request.session.set_expiry(seconds())


def end(request: HttpRequest) -> None:
    request.session.pop(KEY, None)


def current(request: HttpRequest) -> PartyAccess | None:
    """The party's access of this session, or None (none, expired, or its code revoked)."""
    held: Any = request.session.get(KEY)
    if not isinstance(held, dict):
        return None
    try:
        access_id, case_id, code_id = int(held["access"]), int(held["case"]), int(held["code"])
        until = float(held["until"])
    except (KeyError, TypeError, ValueError):
        end(request)
        return None
    if time.time() > until:
        end(request)
        return None
    if not AccessCode.objects.filter(
        pk=code_id, access_id=access_id, revoked_at__isnull=True
    ).exists():
        end(request)
        return None
    return (
        PartyAccess.objects.select_related("case__organ", "principal")
        .filter(pk=access_id, case_id=case_id)
        .first()
    )

"""Demo users: how one is made, with the published demo password (printed by
``zhifa demo``; never use demo data in production). The demo users themselves belong to
the demo organs and are listed with them (``registry.demo.USERS``)."""

from __future__ import annotations

from typing import Any

from .models import Role, User

DEMO_PASSWORD = "Zhifa-demo-2026"


def save_user(username: str, full_name: str, role: Role, organ: Any, region: Any) -> User:
    """Create or update a demo user (idempotent) with the demo password."""
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": role,
            "organ": organ,
            "region": region,
            "is_active": True,
            "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR,
        },
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user

"""Demo users: how one is made, with the published demo password (printed by
``zhifa demo``; never use demo data in production). The demo users themselves belong to
the demo organs and are listed with them (``registry.demo.USERS``)."""

from __future__ import annotations

from typing import Any

from .models import Role, User

DEMO_PASSWORD = "Zhifa-demo-2026"


def save_user(username: str, full_name: str, role: Role, organ: Any, region: Any) -> User:
    """Create or update a demo user (idempotent) with the demo password, through the
    recording service (``services.save_user``: ``user.create`` / ``user.update`` in the
    chain of its organ or its region's justice bureau) as the demo supervisor, so that
    ``records verify`` compares the account. An account no chain can record yet (the
    supervisor, made before the organs; the administrator) is saved directly."""
    from .services import account_chains
    from .services import save_user as record_user

    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name = full_name
    user.role = role
    user.organ = organ
    user.region = region
    user.is_active = True
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    if not user.pk:
        user.set_password(DEMO_PASSWORD)
    actor = User.objects.filter(username="supervisor").exclude(username=username).first()
    chains = account_chains([{"organ": user.organ_id, "region": user.region_id}])
    if actor is not None and chains:
        record_user(user, actor=actor)
    else:
        user.save()
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user

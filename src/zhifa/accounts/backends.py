"""Authentication backend: Django's ModelBackend plus role-based permissions.

A platform administrator (系统管理员 with no region) maintains regions, organs, users and
configuration in the administration site, so it holds every model permission there.
The administration site is not scoped, so an administrator limited to a region gets no
admin permissions (they work in the scoped pages, like supervisors); other roles hold
none either.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import Role


def _is_administrator(user: Any) -> bool:
    return bool(
        user.is_active
        and getattr(user, "role", None) == Role.ADMINISTRATOR
        and getattr(user, "region_id", None) is None
    )


class RoleBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        """Never a party's acting user (``Role.PARTY``), even if it was made active and
        given a password (docs/party.md); checked on every request of a session too
        (``get_user``). A user without a role yet (``createsuperuser``) still signs in."""
        return getattr(user, "role", None) != Role.PARTY and super().user_can_authenticate(user)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return _is_administrator(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return _is_administrator(user_obj) or super().has_module_perms(user_obj, app_label)

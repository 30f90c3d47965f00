"""Authentication backend: Django's ModelBackend plus role-based permissions.

The administrator role (系统管理员) maintains regions, organs, users and configuration in
the administration site, so it holds every model permission there; other roles hold
none (they work in the scoped pages and API, never in the unscoped admin).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import Role


def _is_administrator(user: Any) -> bool:
    return bool(user.is_active and getattr(user, "role", None) == Role.ADMINISTRATOR)


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return _is_administrator(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return _is_administrator(user_obj) or super().has_module_perms(user_obj, app_label)

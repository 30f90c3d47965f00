"""The one permission and scope layer. Every view, API endpoint and export that shows
non-public data narrows its queryset here.

- officers, legal reviewers and organ heads see their own organ's data;
- a supervisor sees every organ in the subtree of the region they are attached to;
- an administrator sees every organ (or those of their region, when one is set);
- nobody else (anonymous users, users without a role) sees anything non-public.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .organisation import organ_model, region_model
from .roles import ORGAN_ROLES, Role

M = TypeVar("M", bound=Model)


def organ_filter(user: Any, organ_field: str = "organ") -> Q | None:
    """A Q object selecting rows whose ``organ_field`` lies in the user's scope.

    Returns ``None`` when the scope is unrestricted, and a Q that matches nothing when
    the user may see nothing.
    """
    prefix = f"{organ_field}__" if organ_field else ""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    if user.role in ORGAN_ROLES:
        if user.organ_id is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}pk": user.organ_id})
    if user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        if user.region_id is None:
            return None if user.role == Role.ADMINISTRATOR else Q(pk__in=[])
        return Q(**{f"{prefix}region__path__startswith": user.region.path})
    return Q(pk__in=[])


class Everyone:
    """The scope of a nightly job that counts for every organ (as a superuser's): never
    a request's user."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = None
    pk = None


def scoped(user: Any, queryset: QuerySet[M], organ_field: str = "organ") -> QuerySet[M]:
    """Narrow ``queryset`` to the rows the user may see. ``organ_field`` is the path
    from the model to its organ (``""`` for the organ model itself)."""
    condition = organ_filter(user, organ_field)
    return queryset if condition is None else queryset.filter(condition)


def visible_organs(user: Any) -> QuerySet[Any]:
    """The organs (``settings.ZHIFA_ORGAN_MODEL``) whose data the user can see."""
    return scoped(user, organ_model().objects.all(), organ_field="")


def visible_regions(user: Any) -> QuerySet[Any]:
    """The regions whose data the user can see (for filters and region pages)."""
    regions: QuerySet[Any] = region_model().objects.all()
    if not getattr(user, "is_authenticated", False):
        return regions.none()
    if user.is_superuser or (user.role == Role.ADMINISTRATOR and user.region_id is None):
        return regions
    if user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR) and user.region_id:
        subtree: QuerySet[Any] = cast(Any, regions).subtree(user.region)
        return subtree
    if user.role in ORGAN_ROLES and user.organ_id:
        return regions.filter(pk=user.organ.region_id)
    return regions.none()


def get_scoped_or_404(
    user: Any, queryset: QuerySet[M], organ_field: str = "organ", **lookup: Any
) -> M:
    """Fetch one object inside the user's scope. Objects outside the scope are
    reported as not found, so their existence is not revealed."""
    found = scoped(user, queryset, organ_field).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def require_role(user: AbstractBaseUser, *roles: str) -> None:
    """Refuse (403) a user whose role is not one of ``roles`` (superusers pass)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if getattr(user, "is_superuser", False):
        return
    if getattr(user, "role", None) not in roles:
        raise PermissionDenied


def may_change_law(user: Any) -> bool:
    """Whether ``user`` may enter or change law text (laws, articles, their versions and
    repeals; ADR 0012). Law text belongs to the platform, not to an organ: every organ's
    power items and decisions cite the same articles. It is kept by the justice side
    (司法行政), which supervises enforcement: administrators, supervisors, and legal
    reviewers of a justice bureau (司法局). A legal reviewer of an enforcing organ relies
    on the law text and may not change it for every other organ. The one rule: the law
    pages, the API and the services ask here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role in (Role.ADMINISTRATOR, Role.SUPERVISOR):
        return True
    if user.role == Role.LEGAL_REVIEWER and user.organ_id is not None:
        return bool(getattr(user.organ, "is_justice_bureau", False))
    return False


def require_law_keeper(user: Any) -> None:
    """Refuse (403) a user who may not change law text (:func:`may_change_law`)."""
    if not may_change_law(user):
        raise PermissionDenied

"""May I? One answer for the disclosure pages and services (as ``cases.policy``): each
action is a ``can_<verb>(user, …)`` returning a ``Refusal`` or ``None``; the services
``enforce`` the same function. Another organ's publication is never the user's: the
views look it up in the user's scope (a 404) before asking."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.cases.policy import Refusal, enforce

from .models import Publication, PublicationStatus

__all__ = [
    "APPROVER_ROLES",
    "Refusal",
    "can_approve",
    "can_correct",
    "can_edit_settings",
    "can_see",
    "can_take_down",
    "enforce",
]

#: Who approves a publication before release, refuses it and takes one down after
#: credit repair: the organ head (行政机关负责人), as for the decision itself.
APPROVER_ROLES = frozenset({Role.ORGAN_HEAD})
#: Who corrects the public text of a failed publication: the organ's officers and heads.
CORRECT_ROLES = frozenset({Role.OFFICER, Role.ORGAN_HEAD})


def _forbidden(code: str, message: str) -> Refusal:
    return Refusal(code, message, forbidden=True)


def _of_organ(user: Any, organ_id: int, roles: frozenset[str]) -> Refusal | None:
    if getattr(user, "role", None) not in ORGAN_ROLES or user.organ_id != organ_id:
        return _forbidden("organ", _("Only the organ's own users act on its publications."))
    if user.role not in roles:
        return _forbidden("role", _("Your role may not do this."))
    return None


def can_see(user: Any, organ_id: int) -> bool:
    """The organ's users see its publications, failures included."""
    return getattr(user, "role", None) in ORGAN_ROLES and user.organ_id == organ_id


def can_approve(user: Any, publication: Publication) -> Refusal | None:
    refusal = _of_organ(user, publication.organ_id, APPROVER_ROLES)
    if refusal is not None:
        return refusal
    if publication.status != PublicationStatus.AWAITING_APPROVAL:
        return Refusal("not_awaiting", _("This publication is not awaiting approval."))
    return None


def can_correct(user: Any, publication: Publication) -> Refusal | None:
    refusal = _of_organ(user, publication.organ_id, CORRECT_ROLES)
    if refusal is not None:
        return refusal
    if publication.status != PublicationStatus.FAILED:
        return Refusal("not_failed", _("Only a failed publication is corrected and tried again."))
    return None


def can_take_down(user: Any, publication: Publication) -> Refusal | None:
    refusal = _of_organ(user, publication.organ_id, APPROVER_ROLES)
    if refusal is not None:
        return refusal
    if publication.status != PublicationStatus.PUBLISHED:
        return Refusal("not_published", _("Only a published decision is taken down."))
    return None


def can_edit_settings(user: Any, organ_id: int) -> Refusal | None:
    return _of_organ(user, organ_id, APPROVER_ROLES)

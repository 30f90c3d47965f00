"""The roles of the scope layer (``scope.py``, ADR 0001). They are the vocabulary of
who may see and do what, so they live with the scope layer; the user model
(``accounts.models.User.role``) stores one of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    ORGAN_HEAD = "organ_head", _("Organ head")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles whose scope is one organ.
ORGAN_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.ORGAN_HEAD})

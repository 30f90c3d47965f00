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
    #: The party (当事人) of one case, acting on its own case through the party app
    #: (docs/party.md): never signs in as a user (no usable password, inactive), it only
    #: records the steps the declaration gives it (``cases.steps.PARTY``).
    PARTY = "party", _("Party")


#: The roles of people who sign in (every role but the party's).
STAFF_ROLES = frozenset(
    {Role.OFFICER, Role.LEGAL_REVIEWER, Role.ORGAN_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}
)
#: Roles whose scope is one organ.
ORGAN_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.ORGAN_HEAD})

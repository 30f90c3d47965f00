"""May I? One answer for the statistics pages, the API and ``services.publish``.

- Published statistics are public: anyone may read them (``public_organs``).
- The running figures of an organ are seen by the users whose scope includes it
  (``core.scope``: the organ's own users; a supervisor — the justice bureau's side — or
  an administrator of its region); another organ's figures are a 404.
- Publishing (and correcting) is the organ head's act for their own organ
  (``may_publish``): officers and legal reviewers see the figures but do not publish;
  supervisors see the publication status of their region's organs but publish for no
  organ. Only a past year is published (the statistics of last year, by 31 January:
  GB118-annual-report).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.core.roles import Role
from zhifa.core.scope import visible_organs
from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject

#: The roles that publish their organ's statistics.
PUBLISH_ROLES = frozenset({Role.ORGAN_HEAD})
#: The earliest year the pages and the API take (the 2018 guideline; earlier years
#: hold no cases on the platform).
FIRST_YEAR = 2000
LAST_YEAR = 9998


def statistical_organs() -> QuerySet[EnforcementSubject]:
    """The organs that enforce in their own name or an entrusting organ's (the subjects
    that publish statistics)."""
    return EnforcementSubject.objects.filter(subject_type__in=list(ENFORCING_TYPES))


def organ_in_scope(user: Any, organ_id: int) -> EnforcementSubject:
    """The organ, if the user's scope includes it; else 404 (its existence is not
    revealed)."""
    found = (
        statistical_organs()
        .filter(pk__in=visible_organs(user).values("pk"), pk=organ_id)
        .select_related("region")
        .first()
    )
    if found is None:
        raise Http404
    return found


def publish_refusal(user: Any, organ: EnforcementSubject) -> str | None:
    """Why ``user`` may not publish ``organ``'s statistics (``None``: they may)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _("Log in as the organ's head to publish its statistics.")
    if user.role not in PUBLISH_ROLES or user.organ_id != organ.pk:
        return _("Only a head of the organ publishes its statistics.")
    return None


def may_publish(user: Any, organ: EnforcementSubject) -> bool:
    return publish_refusal(user, organ) is None


def enforce_publish(user: Any, organ: EnforcementSubject) -> None:
    """404 outside the user's scope, 403 inside it for a user who may not publish."""
    if not visible_organs(user).filter(pk=organ.pk).exists():
        raise Http404
    refusal = publish_refusal(user, organ)
    if refusal is not None:
        raise PermissionDenied(refusal)


def check_publish_year(year: int, today: dt.date) -> None:
    """A year is published once it has ended (ValidationError at ``year``)."""
    if not FIRST_YEAR <= year < today.year:
        raise ValidationError(
            {
                "year": [
                    _("Only a year that has ended can be published (%(first)s to %(last)s).")
                    % {"first": FIRST_YEAR, "last": today.year - 1}
                ]
            }
        )

"""Who may see and handle accountability matters (NA-interference; JL 七). One answer for
the pages and the services.

- handle (open one by hand, conclude): a supervisor (justice bureau) whose region
  contains the organ's region (JL 七(二), 八(二): the government's legal office
  investigates wrong enforcement and pursues it; CQ 六(三)).
- see: those supervisors, and the head(s) of the organ concerned — JL 七(二) keeps the
  persons concerned their right to state their case and defend themselves (陈述和申辩),
  which they cannot use without knowing the matter; the head answers for the organ's
  principal responsibility (主体责任). Nobody else before the matter is published: not
  the organ's other users, other organs, administrators.
- the complaint a matter was opened on, by number: only the supervisors; the organ
  concerned sees that a complaint was upheld, never which (COMPLAINT-confidential).

Outside what a user may see, a matter is answered as not found (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.accounts.models import Role

from .models import Matter


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def supervises(user: Any, organ: Any) -> bool:
    """Whether ``user`` is a supervisor whose region contains ``organ``'s region."""
    return bool(
        _active(user)
        and user.role == Role.SUPERVISOR
        and user.region_id is not None
        and organ.region.path.startswith(user.region.path)
    )


def visible_filter(user: Any) -> Q:
    if not _active(user):
        return Q(pk__in=[])
    if user.role == Role.SUPERVISOR and user.region_id is not None:
        return Q(organ__region__path__startswith=user.region.path)
    if user.role == Role.ORGAN_HEAD and user.organ_id is not None:
        return Q(organ_id=user.organ_id)
    return Q(pk__in=[])


def visible(user: Any, queryset: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    """``queryset`` (default: every matter) narrowed to what ``user`` may see."""
    if queryset is None:
        queryset = Matter.objects.all()
    return queryset.filter(visible_filter(user))


def get_visible_or_404(user: Any, pk: int) -> Matter:
    found = (
        visible(user)
        .select_related(
            "organ__region", "case", "remedy_step", "complaint", "opened_by", "concluded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def open_refusal(user: Any, case: Any) -> str | None:
    """Why ``user`` may not open a matter on ``case`` (``None``: may)."""
    if not supervises(user, case.organ):
        return _("Only a supervisor of the organ's region opens an accountability matter.")
    return None


def require_may_open(user: Any, case: Any) -> None:
    refusal = open_refusal(user, case)
    if refusal is not None:
        raise PermissionDenied(refusal)


def may_conclude(user: Any, matter: Matter) -> bool:
    return not matter.is_concluded and supervises(user, matter.organ)


def require_may_conclude(user: Any, matter: Matter) -> None:
    if not supervises(user, matter.organ):
        raise PermissionDenied(
            _("Only a supervisor of the organ's region concludes an accountability matter.")
        )


def sees_complaint(user: Any, matter: Matter) -> bool:
    """The complaint's number: the supervisors only (never the organ complained about)."""
    return supervises(user, matter.organ)

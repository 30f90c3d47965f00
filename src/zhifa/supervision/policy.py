"""Who may record, see and acknowledge interference records (NA-interference).

- record: a user of the case's organ who acts on the case — an officer, legal reviewer
  or head who opened it, is one of its officers (``CaseOfficer``) or took a step;
- see: the recording officer, the head(s) of the organ, and the supervisors whose region
  contains the organ's region — never the person named as interfering (when they are a
  platform user, even if they hold one of those roles), nobody else (other officers of
  the organ, other organs, administrators);
- acknowledge: a head of the organ or a supervisor of its region who may see it, once.

Outside what a user may see, a record is answered as not found (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.cases.models import Case, CaseOfficer, CaseStep

from .models import AcknowledgerRole, Interference


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def acts_on_case(user: Any, case: Case) -> bool:
    """Whether ``user`` is an officer of ``case``: a user of its organ (officer, legal
    reviewer, head) who opened it, is one of its officers or took one of its steps."""
    if not _active(user) or user.role not in ORGAN_ROLES or user.organ_id != case.organ_id:
        return False
    if case.opened_by_id == user.pk:
        return True
    if CaseOfficer.objects.filter(case=case, officer__user=user).exists():
        return True
    return CaseStep.objects.filter(case=case, actor=user).exists()


def record_refusal(user: Any, case: Case) -> str | None:
    """Why ``user`` may not record interference in ``case`` (``None``: may)."""
    if not acts_on_case(user, case):
        return _("Only an officer of the case records an attempt to interfere in it.")
    return None


def may_record(user: Any, case: Case) -> bool:
    return record_refusal(user, case) is None


def require_may_record(user: Any, case: Case) -> None:
    refusal = record_refusal(user, case)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _named_chains(user: Any) -> set[int]:
    """The records of every correction chain in which ``user`` is named as the person
    interfering: a correction is the same attempt told again, so the person named in
    one record of the chain sees none of it (neither the record a later correction names
    them in, nor a correction of a record that named them)."""
    found = set(Interference.objects.filter(person_user=user.pk).values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        linked = Interference.objects.filter(Q(pk__in=frontier) | Q(corrects__in=frontier))
        pairs = linked.values_list("pk", "corrects_id")
        new = {i for pair in pairs for i in pair if i is not None} - found
        found |= new
        frontier = new
    return found


def visible_filter(user: Any) -> Q:
    """The records ``user`` may see, as a Q over ``Interference``."""
    nothing = Q(pk__in=[])
    if not _active(user):
        return nothing
    allowed = Q(recorded_by=user.pk)
    if user.role == Role.ORGAN_HEAD and user.organ_id is not None:
        allowed |= Q(organ_id=user.organ_id)
    elif user.role == Role.SUPERVISOR and user.region_id is not None:
        allowed |= Q(organ__region__path__startswith=user.region.path)
    named = _named_chains(user)
    return allowed & ~Q(pk__in=named) if named else allowed


def visible(user: Any, queryset: QuerySet[Interference] | None = None) -> QuerySet[Interference]:
    """``queryset`` (default: every record) narrowed to what ``user`` may see."""
    if queryset is None:
        queryset = Interference.objects.all()
    return queryset.filter(visible_filter(user))


def get_visible_or_404(user: Any, pk: int) -> Interference:
    found = (
        visible(user)
        .select_related(
            "organ__region", "case", "recorded_by", "person_user", "corrects", "corrected_by"
        )
        .prefetch_related("acknowledgements__actor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def may_see(user: Any, interference: Interference) -> bool:
    return visible(user).filter(pk=interference.pk).exists()


def acknowledger_role(user: Any, interference: Interference) -> str | None:
    """The capacity in which ``user`` may acknowledge the record, or ``None``."""
    if not _active(user) or interference.person_user_id == user.pk:
        return None
    if user.role == Role.ORGAN_HEAD and user.organ_id == interference.organ_id:
        return AcknowledgerRole.ORGAN_HEAD
    if (
        user.role == Role.SUPERVISOR
        and user.region_id is not None
        and interference.organ.region.path.startswith(user.region.path)
    ):
        return AcknowledgerRole.SUPERVISOR
    return None


def may_correct(user: Any, interference: Interference) -> bool:
    """The recording officer corrects a record (by a new one) while it is the latest."""
    return (
        _active(user)
        and interference.recorded_by_id == user.pk
        and not Interference.objects.filter(corrects=interference).exists()
    )

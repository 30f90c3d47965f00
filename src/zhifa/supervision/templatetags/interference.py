"""The case page's interference block (``supervision/_case_interference.html``, included
by the cases app, which imports no supervision code): how many records of the case the
user may see, how many wait for their acknowledgement, and whether they may record one."""

from __future__ import annotations

from typing import Any

from django import template

from .. import policy
from ..models import Acknowledgement

register = template.Library()


@register.simple_tag(takes_context=True)
def case_interference(context: Any, case: Any) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"count": 0, "waiting": 0, "may_record": False}
    records = list(
        policy.visible(user)
        .filter(case=case, corrected_by__isnull=True)
        .select_related("organ__region")
    )
    done = set(
        Acknowledgement.objects.filter(interference__in=records, actor_id=user.pk).values_list(
            "interference_id", flat=True
        )
    )
    return {
        "count": len(records),
        "waiting": sum(
            1 for r in records if r.pk not in done and policy.acknowledger_role(user, r) is not None
        ),
        "may_record": policy.may_record(user, case),
    }

"""The case page's links to the case's accountability matters that the user may see
(``cases.extensions.register_case_links``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from . import policy
from .models import Matter


def case_links(user: Any, case: Any) -> list[dict[str, Any]]:
    matters = policy.visible(user, Matter.objects.filter(case=case)).order_by("pk")
    return [
        {
            "label": _("Accountability matter: %(ground)s") % {"ground": m.get_ground_display()},
            "url": reverse("accountability:detail", args=[m.pk]),
        }
        for m in matters
    ]

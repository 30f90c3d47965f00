"""How entries are shown: action labels and real names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Entry

ACTION_LABELS: dict[str, Any] = {
    "evidence.add": _("Evidence added"),
    "case.register": _("Case registered"),
    "case.approve_registration": _("Registration approved"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Add the labels of another app's record actions (called from its
    ``AppConfig.ready``, so that records imports no other app)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def actor_name(entry: Entry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name()
    if entry.actor_label.startswith("system:"):
        return str(_("System task: %(task)s") % {"task": entry.actor_label[7:]})
    return entry.actor_label

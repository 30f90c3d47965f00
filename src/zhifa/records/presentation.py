"""How entries are shown: action labels and real names."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Entry

ACTION_LABELS: dict[str, Any] = {
    "evidence.add": _("Evidence added"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def actor_name(entry: Entry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name()
    if entry.actor_label.startswith("system:"):
        return str(_("System task: %(task)s") % {"task": entry.actor_label[7:]})
    return entry.actor_label


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "organ_id": entry.organ_id,
        "organ_name": entry.organ.name,
        "seq": entry.seq,
        "recorded_at": entry.recorded_at,
        "actor_username": entry.actor_label if entry.actor_id else None,
        "actor_name": actor_name(entry),
        "action": entry.action,
        "action_label": action_label(entry.action),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "payload": json.loads(entry.payload),
        "entry_hash": entry.entry_hash,
    }

"""How entries are shown: action labels, object titles and real names.

The records app imports no domain app. Each app registers the labels of the actions it
records (``register_action_labels``) and how to title the objects it records
(``register_object_titles``) from its ``AppConfig.ready``; an object type is named by
its model's ``verbose_name``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zhifa.core.validation import parse_id

from .models import Entry, Evidence

#: A function giving the titles of objects of one type by their IDs (as text); IDs it
#: does not know are left out.
TitleSource = Callable[[Collection[str]], Mapping[str, str]]

ACTION_LABELS: dict[str, Any] = {
    "evidence.add": _("Evidence added"),
}
OBJECT_TITLES: dict[str, TitleSource] = {}
#: The scheduled tasks that record entries (``system:<task>``), named in words.
TASK_LABELS: dict[str, Any] = {}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Add the labels of another app's record actions (called from its
    ``AppConfig.ready``, so that records imports no other app)."""
    ACTION_LABELS.update(labels)


def register_task_labels(labels: Mapping[str, Any]) -> None:
    """Add the names of another app's scheduled tasks (``registry.expire``: 执法证到期清理)."""
    TASK_LABELS.update(labels)


def task_label(task: str) -> str:
    return str(TASK_LABELS.get(task, task))


def register_object_titles(sources: Mapping[str, TitleSource]) -> None:
    """Add how to title the objects of the given types (``app_label.model``)."""
    OBJECT_TITLES.update(sources)


def model_titles(
    model: type[models.Model], title: Callable[[Any], str], *related: str
) -> TitleSource:
    """A title source reading ``model`` rows by primary key (one query per page)."""

    def load(ids: Collection[str]) -> Mapping[str, str]:
        pks = [pk for pk in (parse_id(i, canonical=True) for i in ids) if pk is not None]
        rows = model._default_manager.select_related(*related).filter(pk__in=pks)
        return {str(row.pk): title(row) for row in rows}

    return load


OBJECT_TITLES["records.evidence"] = model_titles(Evidence, lambda e: e.title)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def actions_matching(text: str) -> list[str]:
    """The actions whose label, in the active language or in English, contains
    ``text`` (so that 立案 or "registration" finds ``case.registered``)."""
    needle = text.strip().casefold()
    if not needle:
        return []
    labels = {action: str(label).casefold() for action, label in ACTION_LABELS.items()}
    with translation.override("en"):
        english = {action: str(label).casefold() for action, label in ACTION_LABELS.items()}
    return [a for a in ACTION_LABELS if needle in labels[a] or needle in english[a]]


def object_type_label(object_type: str) -> str:
    """The object type in words: its model's verbose name (案件, 执法证 …)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def object_titles(refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Titles of the objects ``(object_type, object_id)``: the type in words and the
    object's own name or number (案件 嘉市监立〔2026〕3号), else its ID (案件 #20)."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in refs:
        by_type[object_type].add(object_id)
    titles: dict[tuple[str, str], str] = {}
    for object_type, ids in by_type.items():
        source = OBJECT_TITLES.get(object_type)
        known = source(ids) if source is not None else {}
        type_label = object_type_label(object_type)
        for object_id in ids:
            title = known.get(object_id) or f"#{object_id}"
            titles[(object_type, object_id)] = f"{type_label} {title}"
    return titles


def object_title(object_type: str, object_id: str) -> str:
    return object_titles([(object_type, object_id)])[(object_type, object_id)]


def actor_name(entry: Entry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name()
    if entry.actor_label.startswith("system:"):
        return str(_("System task: %(task)s") % {"task": task_label(entry.actor_label[7:])})
    return entry.actor_label


def actor_role(entry: Entry) -> str:
    """The actor's role in words (执法人员 …), or "" for a system task."""
    if entry.actor is None:
        return ""
    return str(entry.actor.get_role_display())


def entry_rows(entries: list[Entry]) -> list[dict[str, object]]:
    """What the entry table shows of each entry (select_related("actor") first)."""
    titles = object_titles((e.object_type, e.object_id) for e in entries)
    return [
        {
            "entry": e,
            "actor_name": actor_name(e),
            "actor_role": actor_role(e),
            "action_label": action_label(e.action),
            "object_title": titles[(e.object_type, e.object_id)],
        }
        for e in entries
    ]

"""What evidence attaches to. Evidence belongs to a case; the records app imports no
other app, so the cases app registers its case model here from its
``AppConfig.ready`` (like ``presentation.register_action_labels``): which objects a
user may attach evidence to, how one is named and where its page is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse

from zhifa.core.validation import parse_id


@dataclass(frozen=True)
class EvidenceTarget:
    #: ``app_label.model`` as stored in ``Evidence.object_type``.
    object_type: str
    #: The objects the user may attach evidence to (their organ's, in scope).
    choices: Callable[[Any], QuerySet[Any]]
    #: The URL name of the object's page; it takes the primary key.
    url_name: str

    def url(self, obj: Model | str | int) -> str:
        pk = obj.pk if isinstance(obj, Model) else obj
        return reverse(self.url_name, args=[pk])

    def links(self, user: Any, object_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """``{object_id: (name, url)}`` for the given ids the user may see, in one
        query (the ids that are not canonical primary keys are left out)."""
        pks = {pk for i in object_ids if (pk := parse_id(i, canonical=True)) is not None}
        if not pks:
            return {}
        found = self.choices(user).filter(pk__in=sorted(pks))
        return {str(obj.pk): (str(obj), self.url(obj)) for obj in found}


_TARGET: list[EvidenceTarget] = []


def register_evidence_target(target: EvidenceTarget) -> None:
    """Called once by the cases app."""
    _TARGET[:] = [target]


def evidence_target() -> EvidenceTarget:
    if not _TARGET:  # pragma: no cover - the cases app is always installed
        raise LookupError("No app registered what evidence attaches to.")
    return _TARGET[0]

"""A scheduled task may be named with dots (``registry.expire``), recorded as
``system:<name>``; other names are refused."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhifa.records.services import ObjectRef, RecordError, append_entry

OBJ = ObjectRef("registry.cleanupnotice", "1")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["registry.expire", "records-checkpoint", "deadlines"])
def test_dotted_task_names(organ_a, name):
    with transaction.atomic():
        entry = append_entry(
            actor=None, organ=organ_a, action="registry.expire", obj=OBJ, system_task=name
        )
    assert entry.actor_label == f"system:{name}" and entry.actor_id is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "Registry.expire", "registry.", ".expire", "a..b", "a" * 62])
def test_bad_task_names(organ_a, name):
    with transaction.atomic(), pytest.raises(RecordError):
        append_entry(actor=None, organ=organ_a, action="registry.expire", obj=OBJ, system_task=name)

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


@pytest.mark.django_db
def test_the_entry_list_names_a_system_task_in_words(organ_a, supervisor_city):
    """Issue #10: /records/entries/ showed "系统定时任务：registry.expire"."""
    from zhifa.core.testing import client_for

    with transaction.atomic():
        append_entry(
            actor=None,
            organ=organ_a,
            action="registry.expire",
            obj=OBJ,
            system_task="registry.expire",
        )
    html = client_for(supervisor_city).get("/records/entries/").content.decode()
    assert "系统定时任务：执法证和委托到期清理" in html
    assert "系统定时任务：registry.expire" not in html

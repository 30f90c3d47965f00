"""The daily expiry task records ``system:registry.expire``: one entry per organ
affected, in that organ's chain, listing what expired there; a run that expires
nothing records nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from zhifa.core.testing import make_organ
from zhifa.records.testing import appended, payload
from zhifa.registry import services
from zhifa.registry.models import Certificate, SubjectType
from zhifa.registry.tests.conftest import ID_A, ID_B


@pytest.mark.django_db
def test_expiry_records_one_system_entry_per_organ(
    person_a, person_b, organ_a, organ_b, organ_c, regions, today, actor
):
    a = person_a.certificates.get()
    b = person_b.certificates.get()
    Certificate.objects.filter(pk__in=[a.pk, b.pk]).update(valid_to=today - timedelta(days=1))
    entrusted = make_organ(
        "武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c
    )
    entrustment = services.create_entrustment(
        actor=actor,
        entrusting_organ=organ_c,
        entrusted=entrusted,
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        instrument=ContentFile(b"%PDF-1.4\n%%EOF\n", name="w.pdf"),
        instrument_number="委托〔2025〕1号",
    )
    with appended() as entries:
        notice = services.expire_due(today)
    assert sorted(e.organ_id for e in entries) == sorted([organ_a.pk, organ_b.pk, organ_c.pk])
    for entry in entries:
        assert entry.actor_id is None and entry.actor_label == "system:registry.expire"
        assert entry.action == "registry.expire"
        assert (entry.object_type, entry.object_id) == ("registry.cleanupnotice", str(notice.pk))
    by_organ = {e.organ_id: payload(e) for e in entries}
    [expired_a] = by_organ[organ_a.pk]["certificates"]
    assert expired_a["number"] == "A-0001" and expired_a["officer"] == person_a.pk
    assert (expired_a["old_status"], expired_a["new_status"]) == ("valid", "expired")
    assert expired_a["effective_on"] == today.isoformat()
    assert by_organ[organ_a.pk]["entrustments"] == []
    assert by_organ[organ_c.pk]["certificates"] == []
    [expired_e] = by_organ[organ_c.pk]["entrustments"]
    assert expired_e["entrustment"] == entrustment.pk
    assert expired_e["instrument_number"] == "委托〔2025〕1号"
    text = " ".join(e.payload for e in entries)
    assert ID_A not in text and ID_B not in text

    with appended() as again:
        services.expire_due(today)
    assert again == []


@pytest.mark.django_db
def test_the_expire_command_records_the_system_task(person_a, today):
    Certificate.objects.filter(officer=person_a).update(valid_to=today - timedelta(days=1))
    with appended() as entries:
        call_command("registry", "expire", stdout=StringIO())
    assert entries.one().actor_label == "system:registry.expire"

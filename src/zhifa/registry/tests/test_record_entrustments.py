"""Entrustments are recorded in the entrusting organ's chain: create, update (only
what changed) and terminate, each one entry with the acting user; a refused change
appends nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from zhifa.core.testing import make_organ
from zhifa.records.testing import appended, payload
from zhifa.registry import services
from zhifa.registry.models import SubjectType

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def entrusted_c(organ_c, regions):
    return make_organ("武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)


@pytest.mark.django_db
def test_create_update_terminate(organ_c, entrusted_c, supervisor_county_c):
    actor = supervisor_county_c
    with appended() as created:
        entrustment = services.create_entrustment(
            actor=actor,
            entrusting_organ=organ_c,
            entrusted=entrusted_c,
            matters="油烟",
            valid_from=date(2026, 1, 1),
            valid_to=date(2027, 12, 31),
            instrument=ContentFile(PDF, name="w.pdf"),
            instrument_number="盐综执委〔2026〕1号",
        )
    entry = created.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "entrustment.create",
        organ_c.pk,
        actor.pk,
    )
    data = payload(entry)
    assert data["entrusted"] == entrusted_c.pk and data["matters"] == "油烟"
    assert data["valid_to"] == "2027-12-31" and data["power_items"] == []
    assert data["instrument"].endswith(".pdf")

    with appended() as updated:
        services.update_entrustment(entrustment, actor=actor, matters="油烟和噪声")
        services.update_entrustment(entrustment, actor=actor, matters="油烟和噪声")
    assert updated.one().action == "entrustment.update"
    assert payload(updated.one()) == {"changes": {"matters": {"old": "油烟", "new": "油烟和噪声"}}}

    with appended() as terminated:
        services.terminate_entrustment(entrustment, date(2026, 6, 1), actor=actor)
        with pytest.raises(ValidationError):
            services.terminate_entrustment(entrustment, date(2026, 6, 2), actor=actor)
    entry = terminated.one()
    assert (entry.action, entry.organ_id) == ("entrustment.terminate", organ_c.pk)
    data = payload(entry)
    assert (data["old_status"], data["new_status"]) == ("active", "terminated")
    assert data["effective_on"] == "2026-06-01"


@pytest.mark.django_db
def test_refused_entrustment_appends_nothing(organ_b, organ_c, entrusted_c, supervisor_city):
    with appended() as entries, pytest.raises(ValidationError):
        services.create_entrustment(
            actor=supervisor_city,
            entrusting_organ=organ_c,
            entrusted=organ_b,
            valid_from=date(2026, 1, 1),
            valid_to=date(2027, 12, 31),
            instrument=ContentFile(PDF, name="w.pdf"),
        )
    assert entries == []

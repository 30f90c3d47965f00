"""The questions the case workflow asks: power item in the subject's scope on a date;
a reviewer's qualification."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile

from zhifa.catalogue.services import power_item_in_scope, save_power_item
from zhifa.core.testing import make_organ
from zhifa.registry import services as registry_services
from zhifa.registry.models import SubjectType
from zhifa.registry.tests.conftest import ID_A


@pytest.mark.django_db
def test_power_item_in_scope(organ_c, organ_a, regions, actor):
    item = save_power_item(
        subject=organ_c,
        code="HY-1",
        name="x",
        category="penalty",
        valid_from=date(2024, 1, 1),
        valid_to=date(2030, 12, 31),
        actor=actor,
    )
    entrusted = make_organ("执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)
    unit = make_organ("法规科", regions["330424"], SubjectType.INTERNAL_UNIT, parent=organ_c)
    assert power_item_in_scope(organ_c, item, date(2025, 1, 1))
    assert not power_item_in_scope(organ_c, item, date(2023, 12, 31))
    assert not power_item_in_scope(organ_a, item, date(2025, 1, 1))
    assert not power_item_in_scope(unit, item, date(2025, 1, 1))
    assert not power_item_in_scope(entrusted, item, date(2025, 1, 1))
    registry_services.create_entrustment(
        entrusting_organ=organ_c,
        entrusted=entrusted,
        power_items=[item],
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
        instrument=ContentFile(b"%PDF-1.4", name="w.pdf"),
        actor=actor,
    )
    assert power_item_in_scope(entrusted, item, date(2025, 6, 1))
    assert not power_item_in_scope(entrusted, item, date(2026, 1, 1))


@pytest.mark.django_db
def test_reviewer_needs_the_legal_qualification(organ_a, actor):
    officer = registry_services.save_officer(organ=organ_a, name="x", id_number=ID_A, actor=actor)
    assert not registry_services.reviewer_qualified(officer)
    registry_services.save_officer(officer, legal_qualification=True, actor=actor)
    assert registry_services.reviewer_qualified(officer)


@pytest.mark.django_db
def test_entrusted_organisation_has_no_power_list_of_its_own(organ_c, regions, actor):
    from django.core.exceptions import ValidationError

    entrusted = make_organ("执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)
    with pytest.raises(ValidationError) as exc:
        save_power_item(
            subject=entrusted,
            code="E-1",
            name="x",
            category="penalty",
            valid_from=date(2024, 1, 1),
            actor=actor,
        )
    assert "subject" in exc.value.message_dict

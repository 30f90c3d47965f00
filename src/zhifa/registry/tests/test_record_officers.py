"""Officers, their training and exams: one entry each in the officer's organ's chain,
with the acting user; the ID number never appears in an entry; a refused or empty
change appends nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhifa.records.testing import appended, payload
from zhifa.registry import services
from zhifa.registry.models import SubjectType
from zhifa.registry.tests.conftest import ID_A, ID_B, make_id


@pytest.mark.django_db
def test_create_and_update_officer(organ_a, head_a):
    with appended() as created:
        officer = services.save_officer(
            actor=head_a, organ=organ_a, name="张执法", id_number=ID_A, post="科员"
        )
    entry = created.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "officer.create",
        organ_a.pk,
        head_a.pk,
    )
    assert (entry.object_type, entry.object_id) == ("registry.officer", str(officer.pk))
    data = payload(entry)
    assert data["name"] == "张执法" and data["post"] == "科员" and data["organ"] == organ_a.pk
    assert "id_number" not in data and data["id_number_recorded"] is True

    with appended() as updated:
        services.save_officer(officer, actor=head_a, post="副科长", id_number=ID_B)
    data = payload(updated.one())
    assert updated.one().action == "officer.update"
    assert data == {
        "changes": {"post": {"old": "科员", "new": "副科长"}, "id_number_changed": True}
    }
    for entry in [*created, *updated]:
        assert ID_A not in entry.payload and ID_B not in entry.payload

    with appended() as unchanged:
        services.save_officer(officer, actor=head_a, post="副科长")
    assert unchanged == []


@pytest.mark.django_db
def test_training_and_exam(person_a, organ_a, head_a):
    with appended() as entries:
        training = services.record_training(
            person_a, actor=head_a, year=2025, hours=40, topic="年训"
        )
        exam = services.record_exam(
            person_a,
            actor=head_a,
            taken_on=date(2025, 11, 15),
            name="资格考试",
            score=86,
            passed=True,
        )
    first, second = entries
    assert (first.action, first.object_id, first.actor_id) == (
        "officer.record_training",
        str(training.pk),
        head_a.pk,
    )
    assert payload(first) == {"officer": person_a.pk, "year": 2025, "hours": "40", "topic": "年训"}
    assert (second.action, second.object_id, second.organ_id) == (
        "officer.record_exam",
        str(exam.pk),
        organ_a.pk,
    )
    assert payload(second)["taken_on"] == "2025-11-15" and payload(second)["passed"] is True


@pytest.mark.django_db
def test_refused_officer_changes_append_nothing(organ_a, regions, head_a, person_a):
    from zhifa.core.testing import make_organ

    unit = make_organ("法规处", regions["330400"], SubjectType.INTERNAL_UNIT, parent=organ_a)
    with appended() as entries:
        with pytest.raises(ValidationError):
            services.save_officer(
                actor=head_a, organ=unit, name="x", id_number=make_id("33040219900115555")
            )
        with pytest.raises(ValidationError):
            services.save_officer(actor=head_a, organ=organ_a, name="y", id_number="123")
        with pytest.raises(ValidationError):
            services.record_exam(person_a, actor=head_a, taken_on=date(2025, 1, 1), name="")
    assert entries == []


@pytest.mark.django_db
def test_transfer_is_recorded_in_both_organs(person_a, organ_a, organ_b, supervisor_city):
    with appended() as entries:
        services.save_officer(person_a, actor=supervisor_city, organ=organ_b)
    update, transfer, joined = entries
    assert (update.action, update.organ_id) == ("officer.update", organ_b.pk)
    assert payload(update) == {"changes": {"organ": {"old": organ_a.pk, "new": organ_b.pk}}}
    assert (transfer.action, transfer.organ_id) == ("officer.transfer_out", organ_a.pk)
    assert payload(transfer) == {"officer": person_a.pk, "name": "张执法", "to_organ": organ_b.pk}
    # The new organ's chain takes him over whole, with his certificates.
    assert (joined.action, joined.organ_id) == ("officer.transfer_in", organ_b.pk)
    body = payload(joined)
    assert body["organ"] == organ_b.pk and body["from_organ"] == organ_a.pk
    assert body["name"] == "张执法" and "id_number" not in body
    assert [c["certificate"] for c in body["certificates"]] == list(
        person_a.certificates.order_by("pk").values_list("pk", flat=True)
    )

"""Registering a subject and changing its details each append one entry in the
subject's own chain, with the acting user; a refused or empty change appends none."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhifa.records.testing import appended, payload
from zhifa.registry import services


@pytest.mark.django_db
def test_create_subject_records_subject_create(regions, admin_user):
    with appended() as entries:
        subject = services.create_subject(
            actor=admin_user,
            name="嘉兴市应急管理局",
            subject_type="statutory",
            region=regions["330400"],
            short_name="嘉应急",
        )
    entry = entries.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "subject.create",
        subject.pk,
        admin_user.pk,
    )
    assert entry.actor_label == "admin"
    assert (entry.object_type, entry.object_id) == ("registry.enforcementsubject", str(subject.pk))
    data = payload(entry)
    assert data["name"] == "嘉兴市应急管理局" and data["region"] == "330400"
    assert data["short_name"] == "嘉应急" and data["is_justice_bureau"] is False


@pytest.mark.django_db
def test_update_subject_details_records_only_what_changed(organ_a, supervisor_city):
    with appended() as entries:
        services.update_subject_details(
            organ_a, actor=supervisor_city, contact_phone="0573-1", short_name="嘉市监"
        )
    entry = entries.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "subject.update",
        organ_a.pk,
        supervisor_city.pk,
    )
    assert payload(entry) == {"changes": {"contact_phone": {"old": "", "new": "0573-1"}}}
    with appended() as again:
        services.update_subject_details(organ_a, actor=supervisor_city, contact_phone="0573-1")
    assert again == []


@pytest.mark.django_db
def test_refused_subject_change_appends_nothing(regions, organ_a, supervisor_city):
    with appended() as entries:
        with pytest.raises(ValidationError):
            services.update_subject_details(organ_a, actor=supervisor_city, uscc="not a code")
        with pytest.raises(ValidationError):
            services.create_subject(
                actor=supervisor_city,
                name="x",
                subject_type="statutory",
                region=regions["330400"],
                colour="red",
            )
    assert entries == []

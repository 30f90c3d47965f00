"""Issuing a certificate and changing its status each append one entry in the
officer's organ's chain, with the acting user: number, officer, old and new status,
reason and effective date, never the ID number. A refused change appends nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from zhifa.records.testing import appended, payload
from zhifa.registry import services
from zhifa.registry.tests.conftest import ID_A, ID_AUX


@pytest.mark.django_db
def test_issue_records_certificate_issue(organ_a, supervisor_city, today):
    officer = services.save_officer(
        actor=supervisor_city, organ=organ_a, name="张执法", id_number=ID_A
    )
    with appended() as entries:
        certificate = services.issue_certificate(
            officer,
            actor=supervisor_city,
            number="A-0009",
            issuing_authority="嘉兴市人民政府",
            valid_from=today,
            valid_to=today + timedelta(days=365),
        )
    entry = entries.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "certificate.issue",
        organ_a.pk,
        supervisor_city.pk,
    )
    assert (entry.object_type, entry.object_id) == ("registry.certificate", str(certificate.pk))
    data = payload(entry)
    assert data["number"] == "A-0009" and data["officer"] == officer.pk
    assert (data["old_status"], data["new_status"]) == (None, "valid")
    assert data["reason"] == "签发" and data["effective_on"] == today.isoformat()
    assert ID_A not in entry.payload
    assert certificate.history.get().recorded_by == supervisor_city


@pytest.mark.parametrize(
    ("steps", "action", "old", "new"),
    [
        (["suspended"], "certificate.suspend", "valid", "suspended"),
        (["suspended", "valid"], "certificate.reinstate", "suspended", "valid"),
        (["revoked"], "certificate.revoke", "valid", "revoked"),
    ],
)
@pytest.mark.django_db
def test_status_change_records_old_and_new(
    person_a, organ_a, supervisor_city, today, steps, action, old, new
):
    certificate = person_a.certificates.get()
    for status in steps[:-1]:
        services.change_certificate_status(
            certificate, actor=supervisor_city, status=status, reason="先", effective_on=today
        )
    with appended() as entries:
        services.change_certificate_status(
            certificate,
            actor=supervisor_city,
            status=steps[-1],
            reason=" 原因 ",
            effective_on=today,
        )
    entry = entries.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        action,
        organ_a.pk,
        supervisor_city.pk,
    )
    assert payload(entry) == {
        "number": "A-0001",
        "officer": person_a.pk,
        "officer_name": "张执法",
        "old_status": old,
        "new_status": new,
        "reason": "原因",
        "effective_on": today.isoformat(),
    }
    assert certificate.history.order_by("-pk").first().recorded_by == supervisor_city


@pytest.mark.django_db
def test_refused_certificate_changes_append_nothing(person_a, auxiliary_a, supervisor_city, today):
    certificate = person_a.certificates.get()
    with appended() as entries:
        with pytest.raises(ValidationError):
            services.issue_certificate(
                auxiliary_a,
                actor=supervisor_city,
                number="X-1",
                issuing_authority="x",
                valid_from=today,
                valid_to=today,
            )
        with pytest.raises(ValidationError):
            services.change_certificate_status(
                certificate, actor=supervisor_city, status="expired", reason="x", effective_on=today
            )
        with pytest.raises(ValidationError):
            services.change_certificate_status(
                certificate, actor=supervisor_city, status="revoked", reason=" ", effective_on=today
            )
    assert entries == []
    assert ID_AUX  # the auxiliary's ID number is never recorded either

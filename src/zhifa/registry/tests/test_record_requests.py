"""Pages and API endpoints record the logged-in user as the actor; a refused request
records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.testing import client_for
from zhifa.records.testing import appended


@pytest.mark.django_db
def test_page_records_the_logged_in_user(person_a, admin_user, today):
    c = person_a.certificates.get()
    with appended() as entries:
        response = client_for(admin_user).post(
            f"/registry/certificates/{c.pk}/status/",
            {"status": "suspended", "reason": "调岗", "effective_on": today.isoformat()},
        )
    assert response.status_code == 302
    entry = entries.one()
    assert (entry.action, entry.actor_id, entry.actor_label) == (
        "certificate.suspend",
        admin_user.pk,
        "admin",
    )


@pytest.mark.django_db
def test_api_records_the_logged_in_user(person_a, supervisor_city, officer_a, today):
    c = person_a.certificates.get()
    body = {"status": "revoked", "reason": "违法执法", "effective_on": today.isoformat()}
    with appended() as refused:
        response = client_for(officer_a).post(
            f"/api/v1/certificates/{c.pk}/status", body, content_type="application/json"
        )
    assert response.status_code == 403 and refused == []
    with appended() as entries:
        response = client_for(supervisor_city).post(
            f"/api/v1/certificates/{c.pk}/status", body, content_type="application/json"
        )
    assert response.status_code == 200
    assert (entries.one().action, entries.one().actor_id) == (
        "certificate.revoke",
        supervisor_city.pk,
    )


@pytest.mark.django_db
def test_catalogue_api_records_the_logged_in_user(supervisor_city, justice_city):
    with appended() as entries:
        response = client_for(supervisor_city).post(
            "/api/v1/laws",
            {
                "name": "中华人民共和国测试法",
                "level": "law",
                "issuing_body": "全国人民代表大会常务委员会",
                "valid_from": date(2021, 1, 1).isoformat(),
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    entry = entries.one()
    assert (entry.action, entry.actor_id, entry.organ_id) == (
        "law.create",
        supervisor_city.pk,
        justice_city.pk,
    )

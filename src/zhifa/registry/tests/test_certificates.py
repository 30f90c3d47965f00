"""Certificates: issue, status changes kept as history, validity on a date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.testing import client_for
from zhifa.registry import services
from zhifa.registry.models import CertificateStatus, CertificateStatusChange


@pytest.mark.django_db
class TestStatusHistory:
    def test_suspend_reinstate_revoke_keeps_every_change(
        self, person_a, today, supervisor_city, actor
    ):
        c = person_a.certificates.get()
        services.change_certificate_status(
            c,
            status="suspended",
            reason="停职检查",
            effective_on=today - timedelta(days=20),
            actor=supervisor_city,
        )
        services.change_certificate_status(
            c, status="valid", reason="恢复", effective_on=today - timedelta(days=10), actor=actor
        )
        services.change_certificate_status(
            c, status="revoked", reason="违法执法", effective_on=today, actor=actor
        )
        rows = list(CertificateStatusChange.objects.filter(certificate=c).order_by("pk"))
        assert [(r.status, r.reason) for r in rows] == [
            ("valid", "签发"),
            ("suspended", "停职检查"),
            ("valid", "恢复"),
            ("revoked", "违法执法"),
        ]
        assert rows[1].recorded_by == supervisor_city
        c.refresh_from_db()
        assert c.status == "revoked" and c.status_reason == "违法执法"
        # Validity on a past date follows the history, not today's status.
        assert c.is_valid_on(today - timedelta(days=30))
        assert c.status_on(today - timedelta(days=15)) == "suspended"
        assert c.is_valid_on(today - timedelta(days=5))
        assert c.status_on(today) == "revoked"

    def test_revoked_is_final_and_reason_is_required(self, person_a, today, actor):
        c = person_a.certificates.get()
        with pytest.raises(ValidationError) as exc:
            services.change_certificate_status(
                c, status="suspended", reason=" ", effective_on=today, actor=actor
            )
        assert "reason" in exc.value.message_dict
        services.change_certificate_status(
            c, status="revoked", reason="x", effective_on=today, actor=actor
        )
        with pytest.raises(ValidationError) as exc:
            services.change_certificate_status(
                c, status="valid", reason="y", effective_on=today, actor=actor
            )
        assert "status" in exc.value.message_dict

    def test_change_cannot_be_backdated_before_the_last(self, person_a, today, actor):
        c = person_a.certificates.get()
        services.change_certificate_status(
            c, status="suspended", reason="x", effective_on=today, actor=actor
        )
        with pytest.raises(ValidationError) as exc:
            services.change_certificate_status(
                c, status="valid", reason="y", effective_on=today - timedelta(days=1), actor=actor
            )
        assert "effective_on" in exc.value.message_dict


@pytest.mark.django_db
def test_auxiliary_staff_get_no_certificate_and_never_qualify(auxiliary_a, today, actor):
    with pytest.raises(ValidationError) as exc:
        services.issue_certificate(
            auxiliary_a,
            number="AUX-1",
            issuing_authority="x",
            valid_from=today,
            valid_to=today + timedelta(days=1),
            actor=actor,
        )
    assert "officer" in exc.value.message_dict
    assert not services.officer_qualified_on(auxiliary_a, today)


@pytest.mark.django_db
def test_officer_qualified_on_date(person_a, today):
    c = person_a.certificates.get()
    assert services.officer_qualified_on(person_a, today)
    assert not services.officer_qualified_on(person_a, c.valid_to + timedelta(days=1))
    assert not services.officer_qualified_on(person_a, c.valid_from - timedelta(days=1))


@pytest.mark.django_db
def test_certificate_numbers_are_checked(person_a, today, actor):
    with pytest.raises(ValidationError) as exc:
        services.issue_certificate(
            person_a,
            number="has space",
            issuing_authority="x",
            valid_from=today,
            valid_to=today,
            actor=actor,
        )
    assert "number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.issue_certificate(
            person_a,
            number="A-0001",
            issuing_authority="x",
            valid_from=today,
            valid_to=today,
            actor=actor,
        )
    assert "number" in exc.value.message_dict  # already taken


@pytest.mark.django_db
class TestCertificatePagesAndApi:
    def test_supervisor_revokes_through_the_page(self, person_a, supervisor_city, today):
        c = person_a.certificates.get()
        response = client_for(supervisor_city).post(
            f"/registry/certificates/{c.pk}/status/",
            {"status": "revoked", "reason": "违法执法", "effective_on": today.isoformat()},
        )
        assert response.status_code == 302
        c.refresh_from_db()
        assert c.status == CertificateStatus.REVOKED

    def test_officer_cannot_change_status(self, person_a, officer_a, today):
        c = person_a.certificates.get()
        response = client_for(officer_a).post(
            f"/registry/certificates/{c.pk}/status/",
            {"status": "revoked", "reason": "x", "effective_on": today.isoformat()},
        )
        assert response.status_code == 403
        api = client_for(officer_a).post(
            f"/api/v1/certificates/{c.pk}/status",
            {"status": "revoked", "reason": "x", "effective_on": today.isoformat()},
            content_type="application/json",
        )
        assert api.status_code == 403 and api.json()["code"] == "forbidden"

    def test_county_supervisor_cannot_touch_city_certificates(
        self, person_a, supervisor_county_c, today
    ):
        c = person_a.certificates.get()
        client = client_for(supervisor_county_c)
        api = client.post(
            f"/api/v1/certificates/{c.pk}/status",
            {"status": "revoked", "reason": "x", "effective_on": today.isoformat()},
            content_type="application/json",
        )
        assert api.status_code == 404
        assert client.get(f"/api/v1/certificates/{c.pk}").status_code == 404

    def test_api_status_change_and_history(self, person_a, supervisor_city, today):
        c = person_a.certificates.get()
        client = client_for(supervisor_city)
        body = client.post(
            f"/api/v1/certificates/{c.pk}/status",
            {"status": "suspended", "reason": "调查", "effective_on": today.isoformat()},
            content_type="application/json",
        ).json()
        assert body["status"] == "suspended"
        assert [h["status"] for h in body["history"]] == ["valid", "suspended"]
        bad = client.post(
            f"/api/v1/certificates/{c.pk}/status",
            {"status": "expired", "reason": "x", "effective_on": today.isoformat()},
            content_type="application/json",
        )
        assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.status"

    def test_issue_through_api(self, person_a, supervisor_city, today):
        body = client_for(supervisor_city).post(
            f"/api/v1/officers/{person_a.pk}/certificates",
            {
                "number": "A-0002",
                "issuing_authority": "嘉兴市人民政府",
                "valid_from": today.isoformat(),
                "valid_to": (today + timedelta(days=10)).isoformat(),
            },
            content_type="application/json",
        )
        assert body.status_code == 201 and body.json()["verify_path"] == "/verify/A-0002"

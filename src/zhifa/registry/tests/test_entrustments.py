"""Entrustments: written instrument, no re-entrustment, scope, uploaded file checks."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.core.testing import client_for, make_organ
from zhifa.registry import services
from zhifa.registry.models import Entrustment, SubjectType
from zhifa.registry.validators import INSTRUMENT_MAX_BYTES

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def entrusted_c(organ_c, regions):
    return make_organ("武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)


def _create(entrusting, entrusted, content=PDF, name="w.pdf", *, actor, **extra):
    return services.create_entrustment(
        entrusting_organ=entrusting,
        entrusted=entrusted,
        valid_from=date(2026, 1, 1),
        valid_to=date(2027, 12, 31),
        instrument=ContentFile(content, name=name),
        **extra,
        actor=actor,
    )


@pytest.mark.django_db
class TestRules:
    def test_no_re_entrustment(self, organ_c, entrusted_c, regions, actor):
        other = make_organ("另一执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)
        with pytest.raises(ValidationError) as exc:
            _create(entrusted_c, other, actor=actor)
        assert "entrusting_organ" in exc.value.message_dict
        assert Entrustment.objects.count() == 0

    def test_entrusted_must_be_registered_as_entrusted(self, organ_c, organ_b, actor):
        with pytest.raises(ValidationError) as exc:
            _create(organ_c, organ_b, actor=actor)
        assert "entrusted" in exc.value.message_dict

    def test_internal_unit_cannot_entrust(self, organ_c, entrusted_c, regions, actor):
        unit = make_organ("法规科", regions["330424"], SubjectType.INTERNAL_UNIT, parent=organ_c)
        with pytest.raises(ValidationError) as exc:
            _create(unit, entrusted_c, actor=actor)
        assert "entrusting_organ" in exc.value.message_dict

    def test_instrument_must_be_pdf_or_image(self, organ_c, entrusted_c, actor):
        with pytest.raises(ValidationError) as exc:
            _create(
                organ_c, entrusted_c, content=b"MZ\x90\x00 not a pdf", name="w.pdf", actor=actor
            )
        assert "instrument" in exc.value.message_dict
        png = b"\x89PNG\r\n\x1a\n" + b"0" * 10
        assert _create(organ_c, entrusted_c, content=png, name="w.png", actor=actor).pk

    def test_instrument_size_limit(self, organ_c, entrusted_c, actor):
        big = PDF + b"0" * INSTRUMENT_MAX_BYTES
        with pytest.raises(ValidationError) as exc:
            _create(organ_c, entrusted_c, content=big, actor=actor)
        assert "instrument" in exc.value.message_dict

    def test_term_and_publication(self, organ_c, entrusted_c, actor):
        with pytest.raises(ValidationError) as exc:
            _create(organ_c, entrusted_c, published=True, actor=actor)
        assert "published_on" in exc.value.message_dict
        entrustment = _create(
            organ_c, entrusted_c, published=True, published_on=date(2026, 1, 2), actor=actor
        )
        assert entrustment.in_force_on(date(2026, 6, 1))
        assert not entrustment.in_force_on(date(2028, 1, 1))

    def test_only_the_entrusting_organs_power_items(self, organ_c, organ_a, entrusted_c, actor):
        from zhifa.catalogue.services import save_power_item

        foreign = save_power_item(
            subject=organ_a,
            code="X1",
            name="x",
            category="penalty",
            valid_from=date(2026, 1, 1),
            actor=actor,
        )
        with pytest.raises(ValidationError) as exc:
            _create(organ_c, entrusted_c, power_items=[foreign], actor=actor)
        assert "power_items" in exc.value.message_dict


@pytest.mark.django_db
class TestPagesAndScope:
    def test_supervisor_creates_with_upload(self, supervisor_county_c, organ_c, entrusted_c):
        client = client_for(supervisor_county_c)
        response = client.post(
            reverse("registry:entrustment_create"),
            {
                "entrusting_organ": organ_c.pk,
                "entrusted": entrusted_c.pk,
                "valid_from": "2026-01-01",
                "valid_to": "2027-12-31",
                "instrument": SimpleUploadedFile("w.pdf", PDF, content_type="application/pdf"),
                "instrument_number": "委托1号",
                "filed_on": "2026-01-05",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        entrustment = Entrustment.objects.get()
        download = client.get(reverse("registry:entrustment_instrument", args=[entrustment.pk]))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    def test_upload_of_wrong_type_is_refused_with_field_error(
        self, supervisor_county_c, organ_c, entrusted_c
    ):
        response = client_for(supervisor_county_c).post(
            reverse("registry:entrustment_create"),
            {
                "entrusting_organ": organ_c.pk,
                "entrusted": entrusted_c.pk,
                "valid_from": "2026-01-01",
                "valid_to": "2027-12-31",
                "instrument": SimpleUploadedFile(
                    "w.pdf", b"<html>", content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 200 and Entrustment.objects.count() == 0
        assert "PDF" in response.content.decode()

    def test_other_organ_sees_nothing(self, organ_c, entrusted_c, officer_a, actor):
        entrustment = _create(organ_c, entrusted_c, actor=actor)
        client = client_for(officer_a)
        assert client.get(f"/api/v1/entrustments/{entrustment.pk}").status_code == 404
        assert (
            client.get(reverse("registry:entrustment_detail", args=[entrustment.pk])).status_code
            == 404
        )
        assert (
            client.get(
                reverse("registry:entrustment_instrument", args=[entrustment.pk])
            ).status_code
            == 404
        )
        assert client.get("/api/v1/entrustments").json()["items"] == []

    def test_entrusted_organisation_sees_its_entrustment(self, organ_c, entrusted_c, actor):
        from zhifa.accounts.models import Role
        from zhifa.core.testing import make_user

        entrustment = _create(organ_c, entrusted_c, actor=actor)
        user = make_user("wuyuan", Role.OFFICER, organ=entrusted_c)
        body = client_for(user).get("/api/v1/entrustments").json()
        assert [e["id"] for e in body["items"]] == [entrustment.pk]


@pytest.mark.django_db
def test_publish_file_and_terminate(organ_c, entrusted_c, supervisor_county_c, officer_a, actor):
    entrustment = _create(organ_c, entrusted_c, actor=actor)
    client = client_for(supervisor_county_c)
    response = client.post(
        reverse("registry:entrustment_edit", args=[entrustment.pk]),
        {
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
            "published": "on",
            "published_on": "2026-01-03",
            "filed_on": "2026-01-05",
            "filing_number": "备〔2026〕1号",
        },
    )
    assert response.status_code == 302
    entrustment.refresh_from_db()
    assert entrustment.published and entrustment.filing_number == "备〔2026〕1号"
    assert entrustment.instrument  # kept when no new file is uploaded
    assert (
        client_for(officer_a)
        .post(reverse("registry:entrustment_terminate", args=[entrustment.pk]))
        .status_code
        == 403
    )
    client.post(reverse("registry:entrustment_terminate", args=[entrustment.pk]))
    entrustment.refresh_from_db()
    assert entrustment.status == "terminated"


@pytest.mark.django_db
def test_api_create_with_multipart_upload(
    supervisor_county_c, organ_c, entrusted_c, officer_a, actor
):
    from datetime import date as _date

    from zhifa.catalogue.services import save_power_item

    item = save_power_item(
        subject=organ_c,
        code="HY-1",
        name="x",
        category="penalty",
        valid_from=_date(2024, 1, 1),
        actor=actor,
    )
    data = {
        "entrusting_organ_id": organ_c.pk,
        "entrusted_id": entrusted_c.pk,
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
        "power_item_ids": [item.pk],
        "instrument": SimpleUploadedFile("w.pdf", PDF, content_type="application/pdf"),
    }
    response = client_for(supervisor_county_c).post("/api/v1/entrustments", data)
    assert response.status_code == 201, response.content
    assert response.json()["power_item_codes"] == ["HY-1"] and response.json()["has_instrument"]
    data["instrument"] = SimpleUploadedFile("w.pdf", b"GIF89a", content_type="application/pdf")
    bad = client_for(supervisor_county_c).post("/api/v1/entrustments", data)
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.instrument"
    data["instrument"] = SimpleUploadedFile("w.pdf", PDF)
    assert client_for(officer_a).post("/api/v1/entrustments", data).status_code == 403

"""Subject details: credit code, authorising law, who may record them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.registry import services
from zhifa.registry.models import SubjectType

VALID_USCC = "91330000MA2CDDDD0F"


@pytest.fixture
def uscc():
    from stdnum.cn import uscc

    base = "11330400002500000"
    return base + uscc.calc_check_digit(base)


@pytest.mark.django_db
class TestDetails:
    def test_authorised_organisation_needs_its_law(self, organ_a, actor):
        organ_a.subject_type = SubjectType.AUTHORISED
        with pytest.raises(ValidationError) as exc:
            services.update_subject_details(organ_a, legal_basis="x", actor=actor)
        assert "authorising_law" in exc.value.message_dict
        services.update_subject_details(
            organ_a, authorising_law="《中华人民共和国食品安全法》第六条", actor=actor
        )

    def test_credit_code_is_checked(self, organ_a, uscc, actor):
        with pytest.raises(ValidationError) as exc:
            services.update_subject_details(
                organ_a, uscc=uscc[:-1] + ("0" if uscc[-1] != "0" else "1"), actor=actor
            )
        assert "uscc" in exc.value.message_dict
        services.update_subject_details(organ_a, uscc=uscc, actor=actor)

    def test_unknown_field_is_refused(self, organ_a, actor):
        with pytest.raises(ValidationError) as exc:
            services.update_subject_details(organ_a, name="renamed", actor=actor)
        assert "name" in exc.value.message_dict

    def test_supervisor_edits_through_page_and_api(self, supervisor_city, organ_b, uscc):
        client = client_for(supervisor_city)
        response = client.post(
            reverse("registry:organ_edit", args=[organ_b.pk]),
            {
                "short_name": "善市监",
                "level": "county",
                "legal_basis": "县政府工作部门",
                "uscc": uscc,
                "active": "on",
            },
        )
        assert response.status_code == 302
        organ_b.refresh_from_db()
        assert organ_b.level == "county" and organ_b.uscc == uscc
        api = client.patch(
            f"/api/v1/organs/{organ_b.pk}/details",
            {"contact_phone": "0573-1"},
            content_type="application/json",
        )
        assert api.status_code == 200 and api.json()["contact_phone"] == "0573-1"
        bad = client.patch(
            f"/api/v1/organs/{organ_b.pk}/details", {"uscc": "123"}, content_type="application/json"
        )
        assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.uscc"

    def test_organ_users_cannot_edit_details(self, head_a, organ_a, supervisor_county_c):
        assert (
            client_for(head_a).get(reverse("registry:organ_edit", args=[organ_a.pk])).status_code
            == 403
        )
        out_of_region = client_for(supervisor_county_c).patch(
            f"/api/v1/organs/{organ_a.pk}/details",
            {"contact_phone": "x"},
            content_type="application/json",
        )
        assert out_of_region.status_code == 404


@pytest.mark.django_db
class TestCreate:
    def test_supervisor_registers_internal_unit_marked_unable_to_enforce(
        self, supervisor_city, organ_a, regions
    ):
        client = client_for(supervisor_city)
        response = client.post(
            reverse("registry:organ_create"),
            {
                "name": "嘉兴市市场监督管理局稽查支队",
                "subject_type": "internal_unit",
                "region": regions["330400"].pk,
                "parent": organ_a.pk,
            },
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "不能以自己的名义执法" in page or "cannot enforce" in page

    def test_api_and_region_scope(self, supervisor_county_c, organ_c, regions):
        client = client_for(supervisor_county_c)
        ok = client.post(
            "/api/v1/organs",
            {
                "name": "海盐县某授权组织",
                "subject_type": "authorised",
                "region_code": "330424",
                "authorising_law": "《某法》第十条",
            },
            content_type="application/json",
        )
        assert ok.status_code == 201 and ok.json()["can_enforce"] is True
        outside = client.post(
            "/api/v1/organs",
            {"name": "嘉兴市某局", "subject_type": "statutory", "region_code": "330400"},
            content_type="application/json",
        )
        assert outside.status_code == 404
        missing_law = client.post(
            "/api/v1/organs",
            {"name": "海盐县另一授权组织", "subject_type": "authorised", "region_code": "330424"},
            content_type="application/json",
        )
        assert missing_law.status_code == 400
        assert missing_law.json()["errors"][0]["path"] == "body.authorising_law"

    def test_officer_cannot_register_subjects(self, officer_a):
        assert client_for(officer_a).get(reverse("registry:organ_create")).status_code == 403

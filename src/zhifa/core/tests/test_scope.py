"""One organ cannot see another's data; a supervisor sees the region's subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.core.testing import client_for


@pytest.mark.django_db
class TestOrganScope:
    def test_officer_gets_404_for_another_organs_page(self, officer_a, organ_b):
        response = client_for(officer_a).get(reverse("registry:organ_detail", args=[organ_b.pk]))
        assert response.status_code == 404
        assert organ_b.name not in response.content.decode()

    def test_officer_gets_404_for_another_organ_in_the_api(self, officer_a, organ_b):
        response = client_for(officer_a).get(f"/api/v1/organs/{organ_b.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_officer_sees_own_organ_page_and_api(self, officer_a, organ_a):
        client = client_for(officer_a)
        page = client.get(reverse("registry:organ_detail", args=[organ_a.pk]))
        assert page.status_code == 200
        assert "张伟" in page.content.decode()
        api = client.get(f"/api/v1/organs/{organ_a.pk}")
        assert api.status_code == 200
        assert [u["username"] for u in api.json()["users"]] == ["officer_a"]

    def test_officer_list_shows_only_own_organ(self, officer_a, organ_a, organ_b, organ_c):
        client = client_for(officer_a)
        page = client.get(reverse("registry:organ_list")).content.decode()
        assert organ_a.name in page
        assert organ_b.name not in page and organ_c.name not in page
        api = client.get("/api/v1/organs").json()
        assert [o["name"] for o in api["items"]] == [organ_a.name]

    def test_supervisor_sees_region_subtree(self, supervisor_city, organ_a, organ_b, organ_c):
        names = {
            o["name"] for o in client_for(supervisor_city).get("/api/v1/organs").json()["items"]
        }
        assert names == {organ_a.name, organ_b.name, organ_c.name}

    def test_county_supervisor_does_not_see_city_or_other_county(
        self, supervisor_county_c, organ_a, organ_b, organ_c
    ):
        client = client_for(supervisor_county_c)
        names = {o["name"] for o in client.get("/api/v1/organs").json()["items"]}
        assert names == {organ_c.name}
        assert client.get(f"/api/v1/organs/{organ_a.pk}").status_code == 404
        assert client.get(reverse("registry:organ_detail", args=[organ_b.pk])).status_code == 404

    def test_anonymous_sees_nothing(self, client, organ_a):
        page = client.get(reverse("registry:organ_detail", args=[organ_a.pk]))
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        api = client.get("/api/v1/organs")
        assert api.status_code == 401
        assert api.json() == {
            "status": 401,
            "code": "unauthenticated",
            "message": api.json()["message"],
            "errors": [],
        }

    def test_user_without_role_sees_nothing(self, organ_a, django_user_model):
        user = django_user_model.objects.create(username="norole", full_name="x", role="")
        client = client_for(user)
        assert client.get("/api/v1/organs").json()["items"] == []
        assert client.get(reverse("registry:organ_detail", args=[organ_a.pk])).status_code == 404

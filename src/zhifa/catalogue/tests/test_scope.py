"""One organ cannot see or edit another's power items, benchmarks or review catalogue."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhifa.catalogue import services
from zhifa.core.testing import client_for


@pytest.mark.django_db
class TestPowerItems:
    def test_pages(self, item_a, item_b, officer_a):
        client = client_for(officer_a)
        listing = client.get(reverse("catalogue:power_item_list")).content.decode()
        assert item_a.name in listing and item_b.name not in listing
        assert (
            client.get(reverse("catalogue:power_item_detail", args=[item_b.pk])).status_code == 404
        )

    def test_api(self, item_a, item_b, officer_a):
        client = client_for(officer_a)
        assert [p["code"] for p in client.get("/api/v1/power-items").json()["items"]] == ["CF-001"]
        assert client.get(f"/api/v1/power-items/{item_b.pk}").status_code == 404

    def test_edit_another_organs_item(self, item_b, head_a, organ_b):
        client = client_for(head_a)
        assert client.get(reverse("catalogue:power_item_edit", args=[item_b.pk])).status_code == 404
        assert (
            client.post(
                reverse("catalogue:power_item_review", args=[item_b.pk]), {"note": "x"}
            ).status_code
            == 404
        )
        created = client.post(
            "/api/v1/power-items",
            {
                "subject_id": organ_b.pk,
                "code": "X",
                "name": "x",
                "category": "penalty",
                "valid_from": "2024-01-01",
            },
            content_type="application/json",
        )
        assert created.status_code == 404

    def test_officer_cannot_edit_even_own(self, item_a, officer_a):
        assert (
            client_for(officer_a)
            .get(reverse("catalogue:power_item_edit", args=[item_a.pk]))
            .status_code
            == 403
        )

    def test_supervisor_sees_region(self, item_a, item_b, supervisor_city, supervisor_county_c):
        codes = {
            p["code"]
            for p in client_for(supervisor_city).get("/api/v1/power-items").json()["items"]
        }
        assert codes == {"CF-001", "CF-101"}
        assert client_for(supervisor_county_c).get("/api/v1/power-items").json()["items"] == []

    def test_head_creates_own(self, head_a, organ_a, articles):
        response = client_for(head_a).post(
            reverse("catalogue:power_item_create"),
            {
                "subject": organ_a.pk,
                "code": "CF-9",
                "name": "对某行为的处罚",
                "category": "penalty",
                "basis": [articles["第三十五条"].pk],
                "valid_from": "2024-01-01",
            },
        )
        assert response.status_code == 302


@pytest.mark.django_db
class TestBenchmarksAndReviewCatalogue:
    def test_benchmarks(self, benchmark_a, officer_b):
        client = client_for(officer_b)
        assert (
            client.get(reverse("catalogue:benchmark_detail", args=[benchmark_a.pk])).status_code
            == 404
        )
        assert client.get(f"/api/v1/benchmarks/{benchmark_a.pk}").status_code == 404
        assert client.get("/api/v1/benchmarks").json()["items"] == []
        assert (
            benchmark_a.violation
            not in client.get(reverse("catalogue:benchmark_list")).content.decode()
        )

    def test_review_catalogue(self, organ_a, item_a, officer_a, officer_b, head_a):
        response = client_for(head_a).post(
            reverse("catalogue:review_entry_create"),
            {
                "organ": organ_a.pk,
                "title": "拟作出吊销许可证件的决定",
                "criteria": "处罚种类",
                "power_items": [item_a.pk],
                "valid_from": "2024-01-01",
            },
        )
        assert response.status_code == 302
        assert [
            e["title"]
            for e in client_for(officer_a).get("/api/v1/review-catalogue").json()["items"]
        ] == ["拟作出吊销许可证件的决定"]
        assert client_for(officer_b).get("/api/v1/review-catalogue").json()["items"] == []
        page = client_for(officer_b).get(reverse("catalogue:review_catalogue")).content.decode()
        assert "拟作出吊销许可证件的决定" not in page

    def test_review_entry_cannot_list_foreign_items(self, organ_a, item_b, actor):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.save_review_entry(
                organ=organ_a,
                title="x",
                criteria="y",
                valid_from=date(2024, 1, 1),
                power_items=[item_b],
                actor=actor,
            )


@pytest.mark.django_db
def test_laws_are_shared_but_need_login(law, articles, officer_b, client):
    assert (
        client_for(officer_b).get(f"/api/v1/laws/{law.pk}").json()["articles"][0]["number"]
        == "第三十五条"
    )
    assert client.get("/api/v1/laws").status_code == 401
    assert client.get(reverse("catalogue:law_list")).status_code == 302


@pytest.mark.django_db
def test_review_entry_api_and_edit(organ_a, organ_b, item_a, head_a, officer_a):
    client = client_for(head_a)
    created = client.post(
        "/api/v1/review-catalogue",
        {
            "organ_id": organ_a.pk,
            "title": "拟作出责令停产停业的决定",
            "criteria": "处罚种类",
            "category": "penalty",
            "power_item_ids": [item_a.pk],
            "valid_from": "2024-01-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["power_item_codes"] == ["CF-001"]
    other = client.post(
        "/api/v1/review-catalogue",
        {"organ_id": organ_b.pk, "title": "x", "criteria": "y", "valid_from": "2024-01-01"},
        content_type="application/json",
    )
    assert other.status_code == 404
    entry_id = created.json()["id"]
    url = reverse("catalogue:review_entry_edit", args=[entry_id])
    response = client.post(
        url,
        {
            "organ": organ_a.pk,
            "title": "拟作出责令关闭的决定",
            "criteria": "处罚种类",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 302
    from zhifa.catalogue.models import ReviewCatalogueItem

    entry = ReviewCatalogueItem.objects.get(pk=entry_id)
    assert entry.title == "拟作出责令关闭的决定" and entry.power_items.count() == 0
    assert client_for(officer_a).get(url).status_code == 403

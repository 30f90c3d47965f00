"""Discretion benchmarks: bands checked against the statutory range; the band lookup."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.catalogue import services
from zhifa.catalogue.models import BenchmarkBand, DiscretionBenchmark
from zhifa.core.testing import client_for

from .conftest import BANDS


@pytest.mark.django_db
class TestSave:
    def test_band_above_the_statutory_maximum_is_refused_naming_the_band(self, item_a, actor):
        bands = [*BANDS[:4], {**BANDS[4], "fine_max": Decimal(150000)}]
        with pytest.raises(ValidationError) as exc:
            services.save_benchmark(
                power_item=item_a,
                violation="v",
                statutory_range="x",
                statutory_min=Decimal(50000),
                statutory_max=Decimal(100000),
                valid_from=date(2024, 1, 1),
                bands_data=bands,
                actor=actor,
            )
        assert list(exc.value.message_dict) == ["bands.4.fine_max"]
        assert DiscretionBenchmark.objects.count() == 0

    def test_only_mitigated_goes_below_the_minimum(self, item_a, actor):
        bands = [{**BANDS[2], "fine_min": Decimal(10000)}]
        with pytest.raises(ValidationError) as exc:
            services.save_benchmark(
                power_item=item_a,
                violation="v",
                statutory_range="x",
                statutory_min=Decimal(50000),
                statutory_max=Decimal(100000),
                valid_from=date(2024, 1, 1),
                bands_data=bands,
                actor=actor,
            )
        assert "bands.0.fine_min" in exc.value.message_dict

    def test_each_circumstance_once(self, item_a, actor):
        with pytest.raises(ValidationError) as exc:
            services.save_benchmark(
                power_item=item_a,
                violation="v",
                statutory_range="x",
                valid_from=date(2024, 1, 1),
                bands_data=[BANDS[3], BANDS[3]],
                actor=actor,
            )
        assert "bands.1.circumstance" in exc.value.message_dict

    def test_update_replaces_the_bands(self, benchmark_a, actor):
        services.save_benchmark(benchmark_a, bands_data=[BANDS[3]], actor=actor)
        assert list(benchmark_a.bands.values_list("circumstance", flat=True)) == ["general"]


@pytest.mark.django_db
class TestBandFor:
    def test_band_for_a_date_and_circumstance(self, benchmark_a, item_a):
        choice = services.band_for(item_a, date(2025, 5, 1), "lighter")
        assert (choice.band.fine_min, choice.band.fine_max) == (Decimal(50000), Decimal(65000))
        assert services.band_for(item_a, date(2023, 5, 1), "lighter") is None

    def test_a_new_version_applies_from_its_date(self, benchmark_a, item_a, actor):
        services.save_benchmark(
            DiscretionBenchmark.objects.get(pk=benchmark_a.pk),
            valid_to=date(2025, 12, 31),
            actor=actor,
        )
        services.save_benchmark(
            power_item=item_a,
            violation=benchmark_a.violation,
            statutory_range="x",
            statutory_min=Decimal(50000),
            statutory_max=Decimal(100000),
            valid_from=date(2026, 1, 1),
            published=True,
            published_on=date(2025, 12, 1),
            bands_data=[{**BANDS[3], "fine_min": Decimal(60000), "fine_max": Decimal(80000)}],
            actor=actor,
        )
        assert services.band_for(item_a, date(2025, 12, 31), "general").band.fine_min == 65000
        assert services.band_for(item_a, date(2026, 1, 1), "general").band.fine_min == 60000

    def test_api(self, benchmark_a, item_a, officer_a, officer_b):
        url = f"/api/v1/power-items/{item_a.pk}/band?on=2025-05-01&circumstance=heavier"
        body = client_for(officer_a).get(url).json()
        assert body["fine_max"] == "100000.00" and body["conditions"] == "造成健康损害"
        assert client_for(officer_b).get(url).status_code == 404
        none = client_for(officer_a).get(
            f"/api/v1/power-items/{item_a.pk}/band?on=2020-01-01&circumstance=heavier"
        )
        assert none.status_code == 404
        bad = client_for(officer_a).get(
            f"/api/v1/power-items/{item_a.pk}/band?on=2025-05-01&circumstance=severe"
        )
        assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "query.circumstance"


@pytest.mark.django_db
class TestPages:
    def test_three_lists(self, benchmark_a, officer_a, officer_b):
        html = client_for(officer_a).get(reverse("catalogue:three_lists")).content.decode()
        assert "初次违法且及时改正" in html and "主动消除危害后果" in html and "货值较小" in html
        assert "一般情形" not in html
        other = client_for(officer_b).get(reverse("catalogue:three_lists")).content.decode()
        assert "初次违法且及时改正" not in other

    def test_create_through_the_page(self, item_a, head_a):
        data = {
            "power_item": item_a.pk,
            "violation": "新违法行为",
            "statutory_range": "五万至十万",
            "statutory_min": "50000",
            "statutory_max": "100000",
            "valid_from": "2024-01-01",
            "general-conditions": "一般",
            "general-fine_min": "60000",
            "general-fine_max": "90000",
            "heavier-conditions": "从重",
            "heavier-fine_min": "90000",
            "heavier-fine_max": "120000",
        }
        response = client_for(head_a).post(reverse("catalogue:benchmark_create"), data)
        assert response.status_code == 200 and DiscretionBenchmark.objects.count() == 0
        assert "法定最高" in response.content.decode()
        data["heavier-fine_max"] = "100000"
        response = client_for(head_a).post(reverse("catalogue:benchmark_create"), data)
        assert response.status_code == 302
        assert BenchmarkBand.objects.count() == 2

    def test_create_through_the_api(self, item_a, head_a, officer_a):
        payload = {
            "power_item_id": item_a.pk,
            "violation": "v",
            "statutory_range": "x",
            "statutory_min": "50000",
            "statutory_max": "100000",
            "valid_from": "2024-01-01",
            "bands": [
                {
                    "circumstance": "general",
                    "conditions": "一般",
                    "fine_min": "60000",
                    "fine_max": "90000",
                }
            ],
        }
        assert (
            client_for(officer_a)
            .post("/api/v1/benchmarks", payload, content_type="application/json")
            .status_code
            == 403
        )
        response = client_for(head_a).post(
            "/api/v1/benchmarks", payload, content_type="application/json"
        )
        assert (
            response.status_code == 201 and response.json()["bands"][0]["circumstance"] == "general"
        )


@pytest.mark.django_db
def test_band_lookup_on_the_power_item_page(benchmark_a, item_a, officer_a):
    url = reverse("catalogue:power_item_detail", args=[item_a.pk])
    html = client_for(officer_a).get(url, {"on": "2025-05-01", "circumstance": "heavier"})
    assert "造成健康损害" in html.content.decode() and "100000" in html.content.decode()
    none = client_for(officer_a).get(url, {"on": "2020-05-01", "circumstance": "heavier"})
    assert "没有" in none.content.decode()
    bad = client_for(officer_a).get(url, {"on": "x", "circumstance": "heavier"})
    assert bad.status_code == 200

"""What schemathesis (``make test-api-fuzz``) found in the catalogue's API: answers that
did not match the OpenAPI document, and input the document refuses but the API took."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.catalogue import services
from zhifa.core.testing import client_for


@pytest.mark.django_db
def test_update_warnings_carry_a_message(item_a, articles, officer_a, actor):
    """Every warning of the API has a ``message`` (a power item's had none)."""
    services.repeal_article(articles["第一百二十二条"], on=date(2026, 3, 15), actor=actor)
    client = client_for(officer_a)
    for warnings in (
        client.get(f"/api/v1/power-items/{item_a.pk}").json()["update_warnings"],
        client.get("/api/v1/power-items?warning=true").json()["items"][0]["update_warnings"],
    ):
        assert len(warnings) == 1 and "2026-04-15" in warnings[0]["message"]


@pytest.mark.django_db
def test_band_takes_the_case_file_formats_circumstance(benchmark_a, item_a, officer_a):
    """A case step names the general band ``ordinary`` (the case-file format); the band
    endpoint took only the catalogue's ``general`` and refused it."""
    client = client_for(officer_a)
    base = f"/api/v1/power-items/{item_a.pk}/band?on=2025-05-01&circumstance="
    general = client.get(base + "general")
    ordinary = client.get(base + "ordinary")
    assert general.status_code == ordinary.status_code == 200, ordinary.json()
    assert ordinary.json() == general.json()
    assert ordinary.json()["circumstance"] == "general"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("/api/v1/laws?in_force_on=0", "query.in_force_on"),
        ("/api/v1/power-items?in_force_on=1700000000", "query.in_force_on"),
        ("/api/v1/benchmarks?in_force_on=0", "query.in_force_on"),
    ],
)
def test_a_day_is_written_yyyy_mm_dd(officer_a, query, path):
    """pydantic read ``0`` as 1970-01-01; the document says ``format: date``."""
    response = client_for(officer_a).get(query)
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == [path]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["responsibilities", "name", "category", "valid_from"])
def test_patching_a_power_item_with_null_is_no_500(item_a, supervisor_city, field):
    """``{"responsibilities": null}`` was a 500 (the column takes no NULL): ``null``
    clears the text, and leaves a field that cannot be empty as it is."""
    before = getattr(item_a, field)
    response = client_for(supervisor_city).patch(
        f"/api/v1/power-items/{item_a.pk}", {field: None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    item_a.refresh_from_db()
    assert getattr(item_a, field) == ("" if field == "responsibilities" else before)

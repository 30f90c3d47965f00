"""A number too large for the database in a query string is bad input (400 or a
message on the page), never a 500 — on every list page and endpoint that filters by id."""

import pytest

from zhifa.core.testing import client_for

HUGE = "9" * 25

PAGES = [
    f"/catalogue/power-items/?subject={HUGE}",
    f"/catalogue/benchmarks/?subject={HUGE}",
    f"/catalogue/three-lists/?subject={HUGE}",
    f"/catalogue/review-catalogue/?organ={HUGE}",
    f"/registry/officers/?organ={HUGE}",
    f"/registry/entrustments/?organ={HUGE}",
    f"/records/entries/?organ={HUGE}",
]
API = [
    f"/api/v1/officers?organ={HUGE}",
    f"/api/v1/power-items?subject={HUGE}",
    f"/api/v1/benchmarks?subject={HUGE}",
    f"/api/v1/benchmarks?power_item={HUGE}",
    f"/api/v1/review-catalogue?organ={HUGE}",
    f"/api/v1/entrustments?organ={HUGE}",
    f"/api/v1/records/entries?organ={HUGE}",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages(url, supervisor_city):
    assert client_for(supervisor_city).get(url).status_code in (200, 400)


@pytest.mark.django_db
@pytest.mark.parametrize("url", API)
def test_api(url, supervisor_city):
    response = client_for(supervisor_city).get(url)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"].startswith("query.")


@pytest.mark.django_db
def test_public_checkpoints(client):
    response = client.get(f"/records/checkpoints.json?organ={HUGE}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "query.organ"

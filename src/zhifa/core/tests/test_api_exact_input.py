"""Input the OpenAPI document refuses is refused (found by schemathesis, ``make
test-api-fuzz``): a body that is not a JSON object, a day that is not YYYY-MM-DD."""

from __future__ import annotations

import pytest

from zhifa.core.testing import client_for


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[null, null]", "[]", "1", '"x"', "null"])
def test_a_body_is_a_json_object(organ_a, supervisor_city, body):
    """ninja's ``Schema`` reads attributes of any value: a list was an empty PATCH."""
    response = client_for(supervisor_city).patch(
        f"/api/v1/organs/{organ_a.pk}/details", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"][0]["path"].startswith("body")


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["0", "1700000000", "2026-1-1"])
def test_a_day_in_a_query_is_yyyy_mm_dd(officer_a, as_of):
    response = client_for(officer_a).get(f"/api/v1/cases/1/deadlines?as_of={as_of}")
    assert response.status_code == 400, response.content[:300]
    assert [e["path"] for e in response.json()["errors"]] == ["query.as_of"]


@pytest.mark.django_db
def test_an_unknown_member_is_named_not_ignored(organ_a, supervisor_city):
    """A misspelt member was silently dropped (200, nothing changed): it is named."""
    client = client_for(supervisor_city)
    url = f"/api/v1/organs/{organ_a.pk}/details"
    before = client.get(f"/api/v1/organs/{organ_a.pk}").json()
    response = client.patch(url, {"contact_phon": "0573-1234567"}, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert [e["path"] for e in response.json()["errors"]] == ["body.contact_phon"]
    assert client.get(f"/api/v1/organs/{organ_a.pk}").json() == before

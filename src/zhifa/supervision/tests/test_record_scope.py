"""The record of an interference record follows ``policy.visible`` (the declaration's
``visible_to``), not only the scope of the chain that holds it (the justice bureau's):
a supervisor of the region named as the person interfering reads neither its timeline,
its export nor its entries in the lists; another supervisor still does."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.accounts.models import Role
from zhifa.core.testing import client_for, make_user
from zhifa.supervision import services

from .conftest import record_kwargs

pytestmark = pytest.mark.django_db


def test_the_person_named_does_not_read_the_record(
    general_case: Any, officer_a: Any, regions: Any, supervisor_city: Any, frozen_clock: Any
) -> None:
    named = make_user("sup_named", Role.SUPERVISOR, region=regions["330400"])
    recorded = services.record_interference(
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, source="other_organ", person_username="sup_named"),
    )
    timeline = f"/records/timeline/supervision.interference/{recorded.pk}/"
    api = f"/api/v1/records/objects/supervision.interference/{recorded.pk}/entries"
    client = client_for(named)
    assert client.get(timeline).status_code == 404
    assert client.get(timeline + "export.zip").status_code == 404
    assert client.get(api).json()["items"] == []
    listed = client.get("/api/v1/records/entries").json()["items"]
    assert "supervision.interference" not in {i["object_type"] for i in listed}
    assert timeline not in client.get("/records/entries/").content.decode()
    # Another supervisor of the region reads it.
    other = client_for(supervisor_city)
    assert other.get(timeline).status_code == 200
    listed = other.get("/api/v1/records/entries").json()["items"]
    assert "supervision.interference" in {i["object_type"] for i in listed}
    assert timeline in other.get("/records/entries/").content.decode()

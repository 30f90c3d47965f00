"""Signed checkpoints are published (a transparency log): anyone can fetch them and
check the signature with the standard checkpoint message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.records.canonical import checkpoint_message
from zhifa.records.services import create_checkpoints
from zhifa.records.signing import signature_valid


@pytest.mark.django_db
def test_anyone_can_fetch_and_check_the_checkpoints(
    client, officer_a, organ_a, officer_b, organ_b, record
):
    record(officer_a, organ_a, 3)
    record(officer_b, organ_b, 1)
    create_checkpoints()
    body = client.get(reverse("records:checkpoints"), {"organ": organ_a.pk}).json()
    (cp,) = body["checkpoints"]
    assert (cp["organ"], cp["seq"], cp["organ_name"]) == (organ_a.pk, 3, organ_a.name)
    message = checkpoint_message(
        organ=cp["organ"], seq=cp["seq"], head_hash=cp["head_hash"], signed_at=cp["signed_at"]
    )
    assert signature_valid(cp["public_key"], cp["signature"], message)
    assert len(client.get(reverse("records:checkpoints")).json()["checkpoints"]) == 2


@pytest.mark.django_db
def test_bad_organ_parameter_is_named(client):
    response = client.get(reverse("records:checkpoints"), {"organ": "x"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "query.organ"

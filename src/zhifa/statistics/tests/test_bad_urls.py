"""Public statistics pages with an organ id no database holds: a 404, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.core.validation import DB_MAX_ID


@pytest.mark.django_db
@pytest.mark.parametrize("organ_id", [DB_MAX_ID + 1, 10**20, 0])
@pytest.mark.parametrize("tail", ["", "penalty/"])
def test_an_organ_id_beyond_the_database_is_a_404(organ_id: int, tail: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.get(f"/statistics/2025/organs/{organ_id}/{tail}")
    assert response.status_code == 404

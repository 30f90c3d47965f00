"""The bounded load test of issue #16 ("Performance and abuse"): a burst of 1,000
filings from one client on loopback, through a real threaded server, ends with every
accepted filing stored once (201, a unique number), the rest refused with 429 by the
rate limit, none lost and no 5xx. PostgreSQL only (the PostgreSQL pass of
``make test``): the in-memory SQLite test database behind the live server locks whole
tables ("database table is locked"), which tells nothing about the site."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from zhifa.complaints.models import Complaint

pytestmark = [pytest.mark.solo, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the in-memory SQLite test database locks whole tables")


BURST = 1000
WORKERS = 8
LIMIT = 150


def test_a_burst_of_filings(live_server: Any, units: None, today: Any, settings: Any) -> None:
    settings.ZHIFA_VERIFY_RATE_LIMIT = LIMIT
    url = live_server.url + "/api/v1/public/complaints"

    def post(i: int) -> tuple[int, str]:
        body = {
            "category": "food_safety",
            "region": "330400",
            "address": f"某路{i}号",
            "description": f"第{i}次举报：出售过期食品。",
        }
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())["number"]
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(post, range(BURST)))
    statuses = Counter(status for status, _number in answers)
    assert set(statuses) <= {201, 429}, statuses
    assert statuses[201] + statuses[429] == BURST
    assert 0 < statuses[201] <= LIMIT and statuses[429] > 0, statuses
    numbers = [number for status, number in answers if status == 201]
    assert len(set(numbers)) == len(numbers)
    stored = set(Complaint.objects.values_list("number", flat=True))
    assert stored == set(numbers)  # every accepted one stored once, none lost

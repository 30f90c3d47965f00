"""The portal's list pages read a fixed number of queries, whatever the length of the
list and of its history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.catalogue import services as catalogue
from zhifa.core.testing import make_organ
from zhifa.registry import services as registry

from .conftest import make_id

pytestmark = pytest.mark.django_db

#: The most queries a public page may take (session, the page's reads, its last change).
LIMIT = 10


def _grow(organ, regions, articles, actor, today, start: int, count: int) -> None:
    for n in range(start, start + count):
        item = catalogue.save_power_item(
            subject=organ,
            basis=[articles["第三十五条"], articles["第一百二十六条"]],
            code=f"X-{n:03d}",
            name=f"权力事项{n}",
            category="penalty",
            valid_from=date(2024, 1, 1),
            published=True,
            published_on=date(2024, 1, 1),
            actor=actor,
        )
        catalogue.save_power_item(item, name=f"权力事项{n}（修订）", actor=actor)
        officer = registry.save_officer(
            organ=organ,
            name=f"执法员{n}",
            id_number=make_id(f"330421198503{n:03d}12")[:18],
            actor=actor,
        )
        registry.issue_certificate(
            officer,
            number=f"Q-{n:04d}",
            issuing_authority="嘉兴市人民政府",
            valid_from=today - timedelta(days=10),
            valid_to=today + timedelta(days=300),
            actor=actor,
        )
        make_organ(f"嘉兴市第{n}执法局", regions["330400"])


def _counts(organ) -> dict[str, int]:
    client = Client()
    pages = [
        "/",
        reverse("portal:region", args=["330400"]),
        reverse("portal:subjects"),
        reverse("portal:organ", args=[organ.pk]),
        reverse("portal:officers", args=[organ.pk]),
        reverse("portal:powers", args=[organ.pk]),
        reverse("portal:powers", args=[organ.pk]) + "?on=2024-06-01",
        reverse("portal:benchmarks", args=[organ.pk]),
        reverse("portal:entrustments", args=[organ.pk]),
    ]
    counts = {}
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_list_pages_read_a_fixed_number_of_queries(world, organ_a, regions, articles, actor, today):
    _grow(organ_a, regions, articles, actor, today, 100, 2)
    small = _counts(organ_a)
    _grow(organ_a, regions, articles, actor, today, 200, 12)
    large = _counts(organ_a)
    print("queries per page:", small)
    assert large == small
    assert max(small.values()) <= LIMIT, small


def test_power_list_page_query_bound(world, organ_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMIT):
        Client().get(reverse("portal:powers", args=[organ_a.pk]))

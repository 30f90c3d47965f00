"""List pages and endpoints run a constant number of queries, however many rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.core.testing import client_for, make_organ
from zhifa.registry.models import SubjectType


def _add_organs(regions, start, n):
    for i in range(start, start + n):
        parent = make_organ(f"测试局{i}", regions["330421"])
        make_organ(f"测试局{i}内设处", regions["330421"], SubjectType.INTERNAL_UNIT, parent=parent)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("registry:organ_list"), "/api/v1/organs"])
def test_organ_list_queries_do_not_grow_with_rows(
    url, supervisor_city, regions, django_assert_num_queries
):
    client = client_for(supervisor_city)
    _add_organs(regions, 0, 2)
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_organs(regions, 2, 20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 8


@pytest.mark.django_db
def test_chinese_substring_search_finds_one_and_two_characters(
    officer_a, supervisor_city, organ_a, organ_b
):
    client = client_for(supervisor_city)
    one = client.get("/api/v1/organs?q=善").json()["items"]
    two = client.get("/api/v1/organs?q=嘉善").json()["items"]
    assert [o["name"] for o in one] == [organ_b.name] == [o["name"] for o in two]
    page = client.get(reverse("registry:organ_list"), {"q": "监督"}).content.decode()
    assert organ_a.name in page and organ_b.name in page

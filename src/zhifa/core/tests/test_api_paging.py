"""API list endpoints fetch only the page asked for, and refuse oversized pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.testing import client_for, make_organ


@pytest.mark.django_db
def test_the_list_query_is_limited_to_the_page(supervisor_city, regions):
    for i in range(30):
        make_organ(f"测试局{i}", regions["330421"])
    client = client_for(supervisor_city)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/organs?limit=5&offset=10").json()
    assert body["count"] == 30 and len(body["items"]) == 5
    selects = [
        q["sql"] for q in queries.captured_queries if "registry_enforcementsubject" in q["sql"]
    ]
    assert selects and all("COUNT(" in sql or "LIMIT 5" in sql for sql in selects), selects


@pytest.mark.django_db
def test_pages_above_the_cap_are_refused(supervisor_city):
    response = client_for(supervisor_city).get("/api/v1/organs?limit=100000")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "query.limit"

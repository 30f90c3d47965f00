"""The list pages read a fixed number of queries however many matters they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.accountability import services
from zhifa.accountability.models import Matter
from zhifa.cases.models import Case
from zhifa.core.testing import client_for

from .conftest import make_complaint

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _conclude(matter: Matter, supervisor) -> None:
    services.conclude_matter(
        matter,
        actor=supervisor,
        substantiated=True,
        stages=["decision"],
        measures=["corrected"],
        finding="认定事实不清。",
        public_summary="认定事实不清，依法纠正。",
    )


def test_the_lists_do_not_grow_with_the_matters(revoked_case: Case, supervisor_city) -> None:
    client = client_for(supervisor_city)
    public = Client()
    services.open_from_remedies()
    _conclude(Matter.objects.get(), supervisor_city)
    inside = _queries(client, reverse("accountability:list"))
    outside = _queries(public, reverse("accountability:public_list"))
    services.open_matter(
        revoked_case,
        ground="complaint",
        actor=supervisor_city,
        complaint=make_complaint(revoked_case),
        reasons="投诉属实。",
    )
    services.open_matter(
        revoked_case,
        ground="evaluation",
        actor=supervisor_city,
        evaluation_ref="P-1",
        reasons="0分",
    )
    for matter in Matter.objects.filter(status="open"):
        _conclude(matter, supervisor_city)
    assert Matter.objects.count() == 3
    assert _queries(client, reverse("accountability:list")) == inside
    assert _queries(public, reverse("accountability:public_list")) == outside

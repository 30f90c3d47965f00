"""Supervisors read the cases of the organs in their region, and act on none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.core.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_city_supervisor_reads_the_case_the_county_one_does_not(
    general_case: Case, supervisor_city: Any, supervisor_county_c: Any
) -> None:
    city = client_for(supervisor_city)
    listing = city.get(reverse("cases:list")).content.decode()
    assert general_case.case_id in listing
    assert city.get(reverse("cases:detail", args=[general_case.pk])).status_code == 200
    assert city.get(f"/api/v1/cases/{general_case.pk}").status_code == 200
    step = reverse("cases:step", args=[general_case.pk, "registered"])
    assert city.post(step, {"on": "2026-03-03"}).status_code in (403, 404)
    assert general_case.steps.count() == 0

    county = client_for(supervisor_county_c)
    assert general_case.case_id not in county.get(reverse("cases:list")).content.decode()
    assert county.get(reverse("cases:detail", args=[general_case.pk])).status_code == 404
    assert county.get(f"/api/v1/cases/{general_case.pk}").status_code == 404

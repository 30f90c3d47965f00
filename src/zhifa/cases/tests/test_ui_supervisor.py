"""Supervisors read the cases of the organs in their region, and act on none."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.core.scope import visible_organs
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


# --- the supervisor's list: the region's cases, their organs, a filter by organ -------


@pytest.fixture
def region_cases(
    general_case: Case,
    power_item: Any,
    organ_b: Any,
    organ_c: Any,
    officer_b: Any,
) -> dict[str, Case]:
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_user

    from .conftest import case_in

    officer_c = make_user("officer_c", Role.OFFICER, organ=organ_c, full_name="赵六")
    return {
        "a": general_case,
        "b": case_in(organ_b, officer_b, power_item, party_name="嘉善某某餐饮店"),
        "c": case_in(organ_c, officer_c, power_item, party_name="海盐某某超市"),
    }


def options(page: str) -> list[str]:
    select = page.split('<select name="organ">', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d*)"', select)


def test_the_supervisor_reads_the_regions_cases_with_their_organs(
    region_cases: dict[str, Case], supervisor_city: Any, organ_a: Any, organ_b: Any, organ_c: Any
) -> None:
    page = client_for(supervisor_city).get(reverse("cases:list")).content.decode()
    assert "<h1>嘉兴市辖区各机关的案件</h1>" in page
    assert "本机关案件" not in page
    assert "<th>机关</th>" in page
    for case, organ in zip(region_cases.values(), (organ_a, organ_b, organ_c), strict=True):
        assert case.case_id in page
        assert re.search(rf'<td class="organ"[^>]*>{organ.name}</td>', page)
    visible = {str(o.pk) for o in visible_organs(supervisor_city)}
    assert set(options(page)) == {"", *visible}
    assert {str(organ_a.pk), str(organ_b.pk), str(organ_c.pk)} <= visible


def test_the_organ_filter_narrows_to_one_organ(
    region_cases: dict[str, Case], supervisor_city: Any, organ_b: Any
) -> None:
    response = client_for(supervisor_city).get(reverse("cases:list"), {"organ": organ_b.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert region_cases["b"].case_id in page
    assert region_cases["a"].case_id not in page and region_cases["c"].case_id not in page
    assert f'<option value="{organ_b.pk}" selected>' in page


def test_the_filter_cannot_reach_an_organ_outside_the_region(
    region_cases: dict[str, Case], supervisor_county_c: Any, organ_a: Any, organ_c: Any
) -> None:
    client = client_for(supervisor_county_c)
    page = client.get(reverse("cases:list")).content.decode()
    assert "<h1>海盐县辖区各机关的案件</h1>" in page
    assert options(page) == ["", str(organ_c.pk)]
    for value in (str(organ_a.pk), "x", "99999999999999999999"):
        response = client.get(reverse("cases:list"), {"organ": value})
        page = response.content.decode()
        assert response.status_code == 400
        assert "机关：请在您辖区的机关中选择。" in page
        assert region_cases["a"].case_id not in page and organ_a.name not in page
        assert region_cases["c"].case_id in page


def test_officers_keep_their_list(
    region_cases: dict[str, Case], officer_a: Any, organ_b: Any
) -> None:
    client = client_for(officer_a)
    page = client.get(reverse("cases:list"), {"all": "1"}).content.decode()
    assert "<h1>本机关案件</h1>" in page
    assert 'name="organ"' not in page and "<th>机关</th>" not in page
    # The organ parameter means nothing to an officer's list.
    response = client.get(reverse("cases:list"), {"all": "1", "organ": organ_b.pk})
    assert response.status_code == 200
    assert region_cases["a"].case_id in response.content.decode()


def test_the_supervisors_list_costs_the_same_queries_for_more_cases(
    general_case: Case, power_item: Any, organ_b: Any, officer_b: Any, supervisor_city: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import case_in

    client = client_for(supervisor_city)
    client.get(reverse("cases:list"))  # warm the session and the caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:list")).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n in range(3):
        case_in(organ_b, officer_b, power_item, party_name=f"嘉善某某餐饮店{n}")
    assert queries() == one

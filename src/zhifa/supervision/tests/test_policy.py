"""Who may record and who may see an interference record (NA-interference): the officer
of the case, the organ's head and the region's supervisors — nobody else, never the
person named. Pages, API and attachment answer alike (404 outside)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.core.testing import client_for, make_user
from zhifa.supervision import policy
from zhifa.supervision.models import Interference

pytestmark = pytest.mark.django_db


def _pages(record: Interference) -> list[str]:
    return [
        reverse("supervision:interference_detail", kwargs={"pk": record.pk}),
        f"/api/v1/supervision/interference/{record.pk}",
    ]


def _listed(user: Any) -> list[int]:
    items = client_for(user).get("/api/v1/supervision/interference").json()["items"]
    return [i["id"] for i in items]


@pytest.mark.parametrize("who", ["officer_a", "head_a", "supervisor_city"])
def test_the_recorder_the_head_and_the_region_supervisor_see_it(
    request: pytest.FixtureRequest, recorded: Interference, who: str
) -> None:
    user = request.getfixturevalue(who)
    assert policy.may_see(user, recorded)
    for url in _pages(recorded):
        assert client_for(user).get(url).status_code == 200, url
    assert _listed(user) == [recorded.pk]
    page = client_for(user).get(reverse("supervision:interference_list"))
    assert page.status_code == 200 and "钱某" not in page.content.decode()  # names on detail
    assert f'href="/supervision/interference/{recorded.pk}/"' in page.content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "deputy",  # the person named as interfering, though a head of the organ
        "colleague",  # an officer of the organ who is not an officer of the case
        "reviewer_a",  # the organ's legal reviewer
        "officer_b",  # an officer of another organ
        "supervisor_county_c",  # a supervisor of another region
        "admin_user",  # the platform's administrator
    ],
)
def test_nobody_else_sees_it(
    request: pytest.FixtureRequest, recorded: Interference, who: str
) -> None:
    user = request.getfixturevalue(who)
    assert not policy.may_see(user, recorded)
    client = client_for(user)
    for url in _pages(recorded):
        assert client.get(url).status_code == 404, url
    attachment = reverse("supervision:interference_attachment", kwargs={"pk": recorded.pk})
    assert client.get(attachment).status_code == 404
    assert _listed(user) == []
    listing = client.get(reverse("supervision:interference_list"))
    assert listing.status_code == 200
    assert f"/supervision/interference/{recorded.pk}/" not in listing.content.decode()


def test_a_named_supervisor_does_not_see_it(
    general_case: Any, officer_a: Any, regions: Any, frozen_clock: Any
) -> None:
    from zhifa.supervision import services

    from .conftest import record_kwargs

    named = make_user("sup_named", Role.SUPERVISOR, region=regions["330400"])
    record = services.record_interference(
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, source="other_organ", person_username="sup_named"),
    )
    assert not policy.may_see(named, record)
    assert client_for(named).get(_pages(record)[1]).status_code == 404
    assert policy.acknowledger_role(named, record) is None


def test_who_may_record(
    general_case: Any,
    officer_a: Any,
    head_a: Any,
    colleague: Any,
    officer_b: Any,
    supervisor_city: Any,
) -> None:
    assert policy.may_record(officer_a, general_case)  # opened the case
    assert not policy.may_record(colleague, general_case)  # same organ, not of the case
    assert not policy.may_record(head_a, general_case)  # has not acted on it yet
    assert not policy.may_record(officer_b, general_case)
    assert not policy.may_record(supervisor_city, general_case)
    url = reverse("supervision:interference_add", kwargs={"case_pk": general_case.pk})
    assert client_for(officer_a).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(officer_b).get(url).status_code == 404  # another organ's case
    assert client_for(supervisor_city).get(url).status_code == 403


def test_an_officer_named_in_the_case_rows_may_record(
    general_case: Any, people: Any, colleague: Any
) -> None:
    from zhifa.cases.models import CaseOfficer

    CaseOfficer.objects.create(
        case=general_case, officer=people.host, ref=f"O{people.host.pk}", role="investigator"
    )
    assert policy.may_record(colleague, general_case)

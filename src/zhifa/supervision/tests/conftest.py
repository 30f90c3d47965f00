"""Interference tests reuse the case fixtures (organ A's general case opened by
``officer_a``, its people, the city's justice bureau) and add the people around it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import make_user
from zhifa.registry.models import EnforcementSubject
from zhifa.supervision import services
from zhifa.supervision.models import Interference

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk


@pytest.fixture
def deputy(organ_a: EnforcementSubject) -> User:
    """A second head of organ A: the leader who interferes."""
    return make_user("deputy_a", Role.ORGAN_HEAD, organ=organ_a, full_name="钱副局长")


@pytest.fixture
def colleague(people: Any) -> User:
    """An officer of organ A who is not an officer of the case (host_a)."""
    return User.objects.get(username="host_a")


def when(frozen_clock: dt.datetime, days: int = 3) -> dt.datetime:
    return timezone.localtime(frozen_clock) - dt.timedelta(days=days)


def record_kwargs(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_at": when(frozen_clock),
        "source": "internal_leader",
        "person_name": "钱某",
        "person_unit": "嘉兴市市场监督管理局",
        "person_position": "副局长",
        "method": "phone",
        "request": "打电话要求对该公司从轻处罚，不要罚款。",
        "response": "当场拒绝，告知将依规记录并报告。",
    }
    values.update(kw)
    return values


@pytest.fixture
def recorded(
    general_case: Case, officer_a: User, deputy: User, frozen_clock: dt.datetime
) -> Interference:
    """Organ A's case: the deputy head phoned the officer to ask for leniency."""
    return services.record_interference(
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, person_username="deputy_a"),
    )

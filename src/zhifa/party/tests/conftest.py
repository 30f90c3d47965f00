"""Party tests reuse the case fixtures (organ A's power item, officers, a general case and
its walker) and build a second organ's case for the isolation tests."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.cases.tests.conftest import FINE, D, People, Walker, open_general_case

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk


def registered(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()


def notify(walk: Walker, on: str = "2026-11-20", intended: Any = FINE, **extra: Any) -> None:
    """The prior notice, served on ``on`` (the frozen today is 2026-11-24: a notice of
    2026-11-20 leaves the hearing-request window open)."""
    registered(walk)
    walk(services.serve_prior_notice, on=D(on), intended=intended, **extra)


def decided(walk: Walker) -> None:
    """Notified in March, heard, reviewed, decided and served on 2026-03-27: the payment
    period has passed by the frozen today."""
    walk.until_review()
    walk.decide(on="2026-03-27")
    walk(services.serve_decision, on=D("2026-03-27"), method="direct", signed_by="recipient")


@pytest.fixture
def notified_walk(walk: Walker) -> Walker:
    notify(walk)
    return walk


@pytest.fixture
def other_case(organ_a: Any, power_item: Any, people: People) -> Case:
    """A second case of the same organ, notified too, with another party."""
    case = open_general_case(organ_a, power_item, people)
    other = Walker(case, people)
    notify(other)
    return case

"""Counting (GB118-annual-stats): each decision once under its heaviest type, amounts,
zero rows, an empty year, the decision date's year, bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.accounts.models import User
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine import statistics as rules
from zhifa.statistics import queries

from .conftest import decision, make_case

D = dt.date


def only(organ: EnforcementSubject) -> object:
    return EnforcementSubject.objects.filter(pk=organ.pk)


@pytest.mark.django_db
def test_a_decision_counts_once_under_its_heaviest_type(organ_a, head_a: User) -> None:
    make_case(
        organ_a,
        head_a,
        [
            decision(
                D(2025, 3, 2),
                ("fine", 5000),
                ("confiscation", 1200.5),
                ("suspend_permit", None),
            )
        ],
    )
    make_case(organ_a, head_a, [decision(D(2025, 4, 1), ("warning", None), ("fine", 300))])
    figures = queries.figures_of(only(organ_a), 2025)
    assert figures.decisions == 2
    assert figures.categories == {
        **dict.fromkeys(rules.DISPLAY_ORDER, 0),
        "suspension": 1,
        "fine": 1,
    }
    # The amounts count every fine and confiscation, whatever the heaviest type.
    assert (figures.fine_decisions, figures.fines) == (2, Decimal("5300.00"))
    assert (figures.confiscation_decisions, figures.confiscations) == (1, Decimal("1200.50"))
    lists = queries.lists_of(only(organ_a), 2025)
    assert len(lists["suspension"]) == 1 and len(lists["penalty"]) == 2
    assert len(lists["fines"]) == 2 and len(lists["confiscation"]) == 0


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (["warning", "fine"], "fine"),
        (["fine", "confiscation"], "confiscation"),
        (["revoke_permit", "restrict_business"], "restrict_business"),
        (["closure", "lower_qualification", "fine"], "stop_business"),
        (["detention", "restrict_practice"], "detention"),
        (["suspend_permit", "revoke_permit"], "revocation"),
        ([], "other"),
    ],
)
def test_the_engine_orders_by_the_items_of_apl_article_9(types: list[str], expected: str) -> None:
    assert rules.heaviest(types) == expected


@pytest.mark.django_db
def test_no_activity_is_zero_and_other_decisions_do_not_count(
    organ_a, organ_b, head_a: User
) -> None:
    make_case(
        organ_a,
        head_a,
        [
            ("seizure", D(2025, 5, 1), {"days": 30}),
            ("seizure_extended", D(2025, 5, 20), {"days": 30}),
            decision(D(2025, 6, 1), outcome="no_penalty"),
            decision(D(2025, 12, 31), ("fine", 100)),
            decision(D(2026, 1, 1), ("fine", 100)),  # next year: the decision date counts
        ],
    )
    figures = queries.figures_of(only(organ_a), 2025)
    assert figures.decisions == 1 and figures.fines == Decimal("100.00")
    assert figures.seizures == 1  # an extension is not a new measure
    data = figures.to_json()
    assert data["licensing"] is None and data["inspection"] is None
    assert data["coercion"]["other_measures"] is None
    # An organ with no cases: every figure is 0.
    empty = queries.figures_of(only(organ_b), 2025)
    assert empty.decisions == 0 and set(empty.counts().values()) == {0}
    assert empty.fines == Decimal("0.00")


@pytest.mark.django_db
def test_a_year_with_no_cases(organ_a, head_a: User) -> None:
    make_case(organ_a, head_a, [decision(D(2025, 6, 1), ("warning", None))])
    figures = queries.figures_of(only(organ_a), 2019)
    assert figures.decisions == 0 and set(figures.counts().values()) == {0}
    assert all(ids == [] for ids in queries.lists_of(only(organ_a), 2019).values())


@pytest.mark.django_db
def test_the_figures_take_two_queries_whatever_the_number_of_cases(
    organ_a, organ_b, organ_c, head_a: User, django_assert_num_queries
) -> None:
    for i in range(12):
        organ = (organ_a, organ_b, organ_c)[i % 3]
        make_case(
            organ,
            head_a,
            [
                ("seizure", D(2025, 2, 1 + i), {}),
                decision(D(2025, 3, 1 + i), ("fine", 100 * i), ("revoke_permit", None)),
            ],
        )
    organs = EnforcementSubject.objects.all()
    with django_assert_num_queries(2):
        found = queries.figures_by_organ(organs, 2025)
    assert sorted(f.decisions for f in found.values()) == [4, 4, 4]
    with django_assert_num_queries(2):
        lists = queries.lists_of(organs, 2025)
    assert len(lists["revocation"]) == 12 and len(lists["seizures"]) == 12

"""The decision applies the discretion band of the circumstance found (issue #6 item 5;
DISC-benchmark, APL Art. 34): the band comes from the catalogue, a fine outside it needs
a reason, and the band is stored with the decision in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services
from zhifa.cases.models import Case

from .conftest import D, People, Walker, refused_rule

pytestmark = pytest.mark.django_db


def _decide(walk: Walker, people: People, **kw: Any) -> Any:
    return walk(
        services.issue_decision,
        actor=people.head_user,
        on=D("2026-03-27"),
        approved_by=people.head,
        **kw,
    )


def test_decision_stores_the_band_of_the_circumstance(
    walk: Walker, people: People, bands: None
) -> None:
    walk.until_review()
    _decide(walk, people, penalties=[{"type": "fine", "amount": 150000}], circumstance="general")
    case = Case.objects.get(pk=walk.case.pk)
    assert case.benchmark == {
        "circumstance": "ordinary",
        "fine_min": 100000.0,
        "fine_max": 200000.0,
        "reason_outside_band": None,
    }
    assert case.steps.last().step == "decision"


def test_fine_outside_the_band_needs_a_reason(walk: Walker, people: People, bands: None) -> None:
    """Issue #12: a fine outside the band without a reason is DISC-benchmark, a warning
    as the catalogue says (APL 34): the decision is taken and keeps the warning; with a
    reason, no warning."""
    walk.until_review()
    _decide(walk, people, penalties=[{"type": "fine", "amount": 60000}], circumstance="general")
    case = Case.objects.get(pk=walk.case.pk)
    assert [w["rule"] for w in case.steps.last().warnings if w["rule"] == "DISC-benchmark"] == [
        "DISC-benchmark"
    ]
    assert case.benchmark["reason_outside_band"] is None


def test_fine_outside_the_band_with_a_reason_keeps_no_warning(
    walk: Walker, people: People, bands: None
) -> None:
    walk.until_review()
    _decide(
        walk,
        people,
        penalties=[{"type": "fine", "amount": 60000}],
        circumstance="general",
        reason_outside_band="主动消除危害后果，积极配合调查",
    )
    case = Case.objects.get(pk=walk.case.pk)
    assert case.benchmark["reason_outside_band"] == "主动消除危害后果，积极配合调查"
    assert not [w for w in case.steps.last().warnings if w["rule"] == "DISC-benchmark"]


def test_circumstance_without_a_band_is_refused(walk: Walker, people: People, bands: None) -> None:
    walk.until_review()
    with pytest.raises(ValidationError) as exc:
        _decide(
            walk, people, penalties=[{"type": "fine", "amount": 150000}], circumstance="heavier"
        )
    assert "circumstance" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _decide(walk, people, penalties=[{"type": "fine", "amount": 150000}], circumstance="bogus")
    assert "circumstance" in exc.value.message_dict
    assert walk.case.steps.filter(step="decision").count() == 0


def test_fine_above_article_maximum_is_refused_even_with_a_reason(
    general_case: Case, people: People, bands: None
) -> None:
    walk = Walker(general_case, people)
    walk(
        services.register_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
    )
    walk.investigate()
    # APL-basis-range on the notice (issue #11): 600,000 above the 500,000 maximum is
    # refused when it is notified.
    with refused_rule("APL-basis-range"):
        walk(
            services.serve_prior_notice,
            on=D("2026-03-16"),
            intended=[{"type": "fine", "amount": 600000}],
        )
    walk(
        services.serve_prior_notice,
        on=D("2026-03-16"),
        intended=[{"type": "fine", "amount": 500000}],
    )
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=people.head_user, on=D("2026-03-26"))
    with refused_rule("APL-basis-range"):
        _decide(
            walk,
            people,
            penalties=[{"type": "fine", "amount": 600000}],
            circumstance="general",
            reason_outside_band="情节严重",
        )
    assert Case.objects.get(pk=walk.case.pk).benchmark == general_case.benchmark


def test_a_published_benchmark_makes_the_circumstance_required(
    walk: Walker, people: People, bands: None
) -> None:
    """Issue #12: a penalty decision that states no circumstance where the item has a
    published benchmark is DISC-benchmark (a warning, as the catalogue says; the
    export says settings.benchmark_published)."""
    walk.until_review()
    # A case opened without a benchmark (the walk's case states one when it is opened:
    # the file then states the circumstance, and the engine has nothing to say).
    Case.objects.filter(pk=walk.case.pk).update(benchmark=None)
    walk.case.benchmark = None
    _decide(walk, people, penalties=[{"type": "fine", "amount": 150000}])
    step = walk.case.steps.last()
    assert step.step == "decision"
    assert "DISC-benchmark" in [w["rule"] for w in step.warnings]

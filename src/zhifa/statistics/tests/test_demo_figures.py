"""The annual statistics of the demo equal a count made here, independently, from the
raw case steps (issue #15 item 6 acceptance): the heaviest type by the grouping of
《中华人民共和国行政处罚法》第九条, written out again in this test."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhifa.cases.models import CaseStep
from zhifa.registry.demo import organs as demo_organs
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.statistics import queries

#: The categories of the statistics, heaviest first, and the format's types in each
#: (APL Art. 9 (五) … (一); within an item, the article's listing order reversed).
HEAVIEST_FIRST = [
    ("detention", {"detention"}),
    ("stop_business", {"suspend_business", "closure", "restrict_practice"}),
    ("restrict_business", {"restrict_business"}),
    ("revocation", {"revoke_permit"}),
    ("suspension", {"suspend_permit", "lower_qualification"}),
    ("confiscation", {"confiscation"}),
    ("fine", {"fine"}),
    ("warning", {"warning"}),
]


def independent_count(organ_ids: set[int], year: int) -> dict[str, object]:
    categories: Counter[str] = Counter()
    fines = Decimal(0)
    with_fine = 0
    coercion: Counter[str] = Counter()
    for step in CaseStep.objects.select_related("case").order_by("pk"):
        if step.case.organ_id not in organ_ids or step.on.year != year:
            continue
        if step.step in ("seizure", "court_application", "preservation"):
            coercion[step.step] += 1
        if step.step != "decision" or step.data.get("outcome") != "penalty":
            continue
        types = {p["type"] for p in step.data.get("penalties", [])}
        category = next((name for name, kinds in HEAVIEST_FIRST if types & kinds), "other")
        categories[category] += 1
        amounts = [p.get("amount") or 0 for p in step.data["penalties"] if p["type"] == "fine"]
        if amounts:
            with_fine += 1
            fines += sum(Decimal(str(a)) for a in amounts)
    return {
        "decisions": sum(categories.values()),
        "categories": {k: v for k, v in categories.items() if v},
        "fines": fines.quantize(Decimal("0.01")),
        "with_fine": with_fine,
        "seizures": coercion["seizure"],
        "court_applications": coercion["court_application"],
        "preservations": coercion["preservation"],
    }


def computed(figures: queries.Figures) -> dict[str, object]:
    assert figures.categories is not None
    return {
        "decisions": figures.decisions,
        "categories": {k: v for k, v in figures.categories.items() if v},
        "fines": figures.fines,
        "with_fine": figures.fine_decisions,
        "seizures": figures.seizures,
        "court_applications": figures.court_applications,
        "preservations": figures.preservations,
    }


@pytest.mark.django_db
def test_the_demo_statistics_equal_an_independent_count(today: dt.date) -> None:
    call_command("demo", stdout=io.StringIO())
    organs = demo_organs()
    years = {s.on.year for s in CaseStep.objects.filter(step="decision")}
    assert years, "the demo has decisions"
    for year in years:
        for key in ("amr", "amr_a", "cle"):
            organ = organs[key]
            mine = computed(
                queries.figures_of(EnforcementSubject.objects.filter(pk=organ.pk), year)
            )
            assert mine == independent_count({organ.pk}, year), (key, year)
        # The city's region includes the county's organs.
        city = Region.objects.get(code="330400")
        in_city = EnforcementSubject.objects.filter(region__path__startswith=city.path)
        expected = independent_count(set(in_city.values_list("pk", flat=True)), year)
        assert computed(queries.figures_of(in_city, year)) == expected
    # The demo is not trivially empty: fines, a warning, a seizure this year.
    this_year = independent_count(
        set(EnforcementSubject.objects.values_list("pk", flat=True)), today.year
    )
    assert this_year["with_fine"] and this_year["seizures"], this_year

"""The penalty procedure chart is generated from the step declarations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.steps import STEPS
from zhifa.portal import procedure


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def test_every_declared_step_is_on_the_chart_once():
    chart = procedure.build_chart()
    names = [n.name for n in _walk([*chart.start, *chart.spine, *chart.end])]
    assert sorted(names) == sorted(s.name for s in STEPS)
    assert [n.name for n in chart.end] == [
        s.name for s in STEPS if s.ends_case and s.place != "source"
    ]


def test_branches_follow_requires_and_procedures():
    chart = procedure.build_chart()
    nodes = {n.name: n for n in _walk([*chart.start, *chart.spine, *chart.end])}
    for spec in STEPS:
        if spec.requires:
            assert nodes[spec.name] in nodes[spec.requires].children
    assert nodes["hearing_requested"].general_only and nodes["registered"].general_only
    assert not nodes["prior_notice"].general_only and not nodes["decision"].general_only
    assert nodes["decision"].by_head and nodes["legal_review"].by_reviewer
    assert any(rule_id.startswith("APL-") for rule_id, _c in nodes["decision"].rules)


@pytest.mark.django_db
def test_the_chart_page_shows_every_step():
    html = Client().get(reverse("portal:procedure")).content.decode()
    for spec in STEPS:
        assert html.count(f'id="step-{spec.name}"') == 1, spec.name

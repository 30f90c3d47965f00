"""``zhifa records verify`` holds the campaigns to their entries in the justice
bureau's chain: the services' changes pass; a status or seed changed in the database
fails, naming the campaign; a campaign row without its entry fails. (The case files
here are made straight in the database, so only the bureau's chain is verified.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.evaluation import campaigns, scoring
from zhifa.evaluation.campaigns import OrganSample
from zhifa.evaluation.models import Campaign, DrawnFile
from zhifa.records.tests.test_tamper_suite import run_verify

from .conftest import closed_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(
    frozen_clock,
    today,
    sheet,
    supervisor_city,
    justice_city,
    organ_a,
    organ_b,
    officer_a,
    officer_b,
) -> Any:
    closed_cases(organ_a, officer_a, 3, "A", dt.date(2026, 3, 5))
    campaign = campaigns.plan_campaign(
        supervisor_city,
        title="t",
        sheet=sheet,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        samples=[OrganSample(organ_a, size=1)],
        today=today,
    )
    campaigns.publish_campaign(supervisor_city, campaign, today=today)
    campaigns.draw_campaign(
        supervisor_city,
        campaign,
        beacon_value="1 2 3",
        beacon_reference="r",
        beacon_on=today,
        today=today,
    )
    drawn = DrawnFile.objects.get()
    scoring.assign(supervisor_city, drawn, officer_b)
    scoring.score_file(officer_b, drawn, faults={}, notes={})
    scoring.publish_results(supervisor_city, campaign)
    return campaign


def test_the_services_changes_pass(scored: Campaign) -> None:
    code, text = run_verify("--organ", str(scored.bureau_id))
    assert code == 0, text


@pytest.mark.parametrize("change", [{"status": "drawn"}, {"seed": "0" * 64}])
def test_a_change_outside_the_services_fails(scored: Campaign, change: dict[str, Any]) -> None:
    Campaign.objects.filter(pk=scored.pk).update(**change)
    code, text = run_verify("--organ", str(scored.bureau_id))
    assert code == 1, text
    assert f"evaluation campaign {scored.number}" in text, text


def test_a_campaign_without_its_entry_fails(scored: Campaign) -> None:
    forged = Campaign.objects.get(pk=scored.pk)
    forged.pk = None
    forged.number = "forged"
    forged.save()
    code, text = run_verify("--organ", str(scored.bureau_id))
    assert code == 1, text
    assert "forged" in text, text

"""The demo's evaluation campaign: the example sheet, one campaign planned, published
and drawn by the demo supervisor on the demo's today; once however often the demo runs;
the draw verifies and the records verify."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from zhifa.accountability.models import Ground, Matter
from zhifa.evaluation.models import Campaign, CampaignStatus, DrawnFile, FileScore, ScoringSheet
from zhifa.records.tests.test_tamper_suite import run_verify

pytestmark = pytest.mark.django_db


def test_the_demo_draws_one_campaign(frozen_clock: object, today: dt.date) -> None:
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    assert ScoringSheet.objects.count() == 1
    assert campaign.status == CampaignStatus.DRAWN and campaign.published_on == today
    assert campaign.period_end == today - dt.timedelta(days=1)
    assert campaign.planned_by.username == "supervisor"
    assert DrawnFile.objects.filter(roster__campaign=campaign).exists()
    # Two files scored by the supervisor; the second fails a veto item, scores 0 and
    # opens its case's accountability matter (once however often the demo runs).
    scores = list(FileScore.objects.order_by("scored_at"))
    assert [s.evaluator.username for s in scores] == ["supervisor", "supervisor"]
    assert scores[1].vetoed and scores[1].total == 0
    matter = Matter.objects.get()
    assert matter.ground == Ground.EVALUATION and matter.case_id == scores[1].drawn.case_id
    out = StringIO()
    call_command("evaluation", "verify-draw", campaign.number, stdout=out)
    assert out.getvalue().startswith("MATCH")
    code, text = run_verify()
    assert code == 0, text


def test_the_demo_flags_one_officer_two_years_fail(frozen_clock: object, today: dt.date) -> None:
    from zhifa.evaluation.demo import FLAGGED
    from zhifa.evaluation.models import AnnualGrade
    from zhifa.registry.models import OfficerFlag

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    flag = OfficerFlag.objects.get()
    assert flag.officer.name == FLAGGED and flag.year == today.year - 1
    grades = AnnualGrade.objects.filter(officer=flag.officer).order_by("year")
    assert [(g.year, g.grade) for g in grades] == [
        (today.year - 2, "fail"),
        (today.year - 1, "fail"),
    ]
    assert AnnualGrade.objects.filter(year=today.year - 1, published_at__isnull=False).exists()
    code, text = run_verify()
    assert code == 0, text

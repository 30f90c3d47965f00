"""Scoring the drawn files: evaluators never from the evaluated organ, the pre-fill from
the stored findings, veto, results per organ, common problems, rectification with the
organ's reply, the results on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases.models import AuditItem, AuditItemKind
from zhifa.core.testing import client_for
from zhifa.evaluation import campaigns, scoring
from zhifa.evaluation.campaigns import OrganSample
from zhifa.evaluation.models import CampaignStatus, DrawnFile, FileScore
from zhifa.supervision import notices
from zhifa.supervision.models import NoticeStatus

from .conftest import closed_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(
    frozen_clock,
    today,
    sheet,
    supervisor_city,
    justice_city,
    organ_a,
    organ_b,
    officer_a,
    officer_b,
):
    closed_cases(organ_a, officer_a, 6, "A", dt.date(2026, 3, 5))
    closed_cases(organ_b, officer_b, 4, "B", dt.date(2026, 6, 1))
    campaign = campaigns.plan_campaign(
        supervisor_city,
        title="2026年度评查",
        sheet=sheet,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        samples=[OrganSample(organ_a, size=2), OrganSample(organ_b, size=1)],
        today=today,
    )
    campaigns.publish_campaign(supervisor_city, campaign, today=today)
    return campaigns.draw_campaign(
        supervisor_city,
        campaign,
        beacon_value="12 34 56",
        beacon_reference="体彩",
        beacon_on=today,
        today=today,
    )


def first_of(campaign, organ):
    return DrawnFile.objects.get(roster__campaign=campaign, roster__organ=organ, rank=1)


def finding(case_id, rule, message="问题"):
    return AuditItem.objects.create(
        case_id=case_id,
        kind=AuditItemKind.FINDING,
        rule=rule,
        citation="c",
        severity="error",
        message_zh=message,
    )


def test_an_evaluator_from_the_evaluated_organ_is_refused(
    drawn, supervisor_city, officer_a, officer_b, organ_a
):
    file_a = first_of(drawn, organ_a)
    with pytest.raises(ValidationError) as caught:
        scoring.assign(supervisor_city, file_a, officer_a)
    assert "evaluator" in caught.value.message_dict
    assert officer_a not in scoring.candidate_evaluators(drawn, file_a)
    assert officer_b in scoring.candidate_evaluators(drawn, file_a)
    # Through the page: a clear message, no assignment.
    response = client_for(supervisor_city).post(
        reverse("evaluation:assign", args=[file_a.pk]), {"evaluator": officer_a.pk}, follow=True
    )
    assert response.status_code == 200
    assert "被评查机关" in response.content.decode()
    assert not hasattr(DrawnFile.objects.get(pk=file_a.pk), "assignment")
    with pytest.raises(PermissionDenied):
        scoring.assign(officer_b, file_a, officer_b)


def test_the_evaluator_scores_with_the_findings_pre_filled(
    drawn, supervisor_city, officer_b, organ_a, officer_a
):
    file_a = first_of(drawn, organ_a)
    finding(file_a.case_id, "APL-61-service", "送达超期")
    finding(file_a.case_id, "APL-64-hearing-notice", "听证通知不足七日")
    finding(file_a.case_id, "APL-59-decision-content")
    scoring.assign(supervisor_city, file_a, officer_b)
    client = client_for(officer_b)
    url = reverse("evaluation:score_file", args=[file_a.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200 and len(queries) < 25
    rows = {r["p"].item.code: r for r in page.context["rows"]}
    assert rows["S4"]["faults"] == 2 and rows["S7"]["faults"] == 1 and rows["V9"]["faults"] == 0
    assert "送达超期" in page.content.decode()
    # Others may not open it: the evaluated organ, another organ's unassigned user.
    assert client_for(officer_a).get(url).status_code == 404
    items = {r["p"].item.code: r["p"].item.pk for r in page.context["rows"]}
    # A correction without a note is refused at its item, nothing written.
    data = {f"faults_{items['S7']}": "0"}
    bad = client.post(url, data)
    assert bad.status_code == 400 and f"note_{items['S7']}" in bad.context["errors"]
    assert not FileScore.objects.exists()
    data[f"note_{items['S7']}"] = "决定书内容完整，规则提示为误报"
    data[f"faults_{items['F2']}"] = "1"
    data[f"note_{items['F2']}"] = "缺少送达回证原件"
    assert client.post(url, data).status_code == 302
    score = FileScore.objects.get(drawn=file_a)
    # S4: 2 faults x 3 = 6 deducted; F2: 1 x 1; S7 corrected to 0.
    assert (score.vetoed, score.form_points, score.substance_points, score.total) == (
        False,
        19,
        74,
        93,
    )
    assert score.items.get(item__code="S7").prefilled_faults == 1
    # Once.
    with pytest.raises(PermissionDenied):
        scoring.score_file(officer_b, file_a, faults={}, notes={})


def test_a_failed_veto_scores_zero_and_results_are_published(
    drawn, supervisor_city, officer_b, organ_a, organ_b, head_a, today, client
):
    file_a = first_of(drawn, organ_a)
    finding(file_a.case_id, "APL-42-two-officers", "调查取证仅一名执法人员")
    scoring.assign(supervisor_city, file_a, officer_b)
    score = scoring.score_file(officer_b, file_a, faults={}, notes={})
    assert score.vetoed and score.total == 0
    # A file scored 0 opens an accountability matter on its case, once.
    from zhifa.accountability.models import Ground, Matter

    matter = Matter.objects.get(case_id=file_a.case_id)
    assert matter.ground == Ground.EVALUATION and drawn.number in matter.evaluation_ref
    # The matter's page links back to the file as scored, for whom may open that file.
    matter_url = reverse("accountability:detail", args=[matter.pk])
    score_url = reverse("evaluation:score_file", args=[file_a.pk])
    for user in (supervisor_city, officer_b):
        page = client_for(user).get(matter_url)
        if page.status_code == 200:
            assert f'href="{score_url}" id="evaluation-file"' in page.content.decode()
            assert client_for(user).get(score_url).status_code == 200
    assert client_for(supervisor_city).get(matter_url).status_code == 200
    head_page = client_for(head_a).get(matter_url)
    assert head_page.status_code == 200, "the organ concerned reads its matter"
    assert 'id="evaluation-file"' not in head_page.content.decode()
    assert client_for(head_a).get(score_url).status_code == 404
    results = {r.organ.pk: r for r in scoring.organ_results(drawn)}
    assert (results[organ_a.pk].drawn, results[organ_a.pk].scored, results[organ_a.pk].vetoed) == (
        2,
        1,
        1,
    )
    assert results[organ_a.pk].average == 0 and results[organ_b.pk].average is None
    assert [p.item.code for p in scoring.common_problems(drawn)] == ["V3"]
    # Rectification: a supervision notice to the organ; its head replies.
    rect = scoring.require_rectification(
        supervisor_city,
        drawn,
        organ_a,
        findings="调查取证人员不足两人",
        rectification="组织培训并整改",
        deadline=today + dt.timedelta(days=30),
    )
    assert rect.notice.organ_id == organ_a.pk and file_a.case_id in rect.notice.cases.values_list(
        "pk", flat=True
    )
    notices.submit_reply(rect.notice, actor=head_a, text="已组织培训，完成整改。")
    rect.notice.refresh_from_db()
    assert rect.notice.status == NoticeStatus.REPLIED
    page = client_for(head_a).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert rect.notice.number in page.content.decode()
    with pytest.raises(ValidationError):
        scoring.require_rectification(
            supervisor_city, drawn, organ_a, findings="x", rectification="y", deadline=today
        )
    # Results on the portal, without party data.
    public = reverse("evaluation:public_campaign", args=[drawn.pk])
    assert "public-results" not in client.get(public).content.decode()
    scoring.publish_results(supervisor_city, drawn)
    drawn.refresh_from_db()
    assert drawn.status == CampaignStatus.RESULTS_PUBLISHED
    html = client.get(public).content.decode()
    assert "public-results" in html and "调查取证执法人员少于两人" in html
    assert "李某某" not in html and "330402199001011234" not in html
    with pytest.raises(ValidationError):
        scoring.publish_results(supervisor_city, drawn)


def test_nothing_before_the_draw(
    frozen_clock, today, sheet, supervisor_city, justice_city, organ_a, officer_b
):
    campaign = campaigns.plan_campaign(
        supervisor_city,
        title="t",
        sheet=sheet,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        samples=[OrganSample(organ_a, size=1)],
        today=today,
    )
    with pytest.raises(ValidationError):
        scoring.publish_results(supervisor_city, campaign)
    with pytest.raises(ValidationError):
        scoring.require_rectification(
            supervisor_city,
            campaign,
            organ_a,
            findings="x",
            rectification="y",
            deadline=today + dt.timedelta(days=5),
        )

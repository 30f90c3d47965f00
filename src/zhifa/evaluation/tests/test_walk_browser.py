"""The evaluation walk in headless Chromium at 390 CSS pixels (issue #18, acceptance):
the supervisor plans a campaign, publishes the rosters and draws; an evaluator from
another organ scores a drawn file with the engine's stored findings pre-filled; the
supervisor requires rectification and the organ's head replies in writing; the results
appear on the portal. No page scrolls sideways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhifa.cases.models import AuditItem, AuditItemKind
from zhifa.evaluation.models import Campaign, CampaignStatus, DrawnFile, FileScore, Rectification
from zhifa.supervision.models import NoticeStatus
from zhifa.supervision.tests.conftest import PHONE, signed_in, width  # noqa: F401  (fixture)

from .conftest import closed_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Page = Any


def test_plan_draw_score_rectify_publish_on_a_phone(
    signed_in: Callable[..., Page],  # noqa: F811
    browser: Any,
    live_server: Any,
    sheet: Any,
    justice_city: Any,
    supervisor_city: Any,
    organ_a: Any,
    organ_b: Any,
    officer_a: Any,
    officer_b: Any,
    head_a: Any,
    today: dt.date,
) -> None:
    for case in closed_cases(organ_a, officer_a, 3, "A", dt.date(2026, 3, 5)):
        AuditItem.objects.create(
            case=case,
            kind=AuditItemKind.FINDING,
            rule="APL-61-service",
            citation="APL 61",
            severity="error",
            message_zh="决定书未在七日内送达",
        )
    closed_cases(organ_b, officer_b, 2, "B", dt.date(2026, 6, 1))

    supervisor = signed_in("supervisor_city", PHONE)
    supervisor.goto("/supervision/evaluation/")
    supervisor.click("#plan-campaign")
    supervisor.wait_for_selector("#campaign-form")
    assert width(supervisor, "evaluation-plan-390") <= PHONE
    supervisor.fill("#id_title", "2026年度行政处罚案卷评查")
    supervisor.fill("#id_period_start", "2026-01-01")
    supervisor.fill("#id_period_end", "2026-10-31")
    supervisor.check(f"input[name=organs][value='{organ_a.pk}']")
    supervisor.check(f"input[name=organs][value='{organ_b.pk}']")
    supervisor.select_option("#id_mode", "size")
    supervisor.fill("#id_amount", "1")
    supervisor.click("#campaign-form button.primary")
    supervisor.wait_for_selector("#publish-form")
    campaign = Campaign.objects.get()
    supervisor.click("#publish-form button.primary")
    supervisor.wait_for_selector("#draw-form")
    assert len(supervisor.inner_text("#roster-list code.roster-hash").strip()) == 64
    supervisor.fill("#id_beacon_value", "福彩3D 2026318期 5 0 8")
    supervisor.fill("#id_beacon_reference", "中国福利彩票开奖公告")
    supervisor.fill("#id_beacon_on", today.isoformat())
    supervisor.click("#draw-form button.primary")
    supervisor.wait_for_selector("#campaign-seed")
    assert width(supervisor, "evaluation-drawn-390") <= PHONE
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAWN
    drawn_a = DrawnFile.objects.get(roster__campaign=campaign, roster__organ=organ_a)
    row = f"#drawn-list tr[data-file='{drawn_a.file_id}']"
    supervisor.select_option(f"{row} select[name=evaluator]", str(officer_b.pk))
    supervisor.click(f"{row} .assign-form button")
    supervisor.wait_for_selector(f"{row} .evaluator")

    evaluator = signed_in("officer_b", PHONE)
    evaluator.goto("/supervision/evaluation/")
    evaluator.click(f"#assigned-files a:has-text('{drawn_a.file_id}')")
    evaluator.wait_for_selector("#score-form")
    assert "APL-61-service" in evaluator.inner_text("#score-items tr[data-item='S4'] .prefill")
    assert evaluator.input_value("#score-items tr[data-item='S4'] input[type=number]") == "1"
    assert width(evaluator, "evaluation-score-390") <= PHONE
    evaluator.click("#score-form button.primary")
    evaluator.wait_for_selector("#file-total")
    assert FileScore.objects.get(drawn=drawn_a).total == 97

    supervisor.goto(f"/supervision/evaluation/{campaign.pk}/")
    supervisor.select_option("#rectify-form select[name=organ]", str(organ_a.pk))
    supervisor.fill("#rectify-form textarea[name=findings]", "决定书送达超过法定期限。")
    supervisor.fill("#rectify-form textarea[name=rectification]", "完善送达流程，逐案核查。")
    supervisor.fill(
        "#rectify-form input[name=deadline]", (today + dt.timedelta(days=30)).isoformat()
    )
    supervisor.click("#rectify-form button")
    supervisor.wait_for_selector("#rectifications a")
    notice = Rectification.objects.get().notice

    head = signed_in("head_a", PHONE)
    head.goto(f"/supervision/evaluation/{campaign.pk}/")
    head.click(f"#rectifications a:has-text('{notice.number}')")
    head.wait_for_selector("#reply-form")
    head.fill("#id_text", "已完善送达流程并逐案核查。")
    head.click("#reply-form button.primary")
    head.wait_for_selector("#reply-1")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REPLIED

    supervisor.goto(f"/supervision/evaluation/{campaign.pk}/")
    supervisor.click("#results-form button.primary")
    supervisor.wait_for_selector(".messages")

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE, "height": 844}
    )
    public = context.new_page()
    public.goto(f"/evaluation/{campaign.pk}/")
    assert organ_a.name in public.inner_text("#public-results")
    assert "97" in public.inner_text("#public-results")
    assert campaign.seed in public.inner_text("#public-seed")
    assert "决定书" not in public.inner_text("#public-drawn")
    assert width(public, "evaluation-public-390") <= PHONE
    context.close()

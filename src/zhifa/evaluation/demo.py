"""The demo's case-file evaluation: the platform's example scoring sheet, and one
campaign of the demo supervisor over the organs of the region, for the year up to the
day before the demo's today (the case files closed in it), two files per organ,
published and drawn on the demo's today from a value marked as a demonstration (not a
real lottery result). Idempotent: once a campaign exists, nothing more."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.records.services import create_checkpoints

from . import campaigns
from .campaigns import OrganSample
from .models import Campaign
from .sheets import ensure_default_sheet

SAMPLE = 2
DEMO_VALUE = "演示数据 demo value（非真实开奖结果）"


def load(out: TextIO) -> None:
    sheet = ensure_default_sheet()
    supervisor = User.objects.filter(
        username="supervisor", role=Role.SUPERVISOR, is_active=True
    ).first()
    if supervisor is None or not campaigns.may_plan(supervisor):
        out.write("demo: no evaluation campaign (no demo supervisor with a justice bureau)\n")
        return
    if Campaign.objects.exists():
        out.write("demo: 0 evaluation campaign(s)\n")
        load_grades(out)
        return
    today = timezone.localdate()
    organs = list(campaigns.plannable_organs(supervisor))
    if not organs:
        out.write("demo: no evaluation campaign (no organ in the region)\n")
        return
    end = today - dt.timedelta(days=1)
    campaign = campaigns.plan_campaign(
        supervisor,
        title=f"{end.year}年度行政处罚案卷评查（演示）",
        sheet=sheet,
        period_start=end - dt.timedelta(days=364),
        period_end=end,
        samples=[OrganSample(o, size=SAMPLE) for o in organs],
        today=today,
    )
    campaigns.publish_campaign(supervisor, campaign, today=today)
    campaigns.draw_campaign(
        supervisor,
        campaign,
        beacon_value=f"{DEMO_VALUE} {today.isoformat()}",
        beacon_reference="演示数据，正式评查请使用事先约定的公开来源（如彩票开奖公告）",
        beacon_on=today,
        today=today,
    )
    scored = load_scores(supervisor, campaign)
    create_checkpoints()
    from zhifa.accountability.models import Ground, Matter

    opened = Matter.objects.filter(ground=Ground.EVALUATION).count()
    out.write(
        f"demo: 1 evaluation campaign ({campaign.number}), {scored} file(s) scored, "
        f"{opened} accountability matter(s) opened by a score of 0\n"
    )
    load_grades(out)


#: The veto item the demo's second scored file fails (主要证据不足): its score is 0, which
#: opens the case's accountability matter (issue #18 item 5) in the same transaction.
DEMO_VETO = "V5"


def load_scores(supervisor: User, campaign: Campaign) -> int:
    """Two drawn files scored by the demo supervisor (an evaluator from outside the
    evaluated organs): the first as the engine pre-filled it, the second with a veto
    item failed and the evaluator's note, so that a supervisor sees a scored file, a
    file scored 0 and the accountability matter it opened; the rest stay to score."""
    from .models import DrawnFile
    from .scoring import assign, prefill, score_file

    drawn = list(
        DrawnFile.objects.filter(roster__campaign=campaign, case__isnull=False).order_by(
            "roster__organ__name", "rank"
        )[:2]
    )
    for index, file in enumerate(drawn):
        assign(supervisor, file, supervisor)
        faults: dict[int, int] = {}
        notes: dict[int, str] = {}
        if index == 1:
            veto = next(p.item for p in prefill(file) if p.item.code == DEMO_VETO)
            faults[veto.pk] = 1
            notes[veto.pk] = "演示数据：违法所得的认定仅有当事人陈述，无其他证据印证。"
        score_file(supervisor, file, faults=faults, notes=notes)
    return len(drawn)


#: The demo officer graded 不合格 two years running (flagged in the registry).
FLAGGED = "李娜"


def load_grades(out: TextIO) -> None:
    """The annual evaluation (JL-evaluation) of the two years before the demo's today:
    the region's organs graded 合格 by the demo supervisor, the demo organ's officers by
    its head — 李娜 不合格 both years, so flagged in the registry — and the later year
    published. Idempotent: once a grade exists, nothing more."""
    from zhifa.registry.models import Officer

    from . import grading
    from .models import AnnualGrade, Grade

    if AnnualGrade.objects.exists():
        out.write("demo: 0 annual evaluation grade(s)\n")
        return
    supervisor = User.objects.filter(username="supervisor", is_active=True).first()
    head = User.objects.filter(username="head", role=Role.ORGAN_HEAD, is_active=True).first()
    if supervisor is None or head is None or head.organ_id is None:
        out.write("demo: no annual evaluation (no demo supervisor or head)\n")
        return
    today = timezone.localdate()
    last = today.year - 1
    officers = list(grading.officers_of(grading.visible_organs(head)))
    made = 0
    for year in (last - 1, last):
        for organ in grading.visible_organs(supervisor):
            grading.record_grade(
                supervisor,
                year=year,
                organ=organ,
                grade=Grade.PASS,
                assessment="演示数据：执法总体规范，各项指标未见明显问题。",
                today=today,
            )
            made += 1
        for officer in officers:
            fail = officer.name == FLAGGED
            grading.record_grade(
                head,
                year=year,
                officer=officer,
                grade=Grade.FAIL if fail else Grade.PASS,
                assessment="演示数据：案卷评查发现多处程序问题，培训学时不足。"
                if fail
                else "演示数据：依法履职，未见问题。",
                today=today,
            )
            made += 1
    grading.publish_year(supervisor, last, today)
    flagged = Officer.objects.filter(flags__isnull=False).distinct().count()
    create_checkpoints()
    out.write(f"demo: {made} annual evaluation grade(s), {flagged} officer(s) flagged\n")

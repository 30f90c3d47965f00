"""The demo's supervision notice (SUP-notice): the demo supervisor issues one 执法监督通知书
to 嘉兴市市场监督管理局 (the organ of the demo head) about its oldest open case, through
the service, with a rectification deadline 15 working days after the demo's today (the
engine's calendar; the supervisor's choice, not a period of law); it stays unanswered, so
the head has a notice to reply to and the supervisor one to watch. Idempotent: an organ
with a notice gets no other."""

from __future__ import annotations

from typing import TextIO

from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import ENDED_STATUSES, Case
from zhifa.records.services import create_checkpoints
from zhifa.rules.calendar_db import database_calendar

from . import notices
from .models import Notice

#: The working days the demo supervisor gives the organ (a choice, not a period of law).
DEMO_WORKING_DAYS = 15
ORGAN_NAME = "嘉兴市市场监督管理局"


def load(out: TextIO) -> None:
    supervisor = User.objects.filter(
        username="supervisor", role=Role.SUPERVISOR, is_active=True
    ).first()
    case = (
        Case.objects.exclude(status__in=ENDED_STATUSES)
        .filter(organ__name=ORGAN_NAME)
        .select_related("organ")
        .order_by("created_at", "pk")
        .first()
    )
    if supervisor is None or case is None:
        out.write("demo: no supervision notice (no demo supervisor or open case)\n")
        return
    if Notice.objects.filter(organ=case.organ).exists():
        out.write("demo: 0 supervision notice(s)\n")
        return
    today = timezone.localdate()
    deadline = database_calendar().add_working_days(today, DEMO_WORKING_DAYS).due
    notices.issue_notice(
        actor=supervisor,
        organ=case.organ,
        kind="notice",
        cases=[case],
        pattern="部分案件现场检查笔录未载明执法人员出示执法证件的情况。",
        findings="经抽查案卷，现场检查笔录未载明执法人员出示执法证件的情况，"
        "不符合《中华人民共和国行政处罚法》第五十五条的规定。",
        rectification="一、对所涉案件逐案核查，依法补正；\n"
        "二、完善现场检查笔录格式，载明出示执法证件的情况；\n"
        "三、组织执法人员开展程序规范培训。",
        deadline=deadline,
    )
    create_checkpoints()
    out.write("demo: 1 supervision notice(s)\n")

"""The demo's supervision notice (SUP-notice): one, issued by the demo supervisor to the
demo head's organ on the demo's today with a deadline 15 working days later (the
engine's calendar), unanswered; once however often the demo runs; the records verify."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.rules.engine.workdays import WorkCalendar
from zhifa.supervision import notices
from zhifa.supervision.models import Notice, NoticeStatus
from zhifa.supervision.notice_demo import DEMO_WORKING_DAYS

pytestmark = pytest.mark.django_db


def test_the_demo_issues_one_unanswered_notice(frozen_clock: object, today: dt.date) -> None:
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    notice = Notice.objects.get()
    assert notice.issued_by.username == "supervisor"
    assert notice.organ.name == "嘉兴市市场监督管理局"
    assert notice.status == NoticeStatus.AWAITING_REPLY and not notice.replies.exists()
    assert notice.issued_on == today
    assert notice.deadline == WorkCalendar().add_working_days(today, DEMO_WORKING_DAYS).due
    assert notice.cases.count() == 1
    head = User.objects.get(username="head")
    assert list(notices.visible(head)) == [notice]
    assert notices.may_reply(head, notice)
    code, text = run_verify()
    assert code == 0, text

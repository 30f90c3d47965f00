"""A penalty decision is scheduled for publication per DISC-scope, published by the
worker's task on the right working day (the case's ``disclosed`` step meets
GB118-disclose-decision), withdrawn within the APL-48 period when revoked, taken down at
the end of its period or after credit repair — each change with its record entry."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import D, Walker
from zhifa.core.testing import make_user
from zhifa.disclosure import services, tasks
from zhifa.disclosure.models import EndKind, Publication, PublicationStatus
from zhifa.records.models import Entry
from zhifa.rules.calendar_db import database_calendar

TZ = ZoneInfo("Asia/Shanghai")


def at(time_machine: Any, day: str) -> None:
    time_machine.move_to(dt.datetime.fromisoformat(day + "T10:00").replace(tzinfo=TZ), tick=True)


def deadline(case: Any, rule: str, today: dt.date) -> Any:
    found = [d for d in case_services.deadlines(case, today) if d.rule == rule]
    return found[-1] if found else None


@pytest.fixture
def decided(walk: Walker) -> Publication:
    walk.until_review()
    walk.decide()  # Friday 2026-03-27
    return Publication.objects.get(case=walk.case)


def test_a_decision_schedules_its_publication_due_after_the_qingming_holiday(
    decided: Publication,
) -> None:
    # 7 working days after Friday 27 March 2026: 30, 31 March, 1-3 April, then the
    # Qingming holiday (4-6 April), 7 and 8 April.
    assert decided.status == PublicationStatus.SCHEDULED
    assert decided.due_on == D("2026-04-08")
    assert decided.due_unscheduled_years == []
    entry = Entry.objects.get(action=services.SCHEDULE)
    assert entry.object_id == str(decided.pk) and entry.actor_label == "head_a"


def test_the_worker_publishes_on_the_day_and_the_clock_is_met(
    decided: Publication, walk: Walker, time_machine: Any
) -> None:
    at(time_machine, "2026-04-08")
    result = tasks.sweep_publications.call()
    assert result["published"] == 1
    publication = Publication.objects.get(pk=decided.pk)
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.published_on == D("2026-04-08")
    step = walk.case.steps.get(step="disclosed")
    assert step.on == D("2026-04-08")
    gb118 = deadline(walk.case, "GB118-disclose-decision", D("2026-04-08"))
    assert gb118.status(D("2026-04-08")) == "met" and gb118.due.due == D("2026-04-08")
    # Idempotent: running the task again changes nothing.
    entries = Entry.objects.count()
    assert tasks.publish_publication.call(decided.pk)["status"] == "published"
    assert tasks.sweep_publications.call()["published"] == 0
    assert Entry.objects.count() == entries
    assert walk.case.steps.filter(step="disclosed").count() == 1
    assert Entry.objects.filter(action=services.PUBLISH).count() == 1
    assert Entry.objects.filter(action="case.disclosed").count() == 1


def test_a_publication_awaits_the_heads_approval_where_the_organ_wants_it(
    walk: Walker, time_machine: Any
) -> None:
    p = walk.p
    services.save_settings(p.head_user.organ, actor=p.head_user, require_approval=True)
    walk.until_review()
    walk.decide()
    publication = Publication.objects.get(case=walk.case)
    assert publication.status == PublicationStatus.AWAITING_APPROVAL
    at(time_machine, "2026-03-30")
    assert tasks.sweep_publications.call()["published"] == 0
    with pytest.raises(PermissionDenied):
        services.approve(publication, actor=p.officer_user, on=D("2026-03-30"))
    services.approve(publication, actor=p.head_user, on=D("2026-03-30"))
    assert tasks.publish_publication.call(publication.pk)["status"] == "published"
    step = walk.case.steps.get(step="disclosed")
    assert step.actor == p.head_user and step.on == D("2026-03-30")


def test_a_revoked_decision_is_withdrawn_within_three_working_days_with_its_reason(
    decided: Publication, walk: Walker, time_machine: Any
) -> None:
    at(time_machine, "2026-03-30")
    tasks.sweep_publications.call()
    at(time_machine, "2026-04-03")
    walk(
        case_services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-03"),
        how="revoked",
        reason="复议机关撤销原处罚决定",
    )
    publication = Publication.objects.get(pk=decided.pk)
    # 3 working days after Friday 3 April 2026: 7, 8, 9 April (Qingming 4-6 April).
    assert publication.withdraw_due_on == D("2026-04-09")
    assert publication.status == PublicationStatus.PUBLISHED
    at(time_machine, "2026-04-07")
    assert tasks.withdraw_publication.call(decided.pk)["status"] == "withdrawn"
    publication.refresh_from_db()
    assert publication.ended_on == D("2026-04-07")
    assert publication.end_reason == "该行政处罚决定已被依法撤销：复议机关撤销原处罚决定"
    withdrawn = walk.case.steps.get(step="disclosure_withdrawn")
    assert withdrawn.data == {"reason_published": True}
    apl48 = deadline(walk.case, "APL-48-withdraw", D("2026-04-07"))
    assert apl48.status(D("2026-04-07")) == "met"
    # The public page says it was withdrawn and why; the summary is gone from it.
    page = Client().get(reverse("disclosure:public_decision", args=[decided.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "复议机关撤销原处罚决定" in text
    assert "罚款人民币150,000元" not in text
    # What was published stays in the record.
    published = Entry.objects.get(action=services.PUBLISH)
    assert "罚款人民币150,000元" in published.payload
    assert Entry.objects.filter(action=services.WITHDRAW).count() == 1


def test_the_period_end_and_credit_repair_take_it_down(
    decided: Publication, walk: Walker, time_machine: Any
) -> None:
    head = walk.p.head_user
    with pytest.raises(ValidationError) as bad:
        services.save_settings(head.organ, actor=head, ordinary_months=13)
    assert "ordinary_months" in bad.value.message_dict
    services.save_settings(head.organ, actor=head, ordinary_months=3)
    at(time_machine, "2026-04-01")
    tasks.sweep_publications.call()
    publication = Publication.objects.get(pk=decided.pk)
    assert publication.takedown_on == D("2026-07-01")
    at(time_machine, "2026-06-30")
    assert tasks.sweep_publications.call()["taken_down"] == 0
    at(time_machine, "2026-07-01")
    assert tasks.sweep_publications.call()["taken_down"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.TAKEN_DOWN
    assert publication.end_kind == EndKind.PERIOD_ENDED and "届满" in publication.end_reason


def test_credit_repair_is_the_heads_with_a_reason(
    decided: Publication, walk: Walker, time_machine: Any
) -> None:
    at(time_machine, "2026-04-01")
    tasks.sweep_publications.call()
    publication = Publication.objects.get(pk=decided.pk)
    with pytest.raises(PermissionDenied):
        services.take_down(
            publication,
            on=D("2026-05-01"),
            kind="credit_repair",
            reason="x",
            actor=walk.p.officer_user,
        )
    with pytest.raises(ValidationError):
        services.take_down(
            publication,
            on=D("2026-05-01"),
            kind="credit_repair",
            reason=" ",
            actor=walk.p.head_user,
        )
    done = services.take_down(
        publication,
        on=D("2026-05-01"),
        kind="credit_repair",
        reason="信用修复申请已获批准",
        actor=walk.p.head_user,
    )
    assert done.status == PublicationStatus.TAKEN_DOWN and "信用修复" in done.end_reason


def test_another_organs_staff_see_and_approve_nothing(
    walk: Walker, organ_b: Any, client: Client
) -> None:
    p = walk.p
    services.save_settings(p.head_user.organ, actor=p.head_user, require_approval=True)
    walk.until_review()
    walk.decide()
    publication = Publication.objects.get(case=walk.case)
    other_head = make_user("head_b2", Role.ORGAN_HEAD, organ=organ_b)
    with pytest.raises(PermissionDenied):
        services.approve(publication, actor=other_head, on=D("2026-03-30"))
    client.force_login(other_head)
    assert client.get(reverse("disclosure:organ_detail", args=[publication.pk])).status_code == 404
    assert client.post(reverse("disclosure:approve", args=[publication.pk])).status_code == 404
    listing = client.get(reverse("disclosure:organ_list")).content.decode()
    assert publication.decision.document_number not in listing
    # Anonymous: nothing unpublished.
    anonymous = Client()
    url = reverse("disclosure:public_decision", args=[publication.pk])
    assert anonymous.get(url).status_code == 404
    assert (
        publication.decision.document_number
        not in anonymous.get(reverse("disclosure:public_list")).content.decode()
    )


def test_a_year_without_schedule_says_so(walk: Walker) -> None:
    calendar = database_calendar()
    assert calendar.has_schedule(2026)
    # The due date of a decision in a year the calendar lacks carries its years.
    from zhifa.rules.engine.parameters import Parameters
    from zhifa.rules.engine.publication import Scope, publication_due

    due = publication_due(calendar, D("2031-12-29"), Scope(), Parameters())
    assert due.unscheduled_years and 2031 in due.unscheduled_years

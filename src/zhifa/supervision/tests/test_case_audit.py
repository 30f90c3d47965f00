"""One click (issue #17, item 8): "audit this case" on the case page runs the engine on
the case's file now, shows the findings and deadlines with rule IDs and citations, and
keeps them as the sweep does (``cases.AuditItem``); POST with CSRF, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from zhifa.accounts.models import Role, User
from zhifa.cases.models import AuditItem, AuditItemKind, Case
from zhifa.cases.queries import case_file
from zhifa.cases.tests.conftest import People
from zhifa.core.testing import FROZEN_NOW, client_for, make_user
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import RULES, audit
from zhifa.supervision.tests.test_warnings import opened_today

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return reverse("supervision:case_audit", kwargs={"pk": case.pk})


@pytest.fixture
def case(organ_a: EnforcementSubject, power_item: Any, people: People) -> Case:
    """Organ A's case opened on the frozen day: REG-decision due 2026-12-15."""
    return opened_today(organ_a, power_item, people)


def test_the_button_is_on_the_case_page_for_the_supervisor_and_the_head_not_the_officer(
    case: Case, supervisor_city: User, head_a: User, reviewer_a: User, officer_a: User
) -> None:
    detail = reverse("cases:detail", kwargs={"pk": case.pk})
    for user in (supervisor_city, head_a, reviewer_a):
        page = client_for(user).get(detail)
        assert page.status_code == 200
        assert f'action="{url(case)}"' in page.content.decode(), user
    assert f'action="{url(case)}"' not in client_for(officer_a).get(detail).content.decode()


def test_audit_now_shows_the_overdue_deadline_and_keeps_the_rows(
    case: Case, supervisor_city: User, time_machine: TimeMachineFixture
) -> None:
    # A stale row the last audit left: the click replaces the case's rows.
    AuditItem.objects.create(case=case, kind=AuditItemKind.FINDING, rule="STALE", citation="x")
    # Four weeks on, nobody ran the sweep: the registration decision is overdue.
    time_machine.move_to(FROZEN_NOW + dt.timedelta(days=28), tick=False)
    today = dt.date(2026, 12, 22)
    response = client_for(supervisor_city).post(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "REG-decision" in html and RULES["REG-decision"].citation in html
    assert response.context["result"]["overdue"] == 1
    assert response.context["as_of"] == today
    # The rows are the engine's findings and pending deadlines as of today.
    fresh = audit(case_file(Case.objects.get(pk=case.pk), today), today, database_calendar())
    kept = AuditItem.objects.filter(case=case)
    assert "STALE" not in {i.rule for i in kept}
    assert sorted((i.rule, i.due) for i in kept if i.kind == "deadline") == sorted(
        (d.rule, d.due.due) for d in fresh.deadlines if d.done is None
    )
    assert sorted(i.rule for i in kept if i.kind == "finding") == sorted(
        f.rule for f in fresh.findings
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.deadline_checked_on == today
    assert (stored.next_deadline, stored.next_deadline_rule) == (
        dt.date(2026, 12, 15),
        "REG-decision",
    )
    # The supervisor's warnings now list it red.
    warnings = client_for(supervisor_city).get(reverse("supervision:warning_list"))
    assert [(r["item"].level, r["item"].rule) for r in warnings.context["rows"]] == [
        ("red", "REG-decision")
    ]


def test_the_organs_head_and_reviewer_may_audit_their_case(
    case: Case, head_a: User, reviewer_a: User
) -> None:
    for user in (head_a, reviewer_a):
        assert client_for(user).post(url(case)).status_code == 200


def test_scope_other_regions_and_organs_get_404_and_officers_403(
    case: Case,
    supervisor_county_c: User,
    organ_b: EnforcementSubject,
    officer_a: User,
) -> None:
    before = list(AuditItem.objects.values_list("pk", flat=True))
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b)
    assert client_for(supervisor_county_c).post(url(case)).status_code == 404
    assert client_for(head_b).post(url(case)).status_code == 404
    assert client_for(officer_a).post(url(case)).status_code == 403
    missing = reverse("supervision:case_audit", kwargs={"pk": case.pk + 1000})
    assert client_for(supervisor_county_c).post(missing).status_code == 404
    assert list(AuditItem.objects.values_list("pk", flat=True)) == before


def test_post_only_and_csrf(case: Case, supervisor_city: User) -> None:
    assert client_for(supervisor_city).get(url(case)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(supervisor_city)
    assert strict.post(url(case)).status_code == 403
    page = strict.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    token = page.cookies["csrftoken"].value
    assert strict.post(url(case), {"csrfmiddlewaretoken": token}).status_code == 200


def test_anonymous_is_sent_to_sign_in(case: Case) -> None:
    response = Client().post(url(case))
    assert response.status_code == 302 and "login" in response["Location"]

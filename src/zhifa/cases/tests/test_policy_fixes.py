"""Defects found in the issue #12 workflow code by the attack and the user walk: each
test failed before its fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.catalogue.models import PowerItem
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject

from .. import policy, queries, services
from ..models import Case, Transfer
from .conftest import FINE, D, People, Walker, counts, make_bands, summary_case_noticed
from .test_ui_refusals import DECISION
from .test_ui_support import post_step

pytestmark = pytest.mark.django_db

SUMMARY_PENALTIES = [{"type": "warning"}, {"type": "fine", "amount": 1000}]


def _summary_case_noticed(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People
) -> Walker:
    """A summary case investigated by o1 and o2 whose prior notice is served: the
    on-the-spot decision is next."""
    return summary_case_noticed(organ_a, power_item, people, SUMMARY_PENALTIES)


def test_a_summary_decision_is_offered_only_to_who_may_record_it(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People
) -> None:
    """The page offered the on-the-spot decision of a summary case to any officer of the
    organ; the service refuses it to an officer who is not of the case."""
    walk = _summary_case_noticed(organ_a, power_item, people)
    host_user = people.host.user
    assert host_user is not None
    case = Case.objects.get(pk=walk.case.pk)
    assert "decision" not in policy.next_steps(case, host_user)
    assert "decision" in policy.next_steps(case, people.officer_user)  # o1, of the case
    body = client_for(host_user).get(f"/api/v1/cases/{case.pk}").json()
    assert "decision" not in body["next_steps"], body["next_steps"]
    before = counts()
    with pytest.raises((PermissionDenied, ValidationError)):
        walk(
            services.issue_decision,
            actor=host_user,
            on=D("2026-03-02"),
            approved_by=people.host,
            penalties=SUMMARY_PENALTIES,
        )
    assert counts() == before
    # The officer of the case records it.
    walk(
        services.issue_decision,
        actor=people.officer_user,
        on=D("2026-03-02"),
        approved_by=people.o1,
        penalties=SUMMARY_PENALTIES,
    )
    assert Case.objects.get(pk=case.pk).steps.filter(step="decision").exists()


def test_a_transfer_reply_cannot_be_dated_after_today(walk: Walker, today: dt.date) -> None:
    """No act is dated after today; the reply to a transfer letter was."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    transfer: Transfer = walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        kind="judicial",
        reason="涉嫌生产、销售不符合安全标准的食品罪",
        approved_by=walk.p.head,
        receiver_name="嘉兴市公安局",
    )
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.record_transfer_result(
            transfer,
            actor=walk.p.officer_user,
            on=today + dt.timedelta(days=1),
            result="accepted",
        )
    assert "on" in exc.value.message_dict
    # The page names the field.
    page = client_for(walk.p.officer_user).post(
        reverse("cases:transfer_reply", args=[transfer.pk]),
        {"on": (today + dt.timedelta(days=1)).isoformat(), "result": "accepted", "note": ""},
    )
    assert page.status_code == 400
    assert list(page.context["form"].errors) == ["on"]
    assert counts() == before


@pytest.mark.parametrize("expected", [True, "2", 2.0, -1, 10**30, None])
def test_expected_steps_bad_values_name_the_field(walk: Walker, expected: Any) -> None:
    """``true`` and ``"2"`` were taken for 1 and 2 (pydantic's lax mode)."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    assert walk.case.steps.count() == 2
    body: dict[str, Any] = {"step": "prior_notice", "on": "2026-03-16", "intended": FINE}
    if expected is not None:
        body["expected_steps"] = expected
    before = counts()
    r = client_for(walk.p.officer_user).post(
        f"/api/v1/cases/{walk.case.pk}/steps", body, content_type="application/json"
    )
    assert r.status_code == 400, (expected, r.status_code, r.content[:300])
    paths = [e["path"] for e in r.json()["errors"]]
    assert paths and all(p.endswith("expected_steps") for p in paths), paths
    assert counts() == before


def test_a_step_recorded_with_warnings_says_so_after_the_redirect(
    walk: Walker, people: People, power_item: PowerItem, supervisor_city: Any
) -> None:
    """A fine outside the band without a reason is saved with DISC-benchmark; the
    message after the redirect was only the green success."""
    make_bands(power_item, supervisor_city)
    walk.until_review()
    head = client_for(people.head_user)
    data = {**DECISION, "penalty_amount_1": "60000", "circumstance": "general"}
    posted = post_step(head, walk.case, "decision", **data)
    assert posted.status_code == 302
    response = head.get(posted["Location"])
    assert response.status_code == 200
    flashed = list(response.context["messages"])
    assert len(flashed) == 1, flashed
    assert flashed[0].level == messages.WARNING
    text = str(flashed[0])
    assert "DISC-benchmark" in text and "但有以下警示" in text, text
    assert "DISC-benchmark" in response.content.decode()


def test_the_case_pages_show_a_registered_case_by_its_case_number(walk: Walker) -> None:
    """The step and transfer pages (title, breadcrumbs, the transfer's facts) showed
    the source number (案源号) where the list shows the case number (立案号)."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    case = Case.objects.get(pk=walk.case.pk)
    assert case.registration_number and case.registration_number != case.case_id

    def shown(html: str) -> None:
        assert case.registration_number in html and case.case_id not in html

    officer, head = client_for(walk.p.officer_user), client_for(walk.p.head_user)
    step = officer.get(reverse("cases:step", args=[case.pk, "prior_notice"]))
    assert step.status_code == 200
    shown(step.content.decode())
    form = head.get(reverse("cases:transfer", args=[case.pk]))
    assert form.status_code == 200
    shown(form.content.decode())
    transfer: Transfer = walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        kind="judicial",
        reason="涉嫌生产、销售不符合安全标准的食品罪",
        approved_by=walk.p.head,
        receiver_name="嘉兴市公安局",
    )
    reply = officer.get(reverse("cases:transfer_reply", args=[transfer.pk]))
    assert reply.status_code == 200
    shown(reply.content.decode())
    assert str(case).startswith(case.registration_number)


def test_the_approvals_read_of_summary_cases_stays_flat(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People
) -> None:
    """Whether the head may decide a summary case reads its officers: prefetched, not a
    query per case."""

    def read() -> int:
        with CaptureQueriesContext(connection) as captured:
            queries.approvals(people.head_user)
        return len(captured)

    _summary_case_noticed(organ_a, power_item, people)
    one = read()
    _summary_case_noticed(organ_a, power_item, people)
    _summary_case_noticed(organ_a, power_item, people)
    assert read() == one

"""On the demo's cases, the payment facts the case page and the API show agree with
what the rules report: the late fee is APL-72-late-fee's amount, the payment deadline
and the day the fine was paid are APL-67-payment's due date and ``done``."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhifa.cases import queries, services
from zhifa.cases.casefile import case_file
from zhifa.cases.models import Case
from zhifa.core.testing import client_for
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import payment_facts


@pytest.mark.django_db
def test_the_demo_execution_cases_agree_with_the_rules(today: dt.date) -> None:
    call_command("demo", stdout=io.StringIO())
    calendar = database_calendar()
    statuses: dict[str, int] = {}
    for case in Case.objects.select_related("organ__region", "power_item").order_by("pk"):
        audited = services.case_audit(case, today, calendar)
        found = queries.case_penalties(case, today, calendar, audited)
        if found is None:
            assert audited.late_fee is None
            continue
        facts = found.facts
        statuses[found.status] = statuses.get(found.status, 0) + 1
        # The engine's function on the case file alone gives the same facts.
        assert payment_facts(case_file(case, today), today, calendar) == facts
        if audited.late_fee is None:
            assert facts.late_fee is None
        else:
            assert facts.late_fee == Decimal(str(audited.late_fee)).quantize(Decimal("0.01"))
        due = [d for d in audited.deadlines if d.rule == "APL-67-payment"]
        assert [facts.deadline] == [d.due.due for d in due] or (not due and not facts.deadline)
        assert [facts.paid_in_full_on] == [d.done for d in due] or not due
        if found.status == "overdue":
            assert [d.status(today) for d in due] == ["overdue"]
            assert facts.late_fee and facts.outstanding == facts.fine - facts.paid + facts.late_fee
            # The API gives the page's numbers.
            user = case.opened_by
            api = client_for(user).get(f"/api/v1/cases/{case.pk}").json()["penalties"]
            assert Decimal(api["late_fee"]) == facts.late_fee
            assert Decimal(api["outstanding"]) == facts.outstanding
    # The demo has fines open, overdue (with a late fee) and paid.
    assert {"open", "overdue", "paid", "not_served"} <= set(statuses), statuses

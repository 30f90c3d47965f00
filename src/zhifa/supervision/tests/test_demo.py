"""The demo gives the heads and the supervisor an interference record to acknowledge,
once per organ however often it runs; the records verify."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from zhifa.accounts.models import Role, User
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.supervision import policy
from zhifa.supervision.models import Interference

pytestmark = pytest.mark.django_db


def test_the_demo_records_one_per_organ(frozen_clock: object) -> None:
    call_command("demo", stdout=StringIO())
    organs = list(Interference.objects.values_list("organ_id", flat=True))
    assert organs and len(organs) == len(set(organs))
    call_command("demo", stdout=StringIO())
    assert Interference.objects.count() == len(organs)
    supervisor = User.objects.filter(role=Role.SUPERVISOR).first()
    assert policy.visible(supervisor).count() == len(organs)
    for head in User.objects.filter(role=Role.ORGAN_HEAD, organ_id__in=organs):
        assert policy.visible(head).count() == 1
    code, text = run_verify()
    assert code == 0, text


def test_the_demo_has_a_major_decision_to_file(frozen_clock: object) -> None:
    """The demo case decided after a hearing is a major decision (the organ's review
    catalogue names those): the supervisor sees its catalogue not yet filed, due 30
    days after the decision (NA-major-filing, the engine's count), and the head files it
    from the filings page."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from zhifa.core.testing import client_for
    from zhifa.supervision import filings

    call_command("demo", stdout=StringIO())
    supervisor = User.objects.get(username="supervisor")
    today = timezone.localdate()
    (row,) = filings.major_rows(supervisor, today)
    assert row.case.party_name == "朱海峰" and row.filed_on is None
    assert row.status == "open" and row.decided_on <= today < row.due
    # 30 calendar days after the decision, moved to the next working day
    assert dt.timedelta(days=30) <= row.due - row.decided_on <= dt.timedelta(days=40)
    page = client_for(supervisor).get(reverse("supervision:filing_list"))
    assert page.status_code == 200 and row.case.registration_number in page.content.decode()
    head = User.objects.get(username="head")
    filing = filings.file_major_decision(row.case, actor=head)
    assert filing.due_on == row.due and filing.catalogue
    (row,) = filings.major_rows(supervisor, today)
    assert row.status == "filed" and row.filed_on == today

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

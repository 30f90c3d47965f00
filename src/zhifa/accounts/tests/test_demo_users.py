"""The demo's users are made through the recording service (#13 item 2, F3): an
account made a superuser directly in the database fails ``records verify``."""

from __future__ import annotations

import pytest

from zhifa.accounts.demo import save_user
from zhifa.accounts.models import Role
from zhifa.core.testing import make_user
from zhifa.records.models import Entry
from zhifa.records.tests.attacker import raw
from zhifa.records.tests.test_tamper_suite import run_verify

pytestmark = pytest.mark.django_db


def test_a_demo_user_made_superuser_directly_fails(organ_a, regions):
    make_user("supervisor", Role.SUPERVISOR, region=organ_a.region)
    user = save_user("officer", "张伟", Role.OFFICER, organ_a, None)
    assert Entry.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    code, text = run_verify()
    assert code == 0, text
    raw("UPDATE accounts_user SET is_superuser=%s, is_staff=%s WHERE id=%s", [True, True, user.pk])
    code, text = run_verify()
    assert code == 1, text
    assert f"user officer (ID {user.pk}): is_superuser differs" in text, text

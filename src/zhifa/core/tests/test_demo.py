from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.accounts.demo import DEMO_PASSWORD
from zhifa.accounts.models import Role, User
from zhifa.registry.models import EnforcementSubject, SubjectType


@pytest.mark.django_db
def test_demo_is_idempotent_and_its_printed_logins_work():
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (User.objects.count(), EnforcementSubject.objects.count())
    call_command("demo", stdout=StringIO())
    assert (User.objects.count(), EnforcementSubject.objects.count()) == counts

    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    # every role signs in in the demo; the party (当事人) acts only through the party app
    staff = User.objects.exclude(role=Role.PARTY)
    assert set(staff.values_list("role", flat=True)) == set(Role.values) - {Role.PARTY}
    assert EnforcementSubject.objects.filter(is_justice_bureau=True).count() == 1
    assert EnforcementSubject.objects.filter(subject_type=SubjectType.ENTRUSTED).count() == 1
    enforcing = EnforcementSubject.objects.filter(subject_type=SubjectType.STATUTORY)
    assert enforcing.exclude(is_justice_bureau=True).count() >= 3
    counties = {o.region.code for o in EnforcementSubject.objects.select_related("region")}
    assert {"330400", "330421", "330424"} <= counties

    # the party's published codes, one per demo case it opens (party app's demo)
    assert "DEM0-CASE-0001" in printed and "DEM0-CASE-0002" in printed
    assert User.objects.filter(role=Role.PARTY).count() == 2
    for user in staff:
        assert user.username in printed
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.username
        assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_demo_refuses_production_settings(settings):
    from django.core.management import CommandError

    settings.ZHIFA_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()

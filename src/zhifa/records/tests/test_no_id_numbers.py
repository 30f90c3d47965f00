"""No entry's payload carries a national ID number: after the demo (officers,
certificates, expiry) and after changing an officer's ID number."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.records.models import Entry
from zhifa.registry import services
from zhifa.registry.demo import demo_id_number
from zhifa.registry.models import Officer


@pytest.mark.django_db
def test_no_payload_contains_an_id_number():
    call_command("demo", stdout=io.StringIO())
    officer = Officer.objects.exclude(id_number="").first()
    actor = User.objects.get(username="supervisor")
    services.save_officer(officer, actor=actor, id_number=demo_id_number("33042119900101888"))
    id_numbers = set(Officer.objects.exclude(id_number="").values_list("id_number", flat=True))
    id_numbers.add(demo_id_number("33042119900101888"))
    assert len(id_numbers) > 5
    payloads = list(Entry.objects.values_list("payload", flat=True))
    assert any('"id_number_changed":true' in p for p in payloads)
    for text in payloads:
        # (an ID number is not part of a longer run of hex digits: an SM3 digest may
        # hold 18 digits in a row)
        assert not re.search(r"(?<![0-9a-fA-F])\d{17}[\dX](?![0-9a-fA-F])", text), text
        assert not any(number in text for number in id_numbers)

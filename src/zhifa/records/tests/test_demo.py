"""The demo loads a case timeline with a photo and a checkpoint, idempotently, and
the demo record verifies."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhifa.records.models import Checkpoint, Entry, Evidence


@pytest.mark.django_db
def test_demo_record_is_idempotent_and_verifies(settings, tmp_path):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    assert Entry.objects.filter(object_id="demo-1").count() == 3
    assert Evidence.objects.count() == 1 and Checkpoint.objects.count() == 1
    assert str(tmp_path) in str(settings.MEDIA_ROOT)
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    assert "3 entries, 1 checkpoint(s), 1 evidence file(s) intact" in out.getvalue()

"""The filer's digest is keyed with ``ZHIFA_DIGEST_KEY`` (not ``SECRET_KEY``), and the ID
of its key is recorded beside it and kept on the row: after a rotation, a filing keyed
with the old key still verifies while the old key is kept in ``ZHIFA_DIGEST_OLD_KEYS``;
once it is dropped, ``records verify`` says which key is missing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.core.services import LEGACY_KEY_ID, digest_key_id
from zhifa.records.models import Entry
from zhifa.records.tests.test_tamper_suite import run_verify

from .conftest import FILER_CONTACT, FILER_NAME, file_report

pytestmark = pytest.mark.django_db

OLD = "old-digest-key-" + "o" * 40
NEW = "new-digest-key-" + "n" * 40


def test_the_key_id_is_recorded_beside_the_digest(units: None, today: Any) -> None:
    with override_settings(ZHIFA_DIGEST_KEY=OLD):
        complaint = file_report().complaint
        expected = services.filer_digest(FILER_NAME, FILER_CONTACT)
    assert complaint.filer_key == digest_key_id(OLD) != LEGACY_KEY_ID
    payload = Entry.objects.get(object_id=str(complaint.pk), action=services.FILE).payload
    assert f'"filer_key":"{digest_key_id(OLD)}"' in payload.replace(" ", "")
    assert expected in payload


def test_a_rotation_keeps_old_filings_verifiable_with_the_old_key_kept(
    units: None, today: Any
) -> None:
    with override_settings(ZHIFA_DIGEST_KEY=OLD):
        old = file_report().complaint
        assert run_verify()[0] == 0
    with override_settings(ZHIFA_DIGEST_KEY=NEW, ZHIFA_DIGEST_OLD_KEYS=[OLD]):
        new = file_report(description="另一家饭店出售过期食品。").complaint
        assert new.filer_key == digest_key_id(NEW) and old.filer_key == digest_key_id(OLD)
        code, text = run_verify()
        assert code == 0, text
        # The old key still catches an edit of the old filing's filer.
        Complaint.objects.filter(pk=old.pk).update(filer_name="别人")
        code, text = run_verify()
        assert code == 1 and "filer_hmac" in text and old.number in text, text
        Complaint.objects.filter(pk=old.pk).update(filer_name=FILER_NAME)
        assert run_verify()[0] == 0
    with override_settings(ZHIFA_DIGEST_KEY=NEW, ZHIFA_DIGEST_OLD_KEYS=[]):
        code, text = run_verify()
        assert code == 1 and old.number in text, text
        assert f"digest key {digest_key_id(OLD)} is not configured" in text, text


def test_rotating_the_secret_key_changes_no_filer_digest(units: None, today: Any) -> None:
    file_report()
    with override_settings(SECRET_KEY="rotated-secret-" + "s" * 50):
        code, text = run_verify()
    assert code == 0, text


def test_the_legacy_key_is_the_old_derivation_from_the_secret_key(settings: Any) -> None:
    """Entries written before this change hold ``filer_hmac`` keyed from ``SECRET_KEY``
    (``"zhifa-complaint-filer:" + SECRET_KEY``) and no ``filer_key``; the migration
    leaves their rows with ``filer_key`` "" (``LEGACY_KEY_ID``), which recomputes it."""
    import hashlib
    import hmac

    from zhifa.records.canonical import canonical_json

    before = hmac.new(
        f"zhifa-complaint-filer:{settings.SECRET_KEY}".encode(),
        canonical_json([FILER_NAME, FILER_CONTACT]).encode(),
        hashlib.sha256,
    ).hexdigest()
    assert services.filer_digest(FILER_NAME, FILER_CONTACT, key_id=LEGACY_KEY_ID) == before
    assert services.filer_digest(FILER_NAME, FILER_CONTACT) != before


def test_the_rows_key_id_is_compared_with_its_entry(units: None, today: Any) -> None:
    complaint = file_report().complaint
    Complaint.objects.filter(pk=complaint.pk).update(filer_key=LEGACY_KEY_ID)
    code, text = run_verify()
    assert code == 1 and complaint.number in text and "filer_" in text, text

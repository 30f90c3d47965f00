"""The record of a filing follows ``policy.visible`` (the complaints declaration's
``visible_to``), not only the organ of the chain, and the filer is recorded as a digest
keyed with the site's digest key that ``records verify`` still checks against the row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from zhifa.accounts.models import Role
from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.registry.models import EnforcementSubject

from .conftest import FILER_CONTACT, FILER_NAME, file_report

pytestmark = pytest.mark.django_db


def _listed(user: Any) -> tuple[str, list[str]]:
    client = client_for(user)
    page = client.get("/records/entries/").content.decode()
    items = client.get("/api/v1/records/entries").json()["items"]
    return page, [i["object_type"] for i in items]


def test_the_receiving_organs_other_staff_do_not_read_the_record(
    units: None, organ_a: EnforcementSubject, reviewer_a: Any, head_a: Any, today: Any
) -> None:
    complaint = file_report().complaint
    assert complaint.organ_id == organ_a.pk
    admin = make_user("admin_a", Role.ADMINISTRATOR, organ=organ_a, full_name="管理员甲")
    timeline = f"/records/timeline/complaints.complaint/{complaint.pk}/"
    api = f"/api/v1/records/objects/complaints.complaint/{complaint.pk}/entries"
    for user in (reviewer_a, admin):
        client = client_for(user)
        assert client.get(timeline).status_code == 404, user.username
        assert client.get(timeline + "export.zip").status_code == 404, user.username
        assert client.get(api).json()["items"] == [], user.username
    page, types = _listed(admin)
    assert timeline not in page and "complaints.complaint" not in types
    # The receiving organ's head handles the filing and reads its record.
    assert client_for(head_a).get(timeline).status_code == 200
    page, types = _listed(head_a)
    assert timeline in page and "complaints.complaint" in types


def test_the_entry_lists_filter_in_one_query_per_type(
    units: None, head_a: Any, django_assert_max_num_queries: Any, today: Any
) -> None:
    """Pages stay full and counted right: the filter is in SQL, not per row."""
    for n in range(5):
        file_report(description=f"第{n}家饭店出售过期食品。")
    client = client_for(head_a)
    client.get("/api/v1/records/entries")
    with django_assert_max_num_queries(12):
        items = client.get("/api/v1/records/entries").json()["items"]
    assert sum(i["object_type"] == "complaints.complaint" for i in items) == 5


def test_the_filer_digest_is_keyed_and_verified(units: None, today: Any) -> None:
    complaint = file_report().complaint
    entry = Entry.objects.get(object_type="complaints.complaint", object_id=str(complaint.pk))
    recorded = services.filer_digest(FILER_NAME, FILER_CONTACT)
    assert recorded in entry.payload
    with override_settings(ZHIFA_DIGEST_KEY="another-site-" + "x" * 50):
        assert services.filer_digest(FILER_NAME, FILER_CONTACT) != recorded
    with override_settings(SECRET_KEY="another-secret-" + "x" * 50):  # its own key
        assert services.filer_digest(FILER_NAME, FILER_CONTACT) == recorded
    code, text = run_verify()
    assert code == 0, text
    Complaint.objects.filter(pk=complaint.pk).update(filer_contact="13900000000")
    code, text = run_verify()
    assert code == 1 and "filer_hmac" in text and complaint.number in text, text


def test_the_entry_list_and_the_timeline_name_a_filing_by_its_number(
    units: None, head_a: Any, today: Any
) -> None:
    complaint = file_report().complaint
    client = client_for(head_a)
    listed = client.get("/records/entries/", {"object_type": "complaints.complaint"})
    page = listed.content.decode()
    timeline = f"/records/timeline/complaints.complaint/{complaint.pk}/"
    assert timeline in page and complaint.number in page
    assert f"#{complaint.pk}<" not in page
    assert complaint.number in client.get(timeline).content.decode()

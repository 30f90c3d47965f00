"""Findings of an attack on the complaints app (issue #16): each test fails on the code
it was written against and states what should hold instead."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.core.testing import client_for
from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.registry.models import EnforcementSubject

from .conftest import FILER_CONTACT, FILER_NAME, assign, file_report, fresh

pytestmark = pytest.mark.django_db

#: The digest the FILE entry records of the filer: anyone who guesses the name and the
#: telephone recomputes it (no salt, no key) and so confirms who filed.
FILER_DIGEST = sm3_hex(canonical_json([FILER_NAME, FILER_CONTACT]).encode())


def _export(client: Client, complaint: Complaint) -> tuple[int, str]:
    url = f"/records/timeline/complaints.complaint/{complaint.pk}/export.zip"
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, ""
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    return 200, "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_the_officer_complained_about_cannot_read_the_complaint_in_the_record(
    about_the_bureau: Any,
) -> None:
    """COMPLAINT-confidential: policy.can_see refuses the officer and the head of the
    organ complained about, but the records app (timeline, ZIP export, entry browser)
    scopes by the receiving organ only, so they read the filing's whole record: its
    number, the address, whom it is about, whether the filer gave a name, the filer
    digest, and later the progress, result and the filer's dispute reason."""
    complaint, officer_user, head = about_the_bureau
    for user in (officer_user, head):
        client = client_for(user)
        timeline = client.get(f"/records/timeline/complaints.complaint/{complaint.pk}/")
        assert timeline.status_code == 404, user.username
        status, exported = _export(client, complaint)
        assert status == 404, (user.username, "嘉兴市某路某号" in exported)
    entries = client_for(head).get("/records/entries/")
    assert complaint.number not in entries.content.decode()


def test_no_export_holds_a_recomputable_digest_of_the_filer(
    units: None, officer_a: Any, reviewer_a: Any, today: Any
) -> None:
    """Issue #16 item 4: the identity never in exports. The FILE entry's ``filer_sm3``
    is SM3 over [name, contact] without a secret: whoever reads an export (here a legal
    reviewer of the receiving organ, whom policy refuses the filing) confirms a guessed
    filer, and an 11-digit telephone alone can be searched exhaustively."""
    complaint = file_report().complaint
    for user in (officer_a, reviewer_a):
        _status, exported = _export(client_for(user), complaint)
        assert FILER_DIGEST not in exported, user.username


def test_the_filer_of_a_merged_filing_follows_it_to_the_end_of_a_merge_chain(
    units: None, officer_a: Any, today: Any
) -> None:
    """A merged into B, then B merged into C (policy.can_merge does not refuse a filing
    that has others merged into it). A's filer follows B, which is only 'merged': the
    result C's filer is told never reaches A's filer ("both filers kept informed")."""
    a = file_report()
    b = file_report(description="同一家饭店出售过期食品。").complaint
    c = file_report(description="该饭店出售过期食品，已多次。").complaint
    for filing in (a.complaint, b, c):
        assign(filing, officer_a)
    services.merge(a.complaint, actor=officer_a, into=b)
    services.merge(fresh(b), actor=officer_a, into=c)
    services.accept(fresh(c), actor=officer_a)
    services.close(fresh(c), actor=officer_a, result="已责令整改并立案查处。")
    lookup = Client().post(
        "/api/v1/public/complaints/lookup",
        json.dumps({"number": a.complaint.number, "code": a.access_code}),
        content_type="application/json",
    )
    assert lookup.status_code == 200
    assert "已责令整改并立案查处。" in json.dumps(lookup.json(), ensure_ascii=False)


def test_an_attachment_of_the_wrong_type_is_refused_on_its_field(units: None, today: Any) -> None:
    """Errors name the field: a file whose content is not JPEG/PNG/PDF comes back as a
    form-wide error prefixed ``file:`` (the key spool_as uses), not on ``attachments``."""
    response = Client().post(
        reverse("complaints:file"),
        {
            "category": "food_safety",
            "region": "330400",
            "address": "嘉兴市南湖区某路1号",
            "description": "某饭店出售过期食品。",
            "attachments": [
                SimpleUploadedFile("photo.png", b"<html><script>1</script>", "image/png")
            ],
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "attachments" in errors and "__all__" not in errors, errors


@pytest.mark.parametrize(
    "content",
    [b"<html><script>1</script>", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200],
    ids=["html-as-pdf", "program-as-pdf"],
)
def test_a_refused_attachment_is_told_in_plain_words(
    units: None, today: Any, content: bytes
) -> None:
    """Issue #16 walk: no content type (``application/…``) and no "evidence" (证据) in
    the refusal of a filer's attachment, but the accepted types in plain Chinese."""
    from django.utils import translation

    with translation.override("zh-hans"):
        response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
            reverse("complaints:file"),
            {
                "category": "food_safety",
                "region": "330400",
                "address": "嘉兴市南湖区某路1号",
                "description": "某饭店出售过期食品。",
                "attachments": [SimpleUploadedFile("invoice.pdf", content, "application/pdf")],
            },
        )
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["attachments"])
    assert message.startswith("invoice.pdf: "), message
    assert "application/" not in message and "证据" not in message, message
    assert "JPEG" in message and "PNG" in message and "PDF 文件" in message, message
    assert not Complaint.objects.exists()


def test_reassign_errors_name_the_input_field(
    units: None, supervisor_city: Any, regions: Any, today: Any
) -> None:
    """The API's reassign body has ``organ_id``; an inactive unit is refused on
    ``body.organ`` (a nonexistent one on ``body.organ_id``)."""
    from zhifa.core.testing import make_organ

    complaint = file_report().complaint
    closed = make_organ("嘉兴市某停用局", regions["330400"], short_name="停", active=False)
    response = client_for(supervisor_city).post(
        f"/api/v1/complaints/{complaint.pk}/reassign",
        json.dumps({"organ_id": closed.pk, "reason": "改由其他单位办理"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.organ_id"]


def test_duplicate_suggestions_stay_cheap_on_crafted_descriptions(
    units: None, officer_a: Any, today: Any
) -> None:
    """Opening a filing compares its description with up to 50 open ones by difflib
    (quadratic on repetitive text): anonymous filings with periodic 5,000-character
    descriptions (under the limit) take about a second each to compare, so one desk
    page costs the worker most of a minute. Twelve are enough to show it."""
    import time

    alphabet = "".join(chr(0x4E00 + i) for i in range(101))
    mine = file_report(description=(alphabet * 50)[: services.MAX_DESCRIPTION]).complaint
    for _i in range(12):
        file_report(description=(alphabet[::-1] * 50)[: services.MAX_DESCRIPTION])
    client = client_for(officer_a)
    started = time.perf_counter()
    response = client.get(reverse("complaints:detail", args=[mine.pk]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 3.0, f"the desk page took {elapsed:.1f} s"


def test_the_public_filing_api_names_its_own_fields(
    units: None, organ_c: EnforcementSubject, today: Any
) -> None:
    """A report that names an organ is refused on ``body.subject_organ`` (the service's
    key) while the request field is ``subject_organ_id``."""
    response = Client().post(
        "/api/v1/public/complaints",
        json.dumps(
            {
                "category": "food_safety",
                "region": "330400",
                "address": "嘉兴市南湖区某路1号",
                "description": "某饭店出售过期食品。",
                "subject_organ_id": organ_c.pk,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.subject_organ_id"]


@pytest.mark.parametrize("into", ["²", "99999999999999999999999", "abc", ""])
def test_merging_into_a_number_that_is_no_filing_is_a_404(
    units: None, officer_a: Any, today: Any, into: str
) -> None:
    """Digits ``int()`` refuses (a superscript) or a number too large for the database
    are no filing: 404, not a 500; nothing merged."""
    complaint = file_report().complaint
    assign(complaint, officer_a)
    response = client_for(officer_a).post(
        reverse("complaints:merge", args=[complaint.pk]), {"into": into}
    )
    assert response.status_code == 404
    assert fresh(complaint).merged_into_id is None

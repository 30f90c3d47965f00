"""Attachments through the filing API (issue #16 item 1): ``POST
/api/v1/public/complaints/multipart`` takes the filing's fields and up to 3 ``files``,
checked and stored by the page's service; a refused file is named ``files[<n>]`` and
nothing is written; the same rate-limit bucket as the page and the JSON filing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintAttachment
from zhifa.records import evidence_files
from zhifa.records.canonical import sm3_hex
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/complaints/multipart"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIELDS = {
    "category": "food_safety",
    "region": "330400",
    "address": "嘉兴市南湖区某路1号",
    "description": "某饭店出售过期食品。",
}


def _stored(content: bytes, extension: str) -> bool:
    name = evidence_files.storage_name_for(sm3_hex(content), extension)
    return evidence_files.evidence_storage().exists(name)


def _nothing_written() -> bool:
    return not (
        Complaint.objects.exists() or ComplaintAttachment.objects.exists() or Entry.objects.exists()
    )


def test_a_filing_with_a_photo_and_a_document(units: None, today: Any) -> None:
    files = [
        SimpleUploadedFile("现场.jpg", PNG, content_type="image/jpeg"),
        SimpleUploadedFile("票据.pdf", PDF, content_type="application/pdf"),
    ]
    created = Client().post(URL, {**FIELDS, "files": files})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["access_code"] and data["category"] == "food_safety"
    complaint = Complaint.objects.get(number=data["number"])
    attachments = list(complaint.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("现场.jpg", "image/png"),  # judged from the content, not the name or the claim
        ("票据.pdf", "application/pdf"),
    ]
    assert [a.sm3 for a in attachments] == [sm3_hex(PNG), sm3_hex(PDF)]
    assert _stored(PNG, "png") and _stored(PDF, "pdf")
    entry = Entry.objects.get(object_id=str(complaint.pk))
    payload = json.loads(entry.payload) if isinstance(entry.payload, str) else entry.payload
    assert payload["attachments"] == [sm3_hex(PNG), sm3_hex(PDF)]


def test_a_filing_without_files_by_multipart(units: None, today: Any) -> None:
    created = Client().post(URL, FIELDS)
    assert created.status_code == 201, created.content
    assert not ComplaintAttachment.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_named_and_nothing_is_written(
    units: None, today: Any
) -> None:
    good = b"\x89PNG\r\n\x1a\n" + b"\x01" * 80  # a photo stored by no other test
    files = [
        SimpleUploadedFile("ok.png", good, content_type="image/png"),
        SimpleUploadedFile("photo.png", b"<html><script>1</script>", content_type="image/png"),
    ]
    refused = Client().post(URL, {**FIELDS, "files": files})
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "invalid"
    assert [e["path"] for e in body["errors"]] == ["body.files[1]"]
    assert body["errors"][0]["message"].startswith("photo.png: ")
    assert _nothing_written()
    assert not _stored(good, "png")  # the first file, stored before the second was read


def test_an_executable_named_as_a_pdf_is_refused(units: None, today: Any) -> None:
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = Client().post(URL, {**FIELDS, "files": [fake]})
    assert refused.status_code == 400
    assert [e["path"] for e in refused.json()["errors"]] == ["body.files[0]"]
    assert _nothing_written()


def test_an_oversized_file_is_named(
    units: None, today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", len(PNG) - 1)
    files = [SimpleUploadedFile("big.png", PNG, content_type="image/png")]
    refused = Client().post(URL, {**FIELDS, "files": files})
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["path"] == "body.files[0]" and error["message"].startswith("big.png: ")
    assert _nothing_written()


def test_too_many_files_are_refused(units: None, today: Any) -> None:
    files = [
        SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png")
        for i in range(services.MAX_ATTACHMENTS + 1)
    ]
    refused = Client().post(URL, {**FIELDS, "files": files})
    assert refused.status_code == 400
    assert [e["path"] for e in refused.json()["errors"]] == ["body.files"]
    assert _nothing_written()


def test_more_parts_than_the_server_reads_are_400_not_500(
    units: None, today: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    files = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(6)]
    refused = Client().post(URL, {**FIELDS, "files": files})
    assert refused.status_code == 400 and refused.json()["errors"] == [
        {"path": "body", "message": "at most 5 files"}
    ]
    fields = {f"x{i}": "1" for i in range(21)}
    refused = Client().post(URL, {**FIELDS, **fields})
    assert refused.status_code == 400 and refused.json()["errors"] == [
        {"path": "body", "message": "at most 20 fields"}
    ]
    assert _nothing_written()


def test_the_fields_are_checked_as_in_json(units: None, organ_c: Any, today: Any) -> None:
    refused = Client().post(URL, {**FIELDS, "category": "x", "subject_organ_id": organ_c.pk})
    assert refused.status_code == 400
    assert [e["path"] for e in refused.json()["errors"]] == ["body.category"]
    missing = Client().post(URL, {k: v for k, v in FIELDS.items() if k != "region"})
    assert missing.status_code == 400
    assert [e["path"] for e in missing.json()["errors"]] == ["form.region"]
    report = Client().post(URL, {**FIELDS, "subject_organ_id": organ_c.pk})
    assert [e["path"] for e in report.json()["errors"]] == ["body.subject_organ_id"]
    assert _nothing_written()


def test_the_page_and_both_api_filings_share_one_rate_limit_bucket(
    units: None, today: Any, settings: Any
) -> None:
    settings.ZHIFA_VERIFY_RATE_LIMIT = 2
    client = Client()
    assert (
        client.post(
            "/api/v1/public/complaints", json.dumps(FIELDS), content_type="application/json"
        ).status_code
        == 201
    )
    assert client.get("/complaints/file/").status_code == 200  # the page counts too
    files = [SimpleUploadedFile("p.png", PNG, content_type="image/png")]
    limited = client.post(URL, {**FIELDS, "files": files})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert limited["Retry-After"] == "60"
    assert Complaint.objects.count() == 1 and not ComplaintAttachment.objects.exists()

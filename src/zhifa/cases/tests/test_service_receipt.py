"""The 送达回证 (issue #14, item 5): the service step records the person served, who
signed, the place, the method and, on a refusal, its witnesses or its recording (a
refusal with neither is refused at the field, on the page and in the API); the filled
receipt prints them; the signed receipt is attached as a scan, stored like evidence and
recorded, seen by the organ's users only, and replacing it keeps the earlier one."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from zhifa.cases import documents, services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import CaseStep, ReceiptScan
from zhifa.core.testing import client_for
from zhifa.documents import rendering
from zhifa.documents.models import IssuedDocument
from zhifa.records.evidence_files import evidence_storage
from zhifa.records.models import Entry
from zhifa.records.tests.files import ELF
from zhifa.records.verification import verify_chain

from .conftest import D, Walker
from .test_tamper_domain import assert_tampered, verify
from .test_ui_support import post_step

pytestmark = pytest.mark.django_db

WITNESSES = [
    {"name": "王五", "unit": "南湖区某某社区居民委员会主任"},
    {"name": "赵六", "unit": "嘉兴某某食品有限公司保安"},
]


def _real(kind: str) -> bytes:
    """A small file of ``kind`` that reads as one: a scan is checked beyond its first
    bytes (a PDF's pages, an image's size)."""
    from PIL import Image
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    if kind == "pdf":
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(buffer)
    else:
        Image.new("RGB", (210, 297), "white").save(buffer, kind)
    return buffer.getvalue()


PDF, PNG, JPEG = _real("pdf"), _real("png"), _real("jpeg")


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "")


def decided(walk: Walker) -> CaseStep:
    walk.until_review()
    return walk.decide()  # type: ignore[no-any-return]


def receipt_pdf(walk: Walker) -> tuple[IssuedDocument, str]:
    walk.case.refresh_from_db()
    document = documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)
    return document, text_of(rendering.open_pdf(document))


# --- the service step ---------------------------------------------------------------------


def test_a_refusal_without_witness_or_recording_is_refused_at_the_field(walk: Walker) -> None:
    decided(walk)
    before = (CaseStep.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationError) as refused:
        walk(services.serve_decision, on=D("2026-03-30"), signed_by="refused")
    assert list(refused.value.message_dict) == ["content.witnesses"]
    assert "民事诉讼法第八十九条" in refused.value.message_dict["content.witnesses"][0]
    # a witness without a unit or identity is refused at that row's unit
    with pytest.raises(ValidationError) as no_unit:
        walk(
            services.serve_decision,
            on=D("2026-03-30"),
            signed_by="refused",
            content={"witnesses": [{"name": "王五", "unit": ""}]},
        )
    assert list(no_unit.value.message_dict) == ["content.witnesses.0.unit"]
    assert (CaseStep.objects.count(), Entry.objects.count()) == before
    # a recording instead of a witness is enough (CPL 89, second way)
    step = walk(
        services.serve_decision,
        on=D("2026-03-30"),
        method="left_at_residence",
        signed_by="refused",
        content={"recording": "执法记录仪录像 DSJ-01 20260330-1015.mp4"},
    )
    assert step.data["content"] == {"recording": "执法记录仪录像 DSJ-01 20260330-1015.mp4"}


def test_the_page_shows_the_refusal_at_the_witness_field(walk: Walker) -> None:
    decided(walk)
    officer = client_for(walk.p.officer_user)
    form = officer.get(reverse("cases:step", args=[walk.case.pk, "served"])).content.decode()
    # the person served is the party, first; the witness rows are there
    assert 'name="content_recipient"' in form and walk.case.party_name in form
    assert 'name="content_witnesses_1_name"' in form
    assert 'name="content_witnesses_1_unit"' in form
    common = {"on": "2026-03-30", "method": "direct", "signed_by": "refused"}
    response = post_step(officer, walk.case, "served", **common)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "content_witnesses_1_name" in errors, errors
    assert "民事诉讼法第八十九条" in errors["content_witnesses_1_name"][0]
    # a witness typed on the second row (the first left empty) without a unit: the
    # error is at that row's unit, not the first row's
    response = post_step(officer, walk.case, "served", **common, content_witnesses_2_name="王五")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["content_witnesses_2_unit"]
    assert not walk.case.steps.filter(step="served").exists()


def test_the_api_refuses_a_refusal_without_witness_naming_the_field(walk: Walker) -> None:
    decided(walk)
    client = client_for(walk.p.officer_user)
    body = {
        "step": "served",
        "on": "2026-03-30",
        "expected_steps": walk.n,
        "signed_by": "refused",
        "content": {"refusal_reason": "称不认可处罚"},
    }
    url = f"/api/v1/cases/{walk.case.pk}/steps"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert [e["path"] for e in refused.json()["errors"]] == ["body.content.witnesses"]
    # an unknown member of a witness is refused too (extra=forbid)
    body["content"] = {"witnesses": [{"name": "王五", "unit": "居委会", "phone": "1"}]}
    unknown = client.post(url, body, content_type="application/json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["path"].startswith("body.content.witnesses.0")
    body["content"] = {"refusal_reason": "称不认可处罚", "witnesses": WITNESSES}
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["data"]["content"]["witnesses"] == WITNESSES


def test_a_refusal_with_witnesses_is_printed_on_the_receipt(walk: Walker) -> None:
    decision = decided(walk)
    officer = client_for(walk.p.officer_user)
    step = post_step(
        officer,
        walk.case,
        "served",
        on="2026-03-30",
        method="left_at_residence",
        signed_by="refused",
        content_recipient="嘉兴某某食品有限公司（法定代表人张三）",
        content_place="嘉兴市南湖区某某路1号当事人经营场所",
        content_refusal_reason="称不认可处罚决定",
        content_witnesses_1_name=WITNESSES[0]["name"],
        content_witnesses_1_unit=WITNESSES[0]["unit"],
        content_witnesses_2_name=WITNESSES[1]["name"],
        content_witnesses_2_unit=WITNESSES[1]["unit"],
    )
    assert step.status_code == 302, step.content.decode()
    served = walk.case.steps.get(step="served")
    assert served.data["content"]["witnesses"] == WITNESSES
    document, text = receipt_pdf(walk)
    assert document.template == "service_receipt@2"
    for expected in (
        decision.document_number,
        "嘉兴某某食品有限公司（法定代表人张三）",
        "嘉兴市南湖区某某路1号当事人经营场所",
        "留置送达",
        "2026年3月30日",
        "受送达人拒绝签收",
        "拒收事由：称不认可处罚决定",
        "见证人：王五（南湖区某某社区居民委员会主任）、赵六（嘉兴某某食品有限公司保安）",
        "见证人（签名）",
    ):
        assert expected in text, (expected, text)
    # the case page shows the step's content
    page = officer.get(f"/cases/{walk.case.pk}/").content.decode()
    assert "南湖区某某社区居民委员会主任" in page


def test_a_signature_names_who_signed(walk: Walker) -> None:
    decided(walk)
    walk(
        services.serve_decision,
        on=D("2026-03-30"),
        signed_by="relative",
        content={"signer": "李四", "place": "当事人住所"},
    )
    _document, text = receipt_pdf(walk)
    assert "李四（同住成年家属）" in text and "当事人住所" in text
    assert "直接送达" in text and "拒绝签收。" not in text


def test_the_blank_receipt_leaves_the_boxes_to_fill_in(walk: Walker) -> None:
    decided(walk)
    _document, text = receipt_pdf(walk)
    assert "□直接" in text and "□留置" in text and "见证人（签名）" in text
    assert walk.case.party_name in text


def test_the_export_carries_it_and_an_import_keeps_it(walk: Walker, organ_b: Any) -> None:
    decided(walk)
    content = {"recipient": "张三", "refusal_reason": "拒收", "witnesses": WITNESSES}
    walk(services.serve_decision, on=D("2026-03-30"), signed_by="refused", content=content)
    document = export_document(walk.case, D("2026-04-01"))
    served = next(s for s in document["steps"] if s["step"] == "served")
    assert served["content"] == content
    copy = json.loads(json.dumps(document, ensure_ascii=False))
    copy["case_id"] = "另一案号"
    # an older file's refusal without witnesses is imported as it is (the file keeps
    # what it recorded: the completeness check is the workflow's)
    next(s for s in copy["steps"] if s["step"] == "served").pop("content")
    from zhifa.accounts.models import Role, User

    other = User.objects.create(username="officer-b2", role=Role.OFFICER, organ=organ_b)
    imported = services.import_document(copy, organ_b, actor=other).case
    assert imported.steps.get(step="served").data["signed_by"] == "refused"
    copy["case_id"] = "第三案号"
    next(s for s in copy["steps"] if s["step"] == "served")["content"] = content
    again = services.import_document(copy, organ_b, actor=other).case
    assert again.steps.get(step="served").data["content"] == content


# --- the signed scan ------------------------------------------------------------------------


def issued(walk: Walker) -> IssuedDocument:
    decided(walk)
    document, _text = receipt_pdf(walk)
    return document


def page_upload(client: Client, walk: Walker, content: bytes, name: str) -> Any:
    return client.post(
        reverse("cases:receipt_scan_add", args=[walk.case.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_the_signed_scan_is_stored_recorded_and_replaced_without_loss(walk: Walker) -> None:
    receipt = issued(walk)
    officer = client_for(walk.p.officer_user)
    page = officer.get(f"/cases/{walk.case.pk}/").content.decode()
    assert reverse("cases:receipt_scan_add", args=[walk.case.pk]) in page
    response = page_upload(officer, walk, PDF, "回证.pdf")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{walk.case.pk}/#documents")
    first = ReceiptScan.objects.get()
    assert (first.document, first.content_type, first.size) == (
        receipt,
        "application/pdf",
        len(PDF),
    )
    assert first.sm3 == hashlib.new("sm3", PDF).hexdigest()
    with evidence_storage().open(first.storage_name, "rb") as handle:
        assert handle.read() == PDF
    entry = Entry.objects.get(action="service_receipt.attach_scan")
    recorded = json.loads(entry.payload)
    assert entry.object_id == str(walk.case.pk) and entry.organ_id == walk.case.organ_id
    assert (recorded["scan"], recorded["sm3"], recorded["storage_name"]) == (
        first.pk,
        first.sm3,
        first.storage_name,
    )
    # a second scan replaces it as the current one; the first is kept
    assert page_upload(officer, walk, JPEG, "回证.jpg").status_code == 302
    second = ReceiptScan.objects.exclude(pk=first.pk).get()
    assert second.replaces == first and second.content_type == "image/jpeg"
    assert (
        json.loads(Entry.objects.filter(action="service_receipt.attach_scan").last().payload)[
            "replaces"
        ]
        == first.pk
    )
    found = documents.signed_receipt_scans(walk.case)
    assert [(s.scan, s.current, s.sm3) for s in found] == [
        (first, False, first.sm3),
        (second, True, second.sm3),
    ]
    assert [s.scan for s in documents.signed_receipt_scans(walk.case, current_only=True)] == [
        second
    ]
    assert found[0].read() == PDF and found[0].receipt == receipt
    # both are downloadable by the organ's users (the legal reviewer too)
    for user in (walk.p.officer_user, walk.p.reviewer_user):
        got = client_for(user).get(
            reverse("cases:receipt_scan_file", args=[walk.case.pk, first.pk])
        )
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert got["X-Content-Type-Options"] == "nosniff"
    page = officer.get(f"/cases/{walk.case.pk}/").content.decode()
    assert "回证.pdf" in page and "回证.jpg" in page
    # the chain verifies, with the scans (and the issued receipt's PDF) re-hashed like
    # evidence files
    report = verify_chain(walk.case.organ, files=True)
    assert report.problem is None and report.evidence_files == 3
    code, text = verify()
    assert code == 0, text


def test_a_scan_swapped_in_storage_fails_verification(walk: Walker, settings: Any) -> None:
    issued(walk)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("r.png", PNG),
        original_name="r.png",
    )
    from pathlib import Path

    path = Path(evidence_storage().path(scan.storage_name))
    path.chmod(0o644)
    path.write_bytes(PNG + b"\x00")
    report = verify_chain(walk.case.organ, files=True)
    assert report.problem is not None and "does not match the digests" in report.problem.message


def test_a_scan_row_changed_or_deleted_outside_the_record_fails_verification(
    walk: Walker,
) -> None:
    issued(walk)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("r.png", PNG),
        original_name="r.png",
    )
    other = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("r.jpg", JPEG),
        original_name="r.jpg",
    )
    assert verify()[0] == 0
    # the row pointed at the other scan's file
    ReceiptScan.objects.filter(pk=scan.pk).update(storage_name=other.storage_name, sm3=other.sm3)
    assert_tampered("signed receipt scan r.png")
    ReceiptScan.objects.filter(pk=scan.pk).update(storage_name=scan.storage_name, sm3=scan.sm3)
    assert verify()[0] == 0
    # the current scan deleted (the earlier one would look current again)
    ReceiptScan.objects.filter(pk=other.pk).delete()
    assert_tampered("was deleted")


def test_a_wrong_type_or_too_large_file_is_refused_and_nothing_stored(
    walk: Walker, settings: Any
) -> None:
    issued(walk)
    officer = client_for(walk.p.officer_user)
    for content, name in ((ELF, "scan.pdf"), (b"just some text", "scan.png"), (b"", "e.pdf")):
        response = page_upload(officer, walk, content, name)
        assert response.status_code == 400, name
        assert response.context["scan_form"].errors["file"], name
    settings.ZHIFA_RECEIPT_SCAN_MAX_BYTES = len(PNG) - 1
    response = page_upload(officer, walk, PNG, "scan.png")
    assert response.status_code == 400
    # the scan's own limit (not the largest evidence limit) is named
    (message,) = response.context["scan_form"].errors["file"]
    assert f"{len(PNG) - 1}\xa0" in message, message
    assert not ReceiptScan.objects.exists()
    assert not Entry.objects.filter(action="service_receipt.attach_scan").exists()
    with pytest.raises(ValidationError) as refused:
        services.attach_receipt_scan(
            walk.case,
            actor=walk.p.officer_user,
            upload=SimpleUploadedFile("s.png", PNG),
            original_name="s.png",
        )
    assert list(refused.value.message_dict) == ["file"]


def test_no_scan_before_the_receipt_is_issued(walk: Walker) -> None:
    decided(walk)
    with pytest.raises(ValidationError) as refused:
        services.attach_receipt_scan(
            walk.case,
            actor=walk.p.officer_user,
            upload=SimpleUploadedFile("s.png", PNG),
            original_name="s.png",
        )
    assert refused.value.code == "no_receipt"
    response = page_upload(client_for(walk.p.officer_user), walk, PNG, "s.png")
    assert response.status_code == 400
    assert response.context["scan_form"].non_field_errors()


def test_another_organ_and_anonymous_see_nothing(walk: Walker, officer_b: Any) -> None:
    issued(walk)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("s.png", PNG),
        original_name="s.png",
    )
    file_url = reverse("cases:receipt_scan_file", args=[walk.case.pk, scan.pk])
    other = client_for(officer_b)
    assert other.get(file_url).status_code == 404
    assert page_upload(other, walk, PNG, "x.png").status_code == 404
    api = f"/api/v1/cases/{walk.case.pk}/service-receipt/scans"
    assert other.get(api).status_code == 404
    assert other.post(api, {"file": SimpleUploadedFile("x.png", PNG)}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.attach_receipt_scan(
            walk.case, actor=officer_b, upload=SimpleUploadedFile("x.png", PNG), original_name="x"
        )
    anonymous = Client()
    assert anonymous.get(file_url).status_code == 302  # to the login page
    assert anonymous.post(reverse("cases:receipt_scan_add", args=[walk.case.pk])).status_code == 302
    assert anonymous.get(api).status_code == 401
    assert anonymous.post(api, {"file": SimpleUploadedFile("x.png", PNG)}).status_code == 401
    assert ReceiptScan.objects.count() == 1
    # never on the public page of the receipt
    receipt = IssuedDocument.objects.get(kind="service_receipt")
    public = anonymous.get(f"/d/{receipt.code}").content.decode()
    assert scan.sm3 not in public and file_url not in public


def test_the_api_attaches_and_lists_scans(walk: Walker, settings: Any) -> None:
    receipt = issued(walk)
    api = f"/api/v1/cases/{walk.case.pk}/service-receipt/scans"
    officer = client_for(walk.p.officer_user)
    created = officer.post(api, {"file": SimpleUploadedFile("回证.png", PNG)})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["document_id"] == receipt.pk and body["document_number"] == receipt.number
    assert body["content_type"] == "image/png" and body["current"] is True
    assert body["sm3"] == hashlib.new("sm3", PNG).hexdigest() and body["replaces"] is None
    assert officer.get(body["download_url"]).status_code == 200
    wrong = officer.post(api, {"file": SimpleUploadedFile("a.pdf", ELF)})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["path"] == "body.file"
    settings.ZHIFA_RECEIPT_SCAN_MAX_BYTES = 10
    large = officer.post(api, {"file": SimpleUploadedFile("b.png", PNG)})
    assert large.status_code == 400 and large.json()["errors"][0]["path"] == "body.file"
    # the legal reviewer of the organ sees them but does not attach one
    reviewer = client_for(walk.p.reviewer_user)
    listed = reviewer.get(api)
    assert listed.status_code == 200 and [s["id"] for s in listed.json()] == [body["id"]]
    settings.ZHIFA_RECEIPT_SCAN_MAX_BYTES = 10**6
    assert reviewer.post(api, {"file": SimpleUploadedFile("c.png", PNG)}).status_code == 403
    assert ReceiptScan.objects.count() == 1


def test_no_scan_once_the_case_is_archived(walk: Walker) -> None:
    from .test_tamper_domain import _archived

    _archived(walk)
    receipt_pdf(walk)
    with pytest.raises(ValidationError) as refused:
        services.attach_receipt_scan(
            walk.case,
            actor=walk.p.officer_user,
            upload=SimpleUploadedFile("s.png", PNG),
            original_name="s.png",
        )
    assert refused.value.code == "archived"
    page = client_for(walk.p.officer_user).get(f"/cases/{walk.case.pk}/").content.decode()
    assert reverse("cases:receipt_scan_add", args=[walk.case.pk]) not in page


def test_the_dossier_files_the_current_scan_after_the_receipt_for_the_organ_only(
    walk: Walker, supervisor_city: Any
) -> None:
    from zhifa.cases.dossier import build_case_dossier

    issued(walk)
    for name, content in (("old.png", PNG), ("new.jpg", JPEG)):
        services.attach_receipt_scan(
            walk.case,
            actor=walk.p.officer_user,
            upload=SimpleUploadedFile(name, content),
            original_name=name,
        )
    current = ReceiptScan.objects.filter(case=walk.case).order_by("-pk").first()
    assert current is not None
    own = build_case_dossier(walk.p.officer_user, walk.case)
    titles = [row.title for row in own.rows]
    receipt = titles.index("送达回证")
    # The current scan (the JPEG), right after the receipt; the replaced one is not filed.
    assert titles[receipt + 1] == "送达回证（签收件）" and titles.count("送达回证（签收件）") == 1
    assert own.rows[receipt + 1].note == "扫描件"
    assert current.content_type == "image/jpeg"
    # A supervisor opens the dossier but never the signatures on the receipt.
    theirs = build_case_dossier(supervisor_city, walk.case)
    assert "送达回证（签收件）" not in [row.title for row in theirs.rows]
    assert theirs.pages == own.pages - 1

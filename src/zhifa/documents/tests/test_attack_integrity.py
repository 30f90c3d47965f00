"""Attacks on an issued document's integrity (issue #14 review): its stored PDF altered,
swapped or removed on disk, its row changed or deleted behind the record, two issues of
the same document at once. ``records verify`` catches what was changed outside the
record, and the pages never serve or file an altered PDF as the issued one."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from zhifa.cases import documents
from zhifa.cases.tests.conftest import Walker
from zhifa.cases.tests.test_tamper_domain import assert_tampered, verify
from zhifa.core.testing import client_for
from zhifa.documents import rendering
from zhifa.documents.models import IssuedDocument, IssuedNumber
from zhifa.documents.tests.test_attack_content import text_of
from zhifa.records.evidence_files import evidence_storage
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db


def issued_decision(walk: Walker) -> IssuedDocument:
    """The 行政处罚决定书 of a case walked through the services only (nothing changed
    outside the record)."""
    walk.until_review()
    walk.decide()
    walk.case.refresh_from_db()
    return documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)


def stored_path(document: IssuedDocument) -> Path:
    path = Path(evidence_storage().path(document.storage_name))
    path.chmod(0o644)  # stored read-only: the attacker has the machine
    return path


# --- records verify ---------------------------------------------------------------------


def test_an_untouched_document_verifies_with_its_file_rehashed(walk: Walker) -> None:
    issued_decision(walk)
    code, text = verify()
    assert code == 0, text
    assert "1 evidence file(s) intact" in text, text


def test_a_stored_pdf_altered_on_disk_fails_verification(walk: Walker) -> None:
    document = issued_decision(walk)
    path = stored_path(document)
    path.write_bytes(path.read_bytes() + b"%altered\n")
    assert_tampered(f"evidence file {document.storage_name} does not match the digests")


def test_a_stored_pdf_removed_fails_verification(walk: Walker) -> None:
    document = issued_decision(walk)
    stored_path(document).unlink()
    assert_tampered(f"evidence file {document.storage_name} is missing")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sm3", "0" * 64),
        ("sha256", "0" * 64),
        ("number", "嘉市监罚〔2026〕99号"),
        ("code", "ZZZZZZZZZZZZ"),
        ("issued_on", "2026-01-01"),
        ("storage_name", "evidence/00/00/forged.pdf"),
        ("kind", "prior_notice"),
    ],
)
def test_a_document_row_changed_behind_the_record_fails_verification(
    walk: Walker, field: str, value: Any
) -> None:
    """The row is what the public page (``/d/<code>``) vouches for: a forged digest
    there would make a forged file "issued"."""
    document = issued_decision(walk)
    IssuedDocument.objects.filter(pk=document.pk).update(**{field: value})
    assert_tampered(f"(ID {document.pk}): {field} differs from its record entry")


def test_a_document_moved_to_another_organ_fails_verification(walk: Walker, organ_b: Any) -> None:
    document = issued_decision(walk)
    IssuedDocument.objects.filter(pk=document.pk).update(organ=organ_b)
    assert_tampered(f"issued document {document.number} (ID {document.pk}): organ differs")


def test_a_document_row_deleted_fails_verification(walk: Walker) -> None:
    document = issued_decision(walk)
    IssuedDocument.objects.filter(pk=document.pk).delete()
    assert_tampered("was deleted")


def test_a_document_row_added_behind_the_record_fails_verification(walk: Walker) -> None:
    """A forged row (a code and the digest of a forged PDF) would make the public page
    say "issued" for the forgery: a row without its entry fails, like evidence."""
    document = issued_decision(walk)
    forged = IssuedDocument.objects.values().get(pk=document.pk)
    forged.pop("id")
    forged.update(part=7, code="FRGD00000000", sm3="f" * 64, number="嘉市监罚〔2026〕999号")
    row = IssuedDocument.objects.create(**forged)
    assert Client().get("/d/FRGD00000000").status_code == 200  # what the forger wanted
    assert_tampered(f"issued document 嘉市监罚〔2026〕999号 (ID {row.pk}) has no record entry")


def test_a_scan_row_added_behind_the_record_fails_verification(walk: Walker) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.cases import services
    from zhifa.cases.models import ReceiptScan
    from zhifa.cases.tests.test_service_receipt import PDF

    walk.until_review()
    walk.decide()
    walk.case.refresh_from_db()
    documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("回证.pdf", PDF),
        original_name="回证.pdf",
    )
    assert verify()[0] == 0
    forged = ReceiptScan.objects.values().get(pk=scan.pk)
    forged.pop("id")
    forged.update(replaces_id=scan.pk, original_name="伪造.pdf")
    row = ReceiptScan.objects.create(**forged)
    assert_tampered(f"signed receipt scan 伪造.pdf (ID {row.pk}) has no record entry")


def test_the_entry_is_in_the_organs_chain_with_the_digests(walk: Walker) -> None:
    document = issued_decision(walk)
    entry = Entry.objects.get(action="document.render")
    payload = json.loads(entry.payload)
    assert entry.organ_id == walk.case.organ_id and entry.object_id == str(walk.case.pk)
    assert (payload["document"], payload["organ"], payload["step"]) == (
        document.pk,
        walk.case.organ_id,
        document.step_id,
    )
    assert payload["sm3"] == document.sm3 == rendering.sm3_of(rendering.open_pdf(document))


# --- issued once, even at once ------------------------------------------------------------


def test_a_second_row_for_the_same_document_is_refused_by_the_database(walk: Walker) -> None:
    document = issued_decision(walk)
    twin = IssuedDocument.objects.values().get(pk=document.pk)
    twin.pop("id")
    twin["code"] = "ABCDEFGHJKMN"
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(**twin)


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_give_one_document_and_one_number(walk: Walker) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking between parallel users is tested on PostgreSQL (CI's second run)")
    walk.until_review()
    walk.decide()
    walk.case.refresh_from_db()
    numbers = IssuedNumber.objects.count()
    barrier = threading.Barrier(2)
    issued: list[int] = []
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            barrier.wait()
            # the 送达回证 takes its number when it is rendered
            found = documents.render_document(
                walk.case, "service_receipt", actor=walk.p.officer_user
            )
            issued.append(found.pk)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(issued)) == 1
    assert IssuedDocument.objects.filter(kind="service_receipt").count() == 1
    assert IssuedNumber.objects.count() == numbers + 1
    assert Entry.objects.filter(action="document.render").count() == 1


# --- the pages never serve or file a stored PDF that is not the one issued ---------------


@pytest.mark.parametrize("damage", ["altered", "garbage", "missing"])
def test_a_damaged_stored_pdf_is_not_served_as_the_document(walk: Walker, damage: str) -> None:
    """Opening the document: not the altered bytes (printed, they would carry the true
    document's QR code), not a server error: the case page says what is wrong."""
    document = issued_decision(walk)
    path = stored_path(document)
    if damage == "altered":
        path.write_bytes(path.read_bytes().replace(b"/Creator", b"/Creatox", 1))
    elif damage == "garbage":
        path.write_bytes(b"garbage")
    else:
        path.unlink()
    client = client_for(walk.p.officer_user)
    url = reverse("cases:document_file", args=[walk.case.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("cases:detail", args=[walk.case.pk])
    page = client.get(response["Location"]).content.decode()
    assert document.number in page and document.sm3[:16] in page
    with pytest.raises(rendering.StoredDocumentBroken):
        rendering.open_pdf(document)


@pytest.mark.parametrize("damage", ["altered", "garbage", "missing"])
def test_the_dossier_files_a_page_saying_so_for_a_damaged_stored_pdf(
    walk: Walker, damage: str
) -> None:
    """One damaged document does not take the whole 案卷 down (a malformed PDF was a
    server error), nor is an altered one filed as issued: a page in its place names it,
    with the digest it was issued with."""
    document = issued_decision(walk)
    notice = documents.render_document(walk.case, "prior_notice", actor=walk.p.officer_user)
    path = stored_path(document)
    if damage == "altered":
        path.write_bytes(path.read_bytes().replace(b"/Creator", b"/Creatox", 1))
    elif damage == "garbage":
        path.write_bytes(b"%PDF-1.4 garbage")
    else:
        path.unlink()
    client = client_for(walk.p.officer_user)
    for url in (
        reverse("cases:dossier", args=[walk.case.pk]),
        f"/api/v1/cases/{walk.case.pk}/dossier",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = text_of(response.content)
        assert document.sm3 in text and document.number in text
        assert "未并入本卷" in text
        assert notice.number in text  # the others are filed


# --- issued once: the organ renamed afterwards ----------------------------------------------


def test_an_organ_renamed_after_issuing_changes_neither_the_pdf_nor_its_page(
    walk: Walker,
) -> None:
    """The PDF is the one issued (not rendered again); the public page names the organ
    as the document prints it — a court compares the paper with the page — and says
    what it is called now."""
    document = issued_decision(walk)
    before = rendering.open_pdf(document)
    printed = walk.case.organ.name
    organ = walk.case.organ
    organ.name = "嘉兴市综合行政执法局"
    organ.save()
    walk.case.refresh_from_db()
    again = documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)
    assert again.pk == document.pk and rendering.open_pdf(again) == before
    assert printed in text_of(before) and "综合行政执法局" not in text_of(before)
    body = Client().get(f"/d/{document.code}").content.decode()
    verdict = body[body.index('class="verdict"') :]
    assert printed in verdict.split("</p>")[0], verdict[:300]
    assert "嘉兴市综合行政执法局" in body  # what it is called now, said as such
    assert verify()[0] == 0

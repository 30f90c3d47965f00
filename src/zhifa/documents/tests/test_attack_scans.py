"""Uploading the scan of the signed 送达回证 as an attack (issue #14 review): a file of
another type named .pdf, a decompression bomb, a PDF of thousands of pages or of a
page count that lies, a file that cannot be read, an empty file, a file exactly at the
limit, two uploads at once; and a 案卷 that must still be built when such a scan is
stored (it got in before these checks)."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from zhifa.cases import documents, services
from zhifa.cases.actions import service_receipt
from zhifa.cases.models import ReceiptScan
from zhifa.cases.tests.conftest import Walker
from zhifa.core.testing import client_for
from zhifa.documents import layout
from zhifa.documents.models import IssuedDocument
from zhifa.documents.tests.test_attack_content import text_of
from zhifa.records import evidence_files
from zhifa.records.models import Entry
from zhifa.records.tests.files import ELF

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> bytes:
    """A valid PNG of ``width`` × ``height`` white pixels, compressed to almost nothing
    (a 15,000 × 15,000 image is 650 KB: a decompression bomb of 675 MB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * (width * 3)
    pixels = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    parts = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + parts


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (210, 297), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf(pages: int = 1, count: int | None = None) -> bytes:
    """A PDF of ``pages`` blank pages; ``count``: the page count its page tree claims."""
    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    if count is not None:
        data = data.replace(f"/Count {pages}".encode(), f"/Count {count}".encode(), 1)
    return data


def receipt(walk: Walker) -> IssuedDocument:
    walk.until_review()
    walk.decide()
    walk.case.refresh_from_db()
    return documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)


def stored() -> tuple[int, int, int]:
    """Scans, their entries and files in the evidence store."""
    storage = evidence_files.evidence_storage()
    files = 0
    for folder in storage.listdir("evidence")[0] if storage.exists("evidence") else []:
        for sub in storage.listdir(f"evidence/{folder}")[0]:
            files += len(storage.listdir(f"evidence/{folder}/{sub}")[1])
    actions = Entry.objects.filter(action=service_receipt.ACTION).count()
    return ReceiptScan.objects.count(), actions, files


#: A file, and what the error at the file says of it (the page is in Chinese).
BAD = [
    ("elf.pdf", ELF, "可执行程序"),
    ("page.png", b"<html><script>alert(1)</script></html>", "text/plain"),
    ("bomb.png", png(15_000, 15_000), "像素"),
    ("many.pdf", pdf(pages=300), "300 页"),
    ("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "无法作为 PDF 读取"),
    ("header.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "无法作为图像读取"),
    ("empty.pdf", b"", "空文件"),
]


@pytest.mark.parametrize(("name", "content", "said"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_scan_is_refused_at_the_file_and_nothing_is_stored(
    walk: Walker, name: str, content: bytes, said: str
) -> None:
    receipt(walk)
    before = stored()
    officer = client_for(walk.p.officer_user)
    page = officer.post(
        reverse("cases:receipt_scan_add", args=[walk.case.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 400, page.status_code
    errors = page.context["scan_form"].errors["file"]
    assert any(said in e for e in errors), errors
    api = officer.post(
        f"/api/v1/cases/{walk.case.pk}/service-receipt/scans",
        {"file": SimpleUploadedFile(name, content)},
    )
    assert api.status_code == 400, api.content
    assert [e["path"] for e in api.json()["errors"]] == ["body.file"]
    assert stored() == before


def test_scans_that_are_scans_are_accepted(walk: Walker) -> None:
    receipt(walk)
    officer = client_for(walk.p.officer_user)
    url = reverse("cases:receipt_scan_add", args=[walk.case.pk])
    for name, content in (
        ("回证.pdf", pdf(pages=2)),
        # a page tree claiming a billion pages: its pages are counted, not its claim
        ("lies.pdf", pdf(count=10**9)),
        ("回证.jpg", jpeg()),
        ("回证.png", png(2480, 3508)),  # A4 at 300 dpi
        ("回证二.pdf", layout.build_pdf(layout.Document([layout.Block("body", "签收")]))),
    ):
        response = officer.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302, (name, response.context["scan_form"].errors)
    assert ReceiptScan.objects.count() == 5
    dossier = client_for(walk.p.officer_user).get(reverse("cases:dossier", args=[walk.case.pk]))
    assert dossier.status_code == 200


def test_a_file_exactly_at_the_limit_is_taken_one_byte_more_is_not(
    walk: Walker, settings: Any
) -> None:
    receipt(walk)
    content = pdf()
    settings.ZHIFA_RECEIPT_SCAN_MAX_BYTES = len(content)
    officer = client_for(walk.p.officer_user)
    api = f"/api/v1/cases/{walk.case.pk}/service-receipt/scans"
    assert officer.post(api, {"file": SimpleUploadedFile("a.pdf", content)}).status_code == 201
    more = content + b"\n"
    refused = officer.post(api, {"file": SimpleUploadedFile("b.pdf", more)})
    assert refused.status_code == 400 and refused.json()["errors"][0]["path"] == "body.file"
    page = officer.post(
        reverse("cases:receipt_scan_add", args=[walk.case.pk]),
        {"file": SimpleUploadedFile("b.pdf", more)},
    )
    assert page.status_code == 400
    assert ReceiptScan.objects.count() == 1


def test_a_dossier_is_built_with_a_bad_scan_stored_before_the_checks(walk: Walker) -> None:
    """A bomb or a PDF of thousands of pages that got in (before these checks, or
    written around them) is filed as a page saying so: the dossier of the case was a
    server error (PIL's DecompressionBombError) or refused for good (too many pages)."""
    document = receipt(walk)
    for name, content in (("bomb.png", png(15_000, 15_000)), ("many.pdf", pdf(pages=600))):
        spooled = evidence_files.Spooled(
            io.BytesIO(content),
            len(content),
            evidence_files.hashlib.new("sm3", content).hexdigest(),
            evidence_files.hashlib.sha256(content).hexdigest(),
            "image/png" if name.endswith("png") else "application/pdf",
            name.rsplit(".", 1)[1],
        )
        storage_name, _new = evidence_files.store(spooled)
        ReceiptScan.objects.filter(case=walk.case).delete()
        ReceiptScan.objects.create(
            organ_id=walk.case.organ_id,
            case=walk.case,
            document=document,
            original_name=name,
            content_type=spooled.content_type,
            extension=spooled.extension,
            size=spooled.size,
            sm3=spooled.sm3,
            sha256=spooled.sha256,
            storage_name=storage_name,
            uploaded_by=walk.p.officer_user,
            uploaded_at=timezone.now(),
        )
        response = client_for(walk.p.officer_user).get(
            reverse("cases:dossier", args=[walk.case.pk])
        )
        assert response.status_code == 200, (name, response.status_code)
        assert spooled.sm3 in text_of(response.content)


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_are_both_kept_one_current(walk: Walker) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking between parallel users is tested on PostgreSQL (CI's second run)")
    receipt(walk)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def upload(name: str, content: bytes) -> None:
        try:
            barrier.wait()
            services.attach_receipt_scan(
                walk.case,
                actor=walk.p.officer_user,
                upload=SimpleUploadedFile(name, content),
                original_name=name,
            )
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=upload, args=args)
        for args in (("a.pdf", pdf(pages=1)), ("b.jpg", jpeg()))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    scans = list(ReceiptScan.objects.order_by("pk"))
    assert len(scans) == 2 and scans[1].replaces_id == scans[0].pk
    assert [s.scan.pk for s in documents.signed_receipt_scans(walk.case, current_only=True)] == [
        scans[1].pk
    ]
    assert Entry.objects.filter(action=service_receipt.ACTION).count() == 2


@pytest.mark.parametrize("damage", ["altered", "missing"])
def test_a_damaged_stored_scan_is_neither_served_nor_filed(walk: Walker, damage: str) -> None:
    """The signed receipt is the proof of service: a scan altered on disk is not served
    or filed as the one attached, a missing one is not a server error."""
    receipt(walk)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("回证.jpg", jpeg()),
        original_name="回证.jpg",
    )
    path = evidence_files.evidence_storage().path(scan.storage_name)
    import os

    os.chmod(path, 0o644)
    if damage == "altered":
        with open(path, "wb") as handle:
            handle.write(jpeg()[:-2] + b"\x00\xff\xd9")
    else:
        os.remove(path)
    client = client_for(walk.p.officer_user)
    response = client.get(reverse("cases:receipt_scan_file", args=[walk.case.pk, scan.pk]))
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        page = client.get(response["Location"]).content.decode()
        assert scan.sm3[:16] in page
    dossier = client.get(reverse("cases:dossier", args=[walk.case.pk]))
    assert dossier.status_code == 200
    text = text_of(dossier.content)
    assert scan.sm3 in text and "无法并入本卷" in text

"""The signed 送达回证 (issue #14, item 5): the receipt printed from the case (blank, or
filled from the ``served`` step), signed on paper — or its refusal witnessed — and
scanned back as a PDF, JPEG or PNG.

The scan is stored like evidence: its type detected from its content (``filetype``),
its size bounded, streamed once while its SM3 and SHA-256 digests are computed, stored
under its SM3 digest in the evidence store (filesystem or S3) and never overwritten;
its row and its record entry ``service_receipt.attach_scan`` are written in one
transaction. A later scan becomes the current one and keeps the earlier (``replaces``):
nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.documents.models import DocumentType, IssuedDocument
from zhifa.records import evidence_files
from zhifa.records.services import append_entry

from ..models import Case, ReceiptScan
from ..policy import can_attach_receipt_scan, enforce

if TYPE_CHECKING:
    from zhifa.accounts.models import User

#: What a scan may be, as detected from its first bytes.
SCAN_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
#: The largest scan unless ``ZHIFA_RECEIPT_SCAN_MAX_BYTES`` says otherwise: a page or
#: two scanned at 300 dpi is a few megabytes.
DEFAULT_SCAN_MAX_BYTES = 20 * 1024 * 1024
ACTION = "service_receipt.attach_scan"


#: The most pages of a scanned receipt (a 送达回证 is a page; a few documents served
#: together, a few more): a PDF of more is not a scan of it, and would fill the 案卷
#: (``documents.dossier.MAX_PAGES``). Its page tree's count is what is checked.
MAX_SCAN_PAGES = 20
#: The most pixels of a scanned image: A4 at 600 dpi is 35 million. More is not a scan
#: but a decompression bomb (a PNG of 15,000 × 15,000 white pixels is 650 KB on disk and
#: 675 MB decoded, which the 案卷 decodes to file it).
MAX_SCAN_PIXELS = 40_000_000


def scan_max_bytes() -> int:
    return int(getattr(settings, "ZHIFA_RECEIPT_SCAN_MAX_BYTES", DEFAULT_SCAN_MAX_BYTES))


def issued_receipt(case: Case) -> IssuedDocument | None:
    """The case's issued 送达回证, or ``None``."""
    return (
        IssuedDocument.objects.filter(case=case, kind=DocumentType.SERVICE_RECEIPT, part=0)
        .order_by("pk")
        .first()
    )


def attach_receipt_scan(case: Case, *, actor: User, upload: Any, original_name: str) -> ReceiptScan:
    """Attach the scan of the signed 送达回证 to ``case``; the earlier scan, if any, is
    kept and replaced as the current one.

    Raises ``PermissionDenied`` when ``actor`` is not an officer or head of the case's
    organ, ``ValidationError`` when the receipt was not issued or the case is archived,
    and ``ValidationError`` on ``file`` when the file is empty, too large
    (``scan_max_bytes``), not a PDF, JPEG or PNG by its content, or its name is a path;
    nothing is stored or recorded then."""
    enforce(can_attach_receipt_scan(case, actor, issued_receipt(case)))
    problem = evidence_files.file_name_problem(original_name)
    if problem:
        raise ValidationError({"file": [problem]})
    with evidence_files.spool_as(
        upload,
        allowed=SCAN_TYPES,
        limit=scan_max_bytes(),
        label=_("a signed service receipt (PDF, JPEG or PNG)"),
    ) as spooled:
        problem = scan_problem(spooled.file, spooled.content_type)
        if problem:
            raise ValidationError({"file": [problem]})
        spooled.file.seek(0)
        storage_name, newly_stored = evidence_files.store(spooled)
        try:
            return _record(case, actor, original_name, spooled, storage_name)
        except BaseException:
            # Nothing is recorded: drop a file only this upload brought.
            if newly_stored:
                evidence_files.discard(storage_name)
            raise


def scan_problem(file: Any, content_type: str) -> str | None:
    """Why the file (a PDF, JPEG or PNG by its first bytes) is not a scan the 案卷 can
    file, or ``None``: a PDF that cannot be read, is encrypted, has no page or more
    than ``MAX_SCAN_PAGES``; an image that cannot be read or has more than
    ``MAX_SCAN_PIXELS`` (its header's size: nothing is decoded)."""
    file.seek(0)
    if content_type == "application/pdf":
        from pypdf import PdfReader

        try:
            reader = PdfReader(file)
            if reader.is_encrypted:
                return _("The PDF is encrypted: scan the receipt without a password.")
            pages = len(reader.pages)
        except Exception:
            return _("The file cannot be read as a PDF: scan the receipt again.")
        if not 1 <= pages <= MAX_SCAN_PAGES:
            return _("The PDF has %(pages)s pages: a scanned receipt has 1 to %(limit)s.") % {
                "pages": pages,
                "limit": MAX_SCAN_PAGES,
            }
        return None
    from PIL import Image

    try:
        with Image.open(file) as image:
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:
        width = height = MAX_SCAN_PIXELS  # over the limit: said below
    except Exception:
        return _("The file cannot be read as an image: scan the receipt again.")
    if width * height > MAX_SCAN_PIXELS:
        return _(
            "The image has more than %(limit)s million pixels: scan the receipt at 300 "
            "dpi (A4: 9 million)."
        ) % {"limit": MAX_SCAN_PIXELS // 1_000_000}
    return None


def _record(
    case: Case,
    actor: User,
    original_name: str,
    spooled: evidence_files.Spooled,
    storage_name: str,
) -> ReceiptScan:
    with transaction.atomic():
        # Under the case's lock: not archived meanwhile, one current scan at a time.
        locked = Case.objects.select_for_update().select_related("organ").get(pk=case.pk)
        receipt = issued_receipt(locked)
        enforce(can_attach_receipt_scan(locked, actor, receipt))
        assert receipt is not None
        current = (
            ReceiptScan.objects.filter(case=locked, replaced_by__isnull=True)
            .order_by("-pk")
            .first()
        )
        scan = ReceiptScan.objects.create(
            organ_id=locked.organ_id,
            case=locked,
            document=receipt,
            replaces=current,
            original_name=original_name,
            content_type=spooled.content_type,
            extension=spooled.extension,
            size=spooled.size,
            sm3=spooled.sm3,
            sha256=spooled.sha256,
            storage_name=storage_name,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        append_entry(
            actor=actor,
            organ=locked.organ,
            action=ACTION,
            obj=locked,
            payload={
                "scan": scan.pk,
                "document": receipt.pk,
                "number": receipt.number,
                "replaces": current.pk if current is not None else None,
                "original_name": scan.original_name,
                "content_type": scan.content_type,
                "size": scan.size,
                "sm3": scan.sm3,
                "sha256": scan.sha256,
                "storage_name": scan.storage_name,
            },
        )
    return scan

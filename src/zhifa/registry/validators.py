"""Validators for national codes (GB/T 2260 region codes, GB 32100 credit codes)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

REGION_CODE_RE = re.compile(r"^\d{6}(\d{3})?$")


def validate_region_code(value: str) -> None:
    """A GB/T 2260 division code has 6 digits; a town (GB/T 10114) has 9."""
    if not REGION_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a 6-digit GB/T 2260 region code (9 digits for a town), e.g. 330400."),
            code="invalid_region_code",
        )


def validate_uscc(value: str) -> None:
    """Unified social credit code, 18 characters with a GB 32100 check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "Enter a valid 18-character unified social credit code "
                "(GB 32100; the check character does not match)."
            ),
            code="invalid_uscc",
        ) from exc


def normalise_id_number(value: str) -> str:
    """The compact, upper-case form of a national ID number (GB 11643)."""
    return str(ric.compact(value or "")).upper()


def validate_id_number(value: str) -> None:
    """A resident identity card number (公民身份号码, GB 11643): 18 characters, a valid
    birth date and place, and the ISO 7064 check character."""
    try:
        ric.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "Enter a valid 18-character national ID number (GB 11643; the check "
                "character, birth date or place does not match)."
            ),
            code="invalid_id_number",
        ) from exc


CERTIFICATE_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{4,32}$")


def validate_certificate_number(value: str) -> None:
    """Certificate numbers are printed on a card and used in a public URL: letters,
    digits and hyphens only."""
    if not CERTIFICATE_NUMBER_RE.match(value or ""):
        raise ValidationError(
            _("Enter a certificate number of 4 to 32 letters, digits or hyphens."),
            code="invalid_certificate_number",
        )


#: Entrustment instruments: PDF or an image of the signed paper, at most 10 MB.
INSTRUMENT_MAX_BYTES = 10 * 1024 * 1024
INSTRUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def sniff_content_type(head: bytes) -> str | None:
    """The content type the file's first bytes show, among the accepted ones."""
    for content_type, signatures in INSTRUMENT_SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def validate_instrument_file(file: Any) -> None:
    """Accept PDF, PNG and JPEG files up to 10 MB, judged by their content (not by the
    name or the browser's claim)."""
    size = getattr(file, "size", 0) or 0
    if size > INSTRUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 10 MB."),
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if isinstance(head, str):
        head = head.encode()
    if sniff_content_type(bytes(head)) is None:
        raise ValidationError(
            _("Upload a PDF, PNG or JPEG file."),
            code="file_type",
        )

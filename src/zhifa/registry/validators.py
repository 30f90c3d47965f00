"""Validators for national codes (GB/T 2260 region codes, GB 32100 credit codes)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
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

"""Shared limits for input validation."""

from __future__ import annotations

#: The largest id the database can hold (a 64-bit signed integer). Larger numbers in a
#: query string are refused as invalid instead of overflowing the database driver.
DB_MAX_ID = 2**63 - 1

#: Digits of DB_MAX_ID: a longer text is refused before it is converted.
_MAX_ID_DIGITS = len(str(DB_MAX_ID))


def parse_id(value: object, *, canonical: bool = False) -> int | None:
    """The database id written in ``value`` (text from a URL, a query string or a
    command line), or ``None`` when it is not one.

    An id is written in ASCII digits only (``str.isdigit`` also accepts ``²``, ``③``
    or Arabic-Indic ``١``, which ``int`` refuses or reads as ASCII digits) and lies
    between 1 and ``DB_MAX_ID``. With ``canonical`` the text must be exactly how the
    id is written (``1``, not ``01``): the form record entries and timelines store.
    Signs, spaces, exponents and underscores (``-1``, `` 1``, ``1e3``, ``1_0``) are
    not ids."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > _MAX_ID_DIGITS:
        return None
    number = int(digits)
    if not 1 <= number <= DB_MAX_ID:
        return None
    if canonical and str(number) != value:
        return None
    return number

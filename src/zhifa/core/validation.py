"""Shared limits for input validation."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

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


#: A database id in an API schema (a path, a query, a body field or a list of them):
#: a number between 1 and ``DB_MAX_ID``, so that ``2**63`` is a 400 naming the field
#: instead of an overflow in the database driver (SQLite's, psycopg's).
Id = Annotated[int, Field(ge=1, le=DB_MAX_ID)]

#: A count of rows to skip (``offset``), bounded like ``Id``.
Offset = Annotated[int, Field(ge=0, le=DB_MAX_ID)]


# --- text -----------------------------------------------------------------------------------

#: Control characters a text may hold: tab, line feed and carriage return (a textarea
#: sends CR LF). Every other C0/C1 control character (NUL included) is refused.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value: str) -> str | None:
    """Why ``value`` is not text Zhifa stores, or ``None`` when it is.

    Refused: NUL (PostgreSQL refuses it in a text column; SQLite would store it
    silently), the other control characters but tab, line feed and carriage return
    (invisible, and they break the exports and the printed documents), and lone
    surrogates (``"\\ud800"`` from a JSON escape: no UTF-8 encoding exists, so the
    database driver fails)."""
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if code == 0:
            return str(_("It contains a NUL character (position %(n)s).") % {"n": position})
        if (code < 0x20 or 0x7F <= code < 0xA0) and char not in ALLOWED_CONTROLS:
            return str(
                _("It contains a control character U+%(code)04X (position %(n)s).")
                % {"code": code, "n": position}
            )
        if 0xD800 <= code <= 0xDFFF:
            return str(
                _("It contains a lone surrogate U+%(code)04X (position %(n)s): not Unicode text.")
                % {"code": code, "n": position}
            )
    return None


def validate_text(value: object) -> None:
    """Django validator (forms, models): ``text_problem`` as a ValidationError."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValidationError(problem, code="bad_text")


def _checked_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("bad_text", problem)
    return value


#: Text in an API schema: ``str`` refusing what ``text_problem`` refuses.
Text = Annotated[str, AfterValidator(_checked_text)]


def text_problems(
    value: Any, path: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], str]]:
    """Every string inside ``value`` (a str, or lists and dicts of them, keys
    included) that ``text_problem`` refuses, with its path below ``value``."""
    if isinstance(value, str):
        problem = text_problem(value)
        return [(path, problem)] if problem else []
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(text_problems(key, (*path, str(key))))
            found.extend(text_problems(item, (*path, str(key))))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found.extend(text_problems(item, (*path, index)))
    return found

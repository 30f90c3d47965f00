"""Shared limits for input validation."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import unicodedata
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BeforeValidator, Field
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


#: The bidirectional formatting characters (Unicode's ``Bidi_Control`` property): marks
#: (U+061C, U+200E, U+200F), embeddings and overrides (U+202A–U+202E), isolates
#: (U+2066–U+2069). Invisible, they make a text show in another order than it was
#: written ("Trojan Source", CVE-2021-42574): ``U+202E`` turns "罚款 100 元" into what
#: reads as another amount on the screen of whoever handles it.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def typed_text_problem(value: str) -> str | None:
    """Why ``value`` is not text a person types into Zhifa from outside (a complaint or
    report, a note to its filer, a dispute, a party's statement, consent or rating), or
    ``None``: what ``text_problem`` refuses, and the bidirectional controls
    (``BIDI_CONTROLS``). Text that only moves through Zhifa (a case file imported, a
    record exported) is checked by ``text_problem`` alone."""
    problem = text_problem(value)
    if problem:
        return problem
    for position, char in enumerate(value, start=1):
        if char in BIDI_CONTROLS:
            return str(
                _(
                    "It contains a bidirectional control character U+%(code)04X (position "
                    "%(n)s): it makes the text show in another order than it was written."
                )
                % {"code": ord(char), "n": position}
            )
    return None


def validate_typed_text(value: object) -> None:
    """Django validator (forms, models): ``typed_text_problem`` as a ValidationError."""
    if isinstance(value, str):
        problem = typed_text_problem(value)
        if problem:
            raise ValidationError(problem, code="bad_text")


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


# --- plausible values -------------------------------------------------------------------
#
# One check per kind of value, used by the forms (Django validators), the API (pydantic
# types or the services the API calls) and the imports (their bound checks): a value
# outside these bounds is a typing error or a probe, and is refused naming its field.

#: The earliest date Zhifa accepts: the founding of the People's Republic (1949-10-01).
#: No act, violation, birth or exam recorded here is older (an old case is imported with
#: its real dates, which are later).
EARLIEST_DATE = dt.date(1949, 10, 1)

#: How far ahead a scheduled date (a hearing's day, the end of a period) may lie: a year.
#: What happened (a violation, a birth, a step) lies on or before today.
SCHEDULE_MARGIN_DAYS = 366

#: Amounts of money (fines, confiscations, benchmark bands) are below 10^12 yuan (a
#: trillion): no administrative fine comes near, and the bound keeps every amount exact
#: in a float and in the database's numeric columns. NaN and infinity are refused.
MAX_AMOUNT = 10**12


def date_problem(value: object, *, today: dt.date, ahead_days: int = 0) -> str | None:
    """Why ``value`` (a date, or its ISO text) is not a plausible date, or ``None``:
    before ``EARLIEST_DATE``, or after ``today`` plus ``ahead_days`` (0 for what has
    happened, ``SCHEDULE_MARGIN_DAYS`` for what is scheduled). Text that is not a date
    is left to the caller's schema."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return None
    if value < EARLIEST_DATE:
        return str(
            _("The date %(date)s is before %(earliest)s, not a plausible date.")
            % {"date": value.isoformat(), "earliest": EARLIEST_DATE.isoformat()}
        )
    latest = today + dt.timedelta(days=ahead_days)
    if value > latest:
        if ahead_days:
            return str(
                _("The date %(date)s is more than %(days)s days after today (%(latest)s).")
                % {"date": value.isoformat(), "days": ahead_days, "latest": latest.isoformat()}
            )
        return str(
            _("The date %(date)s is in the future (today is %(today)s).")
            % {"date": value.isoformat(), "today": today.isoformat()}
        )
    return None


def amount_problem(value: object) -> str | None:
    """Why ``value`` is not a plausible amount of money in yuan, or ``None``: not a
    finite number (NaN, infinity, ``1e400``), negative, or ``MAX_AMOUNT`` or more."""
    if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
        return None  # the caller's schema says what a number is
    if isinstance(value, decimal.Decimal):
        finite = value.is_finite()
    else:
        finite = not isinstance(value, float) or math.isfinite(value)
    if not finite:
        return str(_("The amount is not a finite number."))
    if value < 0:
        return str(_("The amount cannot be negative."))
    if value >= MAX_AMOUNT:
        return str(_("The amount must be below %(max)s yuan.") % {"max": f"{MAX_AMOUNT:,}"})
    return None


def _invisible(char: str) -> bool:
    """White space, and the format characters that show nothing (zero-width space and
    joiners, word joiner, byte-order mark …: Unicode category Cf)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def name_problem(value: str) -> str | None:
    """Why ``value`` is not a name (of a party, a person, an organ, a law), or ``None``:
    what ``text_problem`` refuses, and a name that shows nothing (empty, white space or
    zero-width characters only)."""
    problem = text_problem(value)
    if problem:
        return problem
    if all(_invisible(char) for char in value):
        return str(_("The name is empty or shows nothing (only spaces or invisible characters)."))
    return None


def validate_name(value: object) -> None:
    """Django validator (forms, models): ``name_problem`` as a ValidationError."""
    if isinstance(value, str):
        problem = name_problem(value)
        if problem:
            raise ValidationError(problem, code="bad_name")


def validate_visible(value: object) -> None:
    """Django validator of a required text (the forms' ``TextCheckedMixin``): it must
    show something, not only white space and zero-width characters."""
    if isinstance(value, str) and value and all(_invisible(char) for char in value):
        raise ValidationError(
            _("The text shows nothing (only spaces or invisible characters)."), code="invisible"
        )


def validate_past_date(value: object) -> None:
    """Django validator (models, forms) of a date that has happened (a birth, an exam):
    ``date_problem`` as of today."""
    from django.utils import timezone

    problem = date_problem(value, today=timezone.localdate())
    if problem:
        raise ValidationError(problem, code="implausible_date")


def validate_not_negative(value: object) -> None:
    """Django validator of a count or a score (training hours, an exam's score): a
    number that is not negative (``MinValueValidator`` says "greater than or equal to
    0", this says what is wrong)."""
    number = isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)
    if number and value < 0:  # type: ignore[operator]
        raise ValidationError(_("The value cannot be negative."), code="negative")


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def exact_type_problem(annotation: Any, value: object) -> str | None:
    """What is wrong with ``value`` for a field of type ``annotation`` that pydantic's
    lax mode would coerce although the OpenAPI document says otherwise, or ``None``:
    a day (``date``) given as a number or as text other than ``YYYY-MM-DD`` (pydantic
    reads ``0`` and ``"0"`` as 1970-01-01), a whole number given as ``true``/``false``,
    ``true``/``false`` given as a number. Text (query strings, forms) is left to
    pydantic, which parses it."""
    kinds = _kinds(annotation)
    if value is None or (isinstance(value, dt.date) and dt.date in kinds):
        return None
    if isinstance(value, list) and list in kinds:
        for item in value:
            problem = exact_type_problem(_item_type(annotation), item)
            if problem:
                return problem
        return None
    numbers = {int, float, decimal.Decimal}
    only_day = dt.date in kinds and not kinds & {str, bool, *numbers}
    if only_day and not (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return str(_("Give a day as YYYY-MM-DD."))
    if isinstance(value, bool) and bool not in kinds and kinds & numbers:
        return str(_("Give a number, not true or false."))
    only_bool = bool in kinds and not kinds & numbers
    if only_bool and isinstance(value, int | float) and not isinstance(value, bool):
        return str(_("Give true or false."))
    return None


def _kinds(annotation: Any) -> set[Any]:
    """The plain types ``annotation`` allows (through ``Annotated``, unions, ``list``)."""
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: set[Any] = set()
        for arg in typing.get_args(annotation):
            found |= _kinds(arg)
        return found
    if origin is list:
        return {list}
    if isinstance(annotation, type) and issubclass(annotation, dt.datetime):
        return {dt.datetime}
    if isinstance(annotation, type) and issubclass(annotation, bool):
        return {bool}
    if isinstance(annotation, type) and issubclass(annotation, str):
        return {str}
    if isinstance(annotation, type) and issubclass(annotation, int):
        return {int}
    return {annotation}


def _item_type(annotation: Any) -> Any:
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _item_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if list in _kinds(arg):
                return _item_type(arg)
    if origin is list:
        return typing.get_args(annotation)[0]
    return Any


def _exact_day(value: object) -> object:
    problem = exact_type_problem(dt.date, value)
    if problem:
        raise PydanticCustomError("date_format", problem)
    return value


#: A day outside an ``InputSchema`` (a single query parameter): ``YYYY-MM-DD`` only.
Day = Annotated[dt.date, BeforeValidator(_exact_day)]

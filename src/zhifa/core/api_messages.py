"""The API's schema errors in the user's language: pydantic writes its messages in
English (``Input should be a valid integer``); each error also carries a ``type`` and,
for bounds, a ``ctx`` with the bound. ``message(err)`` gives the translated sentence of
the types a request can meet, with the bound filled in, and pydantic's own message for any
other type (never nothing). The project's own checks (``PydanticCustomError`` raised by
the schemas' validators) already speak through gettext and pass unchanged."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

_DATE = ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact")
_DATETIME = ("datetime_parsing", "datetime_type", "datetime_from_date_parsing")


def _count(text: Promise, key: str) -> Callable[[Mapping[str, Any]], str]:
    """``text`` from ``ngettext_lazy(…, "n")``: plural by the bound ``ctx[key]``."""

    def render(ctx: Mapping[str, Any]) -> str:
        n = ctx.get(key)
        if not isinstance(n, int):
            raise KeyError(key)
        return str(text % {"n": n})

    return render


def _bound(text: Promise, key: str) -> Callable[[Mapping[str, Any]], str]:
    def render(ctx: Mapping[str, Any]) -> str:
        return str(text) % {"bound": ctx[key]}

    return render


def _fixed(text: Promise) -> Callable[[Mapping[str, Any]], str]:
    return lambda ctx: str(text)


_MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": _fixed(gettext_lazy("This field is required.")),
    "extra_forbidden": _fixed(gettext_lazy("This field is not expected here.")),
    "json_invalid": _fixed(gettext_lazy("The body is not valid JSON.")),
    "int_parsing": _fixed(gettext_lazy("Give a whole number.")),
    "int_type": _fixed(gettext_lazy("Give a whole number.")),
    "int_from_float": _fixed(gettext_lazy("Give a whole number.")),
    "float_parsing": _fixed(gettext_lazy("Give a number.")),
    "float_type": _fixed(gettext_lazy("Give a number.")),
    "decimal_parsing": _fixed(gettext_lazy("Give a number.")),
    "decimal_type": _fixed(gettext_lazy("Give a number.")),
    "finite_number": _fixed(gettext_lazy("Give a finite number.")),
    "bool_parsing": _fixed(gettext_lazy("Give true or false.")),
    "bool_type": _fixed(gettext_lazy("Give true or false.")),
    "string_type": _fixed(gettext_lazy("Give text.")),
    "list_type": _fixed(gettext_lazy("Give a list.")),
    "dict_type": _fixed(gettext_lazy("Give an object.")),
    "model_type": _fixed(gettext_lazy("Give an object.")),
    "model_attributes_type": _fixed(gettext_lazy("Give an object.")),
    "uuid_parsing": _fixed(gettext_lazy("Give a UUID.")),
    **dict.fromkeys(_DATE, _fixed(gettext_lazy("Give a date as YYYY-MM-DD."))),
    **dict.fromkeys(
        _DATETIME,
        _fixed(
            gettext_lazy("Give a date and time in ISO 8601 (YYYY-MM-DDTHH:MM, with its offset).")
        ),
    ),
    "greater_than": _bound(gettext_lazy("Give a value greater than %(bound)s."), "gt"),
    "greater_than_equal": _bound(gettext_lazy("Give a value of at least %(bound)s."), "ge"),
    "less_than": _bound(gettext_lazy("Give a value less than %(bound)s."), "lt"),
    "less_than_equal": _bound(gettext_lazy("Give a value of at most %(bound)s."), "le"),
    "string_pattern_mismatch": _bound(gettext_lazy("Give a value matching %(bound)s."), "pattern"),
    "literal_error": _bound(gettext_lazy("Give one of: %(bound)s."), "expected"),
    "enum": _bound(gettext_lazy("Give one of: %(bound)s."), "expected"),
    "string_too_short": _count(
        ngettext_lazy("Give at least %(n)d character.", "Give at least %(n)d characters.", "n"),
        "min_length",
    ),
    "string_too_long": _count(
        ngettext_lazy("Give at most %(n)d character.", "Give at most %(n)d characters.", "n"),
        "max_length",
    ),
    "too_short": _count(
        ngettext_lazy("Give at least %(n)d item.", "Give at least %(n)d items.", "n"), "min_length"
    ),
    "too_long": _count(
        ngettext_lazy("Give at most %(n)d item.", "Give at most %(n)d items.", "n"), "max_length"
    ),
    "decimal_max_digits": _count(
        ngettext_lazy("Give at most %(n)d digit.", "Give at most %(n)d digits.", "n"), "max_digits"
    ),
    "decimal_max_places": _count(
        ngettext_lazy(
            "Give at most %(n)d decimal place.", "Give at most %(n)d decimal places.", "n"
        ),
        "decimal_places",
    ),
}

#: pydantic prefixes a validator's ``ValueError`` message with this.
_VALUE_ERROR = "Value error, "


def message(err: Mapping[str, Any]) -> str:
    """The error's sentence in the active language."""
    text = str(err.get("msg", ""))
    render = _MESSAGES.get(str(err.get("type", "")))
    if render is not None:
        try:
            return render(err.get("ctx") or {})
        except (KeyError, TypeError, ValueError):
            pass  # a bound missing from ctx: pydantic's own words below
    if text.startswith(_VALUE_ERROR):
        return text[len(_VALUE_ERROR) :]
    return text

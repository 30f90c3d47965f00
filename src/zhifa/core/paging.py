"""Paging for API list endpoints."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination

from zhifa.core.validation import DB_MAX_ID


def offset_error() -> NinjaValidationError:
    """The 400 for an offset the database cannot take (it would overflow the driver)."""
    return NinjaValidationError(
        [
            {
                "loc": ("query", "offset"),
                "msg": _("At most %(n)s.") % {"n": DB_MAX_ID},
                "type": "less_than_equal",
            }
        ]
    )


class BoundedLimitOffset(LimitOffsetPagination):
    """``LimitOffsetPagination`` whose ``offset`` is bounded by the largest value the
    database takes (``DB_MAX_ID``), so that ``?offset=2**70`` is a 400 naming
    ``query.offset``; ``limit`` keeps django-ninja's bound (NINJA_PAGINATION_MAX_LIMIT)."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=DB_MAX_ID)


class Paged:
    """A queryset whose rows are converted for the API only for the page served.

    ``@paginate`` slices what an endpoint returns and counts it; returning
    ``Paged(queryset, convert)`` instead of a list keeps that one LIMIT/OFFSET query
    (plus the prefetches of the page) however large the table grows. An offset beyond
    ``DB_MAX_ID`` (an endpoint paginated with plain ``LimitOffsetPagination``) is a 400
    naming ``query.offset``, not an overflow in the database driver.

    ``convert_page`` (instead of ``convert``) converts the page's rows together, for a
    conversion that asks the database once per page rather than once per row.
    """

    def __init__(self, queryset: Any, convert: Any = None, *, convert_page: Any = None) -> None:
        self.queryset = queryset
        if convert_page is None:
            convert_page = (lambda rows: [convert(row) for row in rows]) if convert else list
        self.convert_page = convert_page
        self.convert = convert if convert is not None else (lambda row: convert_page([row])[0])

    def all(self) -> Paged:
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            if (key.start or 0) > DB_MAX_ID:
                raise offset_error()
            # offset + limit may pass DB_MAX_ID: nothing lies beyond it anyway.
            stop = key.stop if key.stop is None else min(key.stop, DB_MAX_ID)
            return self.convert_page(list(self.queryset[key.start : stop]))
        return self.convert(self.queryset[key])

    def __iter__(self) -> Any:
        return iter(self.convert_page(list(self.queryset)))

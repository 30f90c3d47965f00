"""Paging for API list endpoints."""

from __future__ import annotations

from typing import Any


class Paged:
    """A queryset whose rows are converted for the API only for the page served.

    ``@paginate`` slices what an endpoint returns and counts it; returning
    ``Paged(queryset, convert)`` instead of a list keeps that one LIMIT/OFFSET query
    (plus the prefetches of the page) however large the table grows.
    """

    def __init__(self, queryset: Any, convert: Any) -> None:
        self.queryset = queryset
        self.convert = convert

    def all(self) -> Paged:
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return [self.convert(row) for row in self.queryset[key]]
        return self.convert(self.queryset[key])

    def __iter__(self) -> Any:
        return (self.convert(row) for row in self.queryset)

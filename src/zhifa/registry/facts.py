"""The one certificate loader: what the platform reads of the officers' enforcement
certificates (执法证) — numbers, validity and status history — for any number of
officers in one query. The case file (``cases.casefile``: one case, or the officers of
a whole page of cases) and the registry's qualification check
(``services.officer_qualified_on``) read the same facts, so they cannot drift apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Certificate, CertificateStatus, certificate_status_on


@dataclass(frozen=True)
class CertificateFacts:
    """What is read of a registry certificate, from a flat query (``certificate_facts``)
    instead of model instances and their prefetched history. ``history`` is the status
    changes as ``(effective_on, status)`` in ``CertificateStatusChange`` order."""

    pk: int
    number: str
    valid_from: dt.date
    valid_to: dt.date
    status: str
    history: tuple[tuple[dt.date, str], ...]

    def status_on(self, on: dt.date) -> str:
        """``Certificate.status_on``, from the same rows."""
        return certificate_status_on(self.valid_from, self.valid_to, self.history, on)

    def is_valid_on(self, on: dt.date) -> bool:
        """``Certificate.is_valid_on``, from the same rows."""
        return self.status_on(on) == CertificateStatus.VALID


#: The officers' certificates by officer id, each officer's in ``Certificate`` order.
Certificates = Mapping[int, Sequence[CertificateFacts]]


def certificate_facts(officer_ids: Iterable[int]) -> dict[int, list[CertificateFacts]]:
    """The certificates of ``officer_ids`` with their status history, in one query (no
    query when there are none): each officer's in ``Certificate`` order (by number),
    each history in ``CertificateStatusChange`` order (effective day, then pk). Every
    officer asked for has an entry (an empty list when he holds none)."""
    ids = sorted(set(officer_ids))
    out: dict[int, list[CertificateFacts]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = (
        Certificate.objects.filter(officer_id__in=ids)
        .order_by("officer_id", "number", "history__effective_on", "history__pk")
        .values_list(
            "officer_id",
            "pk",
            "number",
            "valid_from",
            "valid_to",
            "status",
            "history__effective_on",
            "history__status",
        )
    )
    grouped: dict[int, tuple[int, tuple[int, str, dt.date, dt.date, str], list[Any]]] = {}
    for officer_id, pk, number, valid_from, valid_to, status, effective_on, changed in rows:
        if pk not in grouped:
            grouped[pk] = (officer_id, (pk, number, valid_from, valid_to, status), [])
        if effective_on is not None:
            grouped[pk][2].append((effective_on, changed))
    for officer_id, (pk, number, valid_from, valid_to, status), history in grouped.values():
        out[officer_id].append(  # in query order
            CertificateFacts(pk, number, valid_from, valid_to, status, tuple(history))
        )
    return out

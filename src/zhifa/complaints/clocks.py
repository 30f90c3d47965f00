"""The acknowledgement clocks the complaints app offers the apps above it (the
supervisor's warnings, issue #17): the filings whose receiving unit still owes the filer
the acceptance (JL-complaint-ack, COMPLAINT-sector), as plain values — nothing of the
filer, and only the filings the user may see (``policy.visible``: never to the organ or
officer complained about, COMPLAINT-confidential)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .models import AWAITING_ACK, Complaint
from .policy import visible


@dataclass(frozen=True)
class AckClock:
    """A filing waiting for its acknowledgement: its number, receiving unit, the day the
    acceptance is due, the rules that made that day (ID and citation) and the years it
    was counted without a holiday schedule."""

    pk: int
    number: str
    organ_id: int
    organ_name: str
    received_on: dt.date
    due: dt.date
    working_days: int
    rules: tuple[tuple[str, str], ...]
    unscheduled_years: tuple[int, ...]


def ack_clocks(user: Any, due_until: dt.date, organ_ids: list[int] | None = None) -> list[AckClock]:
    """The filings ``user`` may see whose acceptance is not yet told and falls due on
    or before ``due_until`` (receiving units ``organ_ids`` only, when given), the most
    urgent first: one query."""
    found = (
        visible(user)
        .filter(status__in=AWAITING_ACK, ack_due_on__lte=due_until)
        .select_related("organ")
        .only(
            "pk",
            "number",
            "organ__name",
            "received_on",
            "ack_due_on",
            "ack_working_days",
            "ack_rules",
            "ack_unscheduled_years",
        )
        .order_by("ack_due_on", "pk")
    )
    if organ_ids is not None:
        found = found.filter(organ_id__in=organ_ids)
    return [_clock(c) for c in found]


def _clock(c: Complaint) -> AckClock:
    return AckClock(
        pk=c.pk,
        number=c.number,
        organ_id=c.organ_id,
        organ_name=c.organ.name,
        received_on=c.received_on,
        due=c.ack_due_on,
        working_days=c.ack_working_days,
        rules=tuple((str(r[0]), str(r[1])) for r in (c.ack_rules or ())),
        unscheduled_years=tuple(int(y) for y in (c.ack_unscheduled_years or ())),
    )

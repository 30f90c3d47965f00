"""Demo interference records: in each organ, the oldest open case its demo officer
opened gets one record (an outsider phoned to ask for leniency, the officer refused),
through the service, so that the head's and the supervisor's lists are not empty. Runs
after the cases demo (INSTALLED_APPS order); idempotent (an organ with a record gets no
other; the records' chains are signed at the end); with no such case it does nothing and says so."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.models import ENDED_STATUSES, Case
from zhifa.records.services import create_checkpoints

from . import services
from .models import Interference


def load(out: TextIO) -> None:
    made = 0
    now = timezone.localtime().replace(second=0, microsecond=0)
    cases = (
        Case.objects.exclude(status__in=ENDED_STATUSES)
        .filter(opened_by__role=Role.OFFICER, opened_by__is_active=True)
        .select_related("organ__region", "opened_by")
        .order_by("organ_id", "created_at", "pk")
    )
    done: set[int] = set(Interference.objects.values_list("organ_id", flat=True))
    for case in cases:
        if case.organ_id in done:
            continue
        services.record_interference(
            case,
            actor=case.opened_by,
            occurred_at=now - dt.timedelta(hours=2),
            source="outsider",
            person_name="某某",
            person_unit="（当事人的亲属，自称）",
            method="phone",
            request="来电称与当事人是亲戚，要求对本案“从轻处理、不要罚款”。",
            response="当即拒绝，告知依法办案，并将来电情况如实记录、报告。",
        )
        done.add(case.organ_id)
        made += 1
    if made:
        # Signed at once, as the cases demo does: a second run writes nothing.
        create_checkpoints()
    out.write(f"demo: {made} interference record(s)\n")
    from . import notice_demo

    notice_demo.load(out)

"""The trace-back of a case (错案倒查; JL 七(一), NA 33): its responsible stages and
persons as the case's steps and the whole-process record show them — who registered
it, investigated, held the hearing, reviewed it (legal review), discussed it and
decided it (the approving head) — each with its date, the user who entered the step
and the entry of the record that holds it. A read model: nothing here writes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case, CaseOfficer
from zhifa.records.models import Entry
from zhifa.rules.engine.accountability import STAGES

#: What the pages call each stage of ``rules.engine.accountability.STAGES``.
STAGE_LABELS: dict[str, Any] = {
    "registration": _("Registration (approved by)"),
    "investigation": _("Investigation"),
    "hearing": _("Hearing"),
    "legal_review": _("Legal review"),
    "collective_discussion": _("Collective discussion"),
    "decision": _("Decision (approved by)"),
}
STAGE_CODES = tuple(s.code for s in STAGES)
_STAGE_OF_STEP = {step: s for s in STAGES for step in s.steps}


@dataclass(frozen=True)
class Person:
    ref: str
    name: str
    officer_id: int | None


@dataclass
class StageRow:
    stage: str
    step: str
    index: int
    on: dt.date
    persons: list[Person] = field(default_factory=list)
    entered_by: str = ""
    entry_seq: int | None = None
    entry_organ: int | None = None

    @property
    def label(self) -> Any:
        return STAGE_LABELS[self.stage]


def _people(case: Case) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for co in CaseOfficer.objects.filter(case=case).select_related("officer").order_by("pk"):
        if co.ref in found:
            continue
        if co.officer is not None:
            found[co.ref] = Person(co.ref, co.officer.name, co.officer_id)
        else:
            name = (co.snapshot or {}).get("name", "") if isinstance(co.snapshot, dict) else ""
            found[co.ref] = Person(co.ref, str(name), None)
    return found


def _refs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _entries(case: Case) -> dict[int, Entry]:
    """The case's step entries by the step's index."""
    found: dict[int, Entry] = {}
    rows = Entry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action__startswith="case."
    ).only("organ_id", "seq", "payload")
    for entry in rows:
        try:
            index = json.loads(entry.payload).get("index")
        except (ValueError, AttributeError):
            continue
        if isinstance(index, int) and index not in found:
            found[index] = entry
    return found


def trace_back(case: Case) -> list[StageRow]:
    """The case's responsible stages in the order of its steps."""
    people = _people(case)
    entries = _entries(case)
    steps = case.steps.filter(step__in=list(_STAGE_OF_STEP)).select_related("actor")
    rows = []
    for step in steps.order_by("index"):
        stage = _STAGE_OF_STEP[step.step]
        refs = [r for f in stage.officer_fields for r in _refs(step.data.get(f))]
        persons = [people.get(r, Person(r, r, None)) for r in dict.fromkeys(refs)]
        entry = entries.get(step.index)
        rows.append(
            StageRow(
                stage=stage.code,
                step=step.step,
                index=step.index,
                on=step.on,
                persons=persons,
                entered_by=step.actor.get_full_name() or step.actor.get_username(),
                entry_seq=entry.seq if entry is not None else None,
                entry_organ=entry.organ_id if entry is not None else None,
            )
        )
    return rows


def responsible_persons(rows: list[StageRow]) -> dict[str, Person]:
    """Every person the trace-back names, by reference (the finding picks from these)."""
    return {p.ref: p for row in rows for p in row.persons}


def interferences(user: Any, case: Case) -> QuerySet[Any]:
    """The case's interference records (NA-interference) that ``user`` may see."""
    from zhifa.supervision import policy as interference_policy
    from zhifa.supervision.models import Interference

    return interference_policy.visible(user, Interference.objects.filter(case=case)).order_by(
        "occurred_at", "pk"
    )

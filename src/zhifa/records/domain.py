"""Domain rows against the state their record entries say they have (``verify``).

The chain proves the entries; these checks prove that the rows the entries vouch for
still say what was recorded:

- the organ's own row still has the fields its ``subject.create`` and
  ``subject.update`` entries recorded (name, type, region, parent, justice bureau,
  details);
- each case opened or imported (``case.open``, ``case.import``) still exists, and each
  case row has such an entry;
- each step added through the workflow (``case.<step>`` with ``index`` and ``data``)
  still has the step name, date, data and document number recorded at its entry, and
  no step of a case that was not imported exists without its entry (an imported case's
  steps are recorded as the file's SHA-256 only: they are compared once archived);
- each archived case's ``archive_digest`` is the ``casefile_sm3`` of its
  ``case.archive`` entry, and the case file exported as of the archiving day still
  has that digest (a party, a step, an officer of the case changed after archiving).

Memory: one small tuple per case and per step of the organ (a 64-character digest).
Cost: two streamed queries per organ, and one case-file export per archived case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError

from .canonical import canonical_json, sm3_hex

CASE = "cases.case"
SUBJECT = "registry.enforcementsubject"
BATCH = 2000


def _step_digest(step: str, on: str, data: Any, document_number: str) -> str:
    return sm3_hex(
        canonical_json(
            {"step": step, "on": on, "data": data, "document_number": document_number}
        ).encode()
    )


#: The SM3 of an archived case's file as of its archiving day; registered by the cases
#: app (``CasesConfig.ready``), since ``records`` imports no domain app.
_archived_file_digest: Callable[[Any], str] | None = None


def register_archived_file_digest(fn: Callable[[Any], str]) -> None:
    global _archived_file_digest
    _archived_file_digest = fn


@dataclass
class DomainCollector:
    """Fed each verified entry of one organ's chain; then :meth:`check` the rows."""

    cases: dict[str, int] = field(default_factory=dict)  # case pk -> seq of open/import
    imported: set[str] = field(default_factory=set)
    steps: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    archives: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: The organ's own recorded fields: field -> (seq of the last entry, value).
    subject: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def feed(self, seq: int, action: str, object_type: str, object_id: str, payload: str) -> None:
        if object_type == SUBJECT and action in ("subject.create", "subject.update"):
            self._feed_subject(seq, action, json.loads(payload))
            return
        if object_type != CASE or not action.startswith("case."):
            return
        if action in ("case.open", "case.import"):
            self.cases.setdefault(object_id, seq)
            if action == "case.import":
                self.imported.add(object_id)
            return
        body = json.loads(payload)
        if action == "case.archive":
            self.archives[object_id] = (seq, str(body.get("casefile_sm3", "")))
            return
        if isinstance(body.get("index"), int) and "data" in body:
            digest = _step_digest(
                action.removeprefix("case."),
                str(body.get("on", "")),
                body["data"],
                str(body.get("document_number", "")),
            )
            self.steps[(object_id, body["index"])] = (seq, digest)

    def _feed_subject(self, seq: int, action: str, body: dict[str, Any]) -> None:
        if action == "subject.create":
            self.subject = {name: (seq, value) for name, value in body.items()}
            return
        for name, change in (body.get("changes") or {}).items():
            if isinstance(change, dict) and "new" in change:
                self.subject[name] = (seq, change["new"])

    def _check_subject(self, organ_id: int) -> tuple[int, str] | None:
        """The organ's row against its ``subject.create`` snapshot and later
        ``subject.update`` changes (an organ renamed, moved to another region or made a
        justice bureau outside the services). Organs registered before the registry
        recorded them (no ``subject.create``) are not compared."""
        if not self.subject or not apps.is_installed("zhifa.registry"):
            return None
        from .changes import json_value

        model = apps.get_model("registry", "EnforcementSubject")
        names = [n for n in self.subject if n != "region"]
        try:
            row = model.objects.filter(pk=organ_id).values(*names, "region__code").get()
        except (model.DoesNotExist, FieldError):
            return None
        row["region"] = row.pop("region__code")
        for name, (seq, value) in sorted(self.subject.items()):
            current = row.get(name)
            if json_value(current) != value:
                return seq, (
                    f"the organ's {name} differs from its record entry "
                    f"(recorded {value!r}, now {json_value(current)!r}): changed outside "
                    "the record"
                )
        return None

    def check(self, organ_id: int, until_case: int) -> tuple[int, str] | None:
        """The first difference as (sequence number, message), or None. Case rows
        above ``until_case`` (created while ``verify`` ran) are the next run's."""
        subject = self._check_subject(organ_id)
        if subject is not None or not apps.is_installed("zhifa.cases"):
            return subject
        return (
            self._check_cases(organ_id, until_case)
            or self._check_steps(organ_id)
            or self._check_archives(organ_id)
        )

    def _check_cases(self, organ_id: int, until_case: int) -> tuple[int, str] | None:
        case_model = apps.get_model("cases", "Case")
        seen: set[str] = set()
        rows = case_model.objects.filter(organ_id=organ_id).order_by("pk")
        for pk, case_id in rows.values_list("pk", "case_id").iterator(chunk_size=BATCH):
            key = str(pk)
            if key not in self.cases:
                if pk > until_case:
                    continue
                return 1, f"case {case_id} (ID {pk}) has no record entry (added outside the record)"
            seen.add(key)
        for key in sorted(set(self.cases) - seen, key=int):
            return self.cases[key], f"case ID {key} recorded at {self.cases[key]} was deleted"
        return None

    def _step_rows(self, organ_id: int) -> Iterator[tuple[Any, ...]]:
        step_model = apps.get_model("cases", "CaseStep")
        rows = (
            step_model.objects.filter(case__organ_id=organ_id)
            .order_by("case_id", "index")
            .values_list(
                "case_id", "case__case_id", "index", "step", "on", "data", "document_number"
            )
        )
        yield from rows.iterator(chunk_size=BATCH)

    def _check_steps(self, organ_id: int) -> tuple[int, str] | None:
        seen: set[tuple[str, int]] = set()
        for case_pk, case_id, index, step, on, data, number in self._step_rows(organ_id):
            key = (str(case_pk), index)
            recorded = self.steps.get(key)
            if recorded is None:
                if key[0] in self.imported or key[0] not in self.cases:
                    continue  # an imported case's steps; a case the next run covers
                return self.cases[key[0]], (
                    f"case {case_id} step {index} ({step}) has no record entry "
                    "(added outside the record)"
                )
            seen.add(key)
            seq, digest = recorded
            if _step_digest(step, on.isoformat(), data, number) != digest:
                return seq, (
                    f"case {case_id} step {index} ({step}) differs from its record entry "
                    "(its date, data or document number was changed)"
                )
        for key in sorted(set(self.steps) - seen):
            seq, _digest = self.steps[key]
            return seq, f"case ID {key[0]} step {key[1]} recorded at {seq} was deleted"
        return None

    def _check_archives(self, organ_id: int) -> tuple[int, str] | None:
        case_model = apps.get_model("cases", "Case")
        archived = case_model.objects.filter(organ_id=organ_id, archived_on__isnull=False)
        still: set[str] = set()
        for case in archived.order_by("pk").iterator(chunk_size=100):
            still.add(str(case.pk))
            recorded = self.archives.get(str(case.pk))
            if recorded is None:
                return 1, f"case {case.case_id} is archived but has no case.archive entry"
            seq, digest = recorded
            if case.archive_digest != digest:
                return seq, (
                    f"case {case.case_id}: archive_digest differs from the digest recorded "
                    "when it was archived (edited)"
                )
            if _archived_file_digest is not None and _archived_file_digest(case) != digest:
                return seq, (
                    f"case {case.case_id}: its case file no longer has the digest recorded "
                    "when it was archived (the case, a party or a step changed after archiving)"
                )
        for key, (seq, _digest) in sorted(self.archives.items()):
            if key not in still:
                return seq, f"case ID {key} was archived at {seq} but is no longer archived"
        return None

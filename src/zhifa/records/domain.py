"""Domain rows against the state their record entries say they have (``verify``).

The chain proves the entries; these checks prove that the rows the entries vouch for
still say what was recorded:

- each *recorded object* — a row whose type an app declared as a
  :class:`RecordedObject` from its ``AppConfig.ready`` (the organ itself, officers,
  certificates, entrustments, power items, discretion benchmarks, review-catalogue
  entries, user accounts, laws and articles) — created in this chain (its create entry
  is here) still has the last value this chain recorded for each recorded field, and
  still exists unless an end action (an officer's ``officer.transfer_out``) says it
  left the chain. Objects created before the record existed (no create entry) are not
  compared. An object whose changes are recorded in several chains (``shared``: law
  text is recorded in the chain of the justice side that changed it, an account's
  change in the chain of each organ concerned) is compared in a chain only while no
  other chain recorded a later, different change of it;
- each case opened or imported (``case.open``, ``case.import``) still exists, and each
  case row has such an entry;
- each step added through the workflow (``case.<step>`` with ``index`` and ``data``)
  still has the step name, date, data and document number recorded at its entry, and
  no step of a case that was not imported exists without its entry (an imported case's
  steps are recorded as the file's SHA-256 only: they are compared once archived);
- each archived case's ``archive_digest`` is the ``casefile_sm3`` of its
  ``case.archive`` entry (the whole file as archived), and what the case owns (its
  identity, party, violation, power, officers as the case names them, steps,
  suspensions) still has the entry's ``case_sm3`` (a party, a step, an officer of the
  case changed after archiving). Not compared: what the file reads from elsewhere and
  may lawfully change later (the organ's name and powers, officers' roles and
  certificates). An entry written before ``case_sm3`` existed falls back to comparing
  the file exported as of the archiving day with ``casefile_sm3``.

Values are compared in the JSON form the entries hold (``records.changes``): a foreign
key as its ID (or, where the entry records it so, as a code: the organ's region), a
date as ISO text, a decimal by its numeric value, a many-to-many relation as the list
the service records.

Memory: one small tuple per case and per step of the organ (a 64-character digest),
and the recorded fields of each recorded object created in the chain.
Cost: two streamed queries per organ for cases and steps, one case-file export per
archived case, and per recorded object type one streamed query for the rows (per
:data:`BATCH` objects), one per many-valued field, and for a shared type one indexed
query for the other chains' entries of its objects. None per row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .canonical import canonical_json, sm3_hex
from .changes import json_value

CASE = "cases.case"
BATCH = 2000

#: Reads one entry's payload: ``(object ID, {field: recorded value})`` for each
#: recorded object the entry sets fields of (usually the entry's own object).
EntryReader = Callable[[str, Mapping[str, Any]], Iterable[tuple[str, dict[str, Any]]]]


def snapshot_of(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """A create entry: the payload is the object's snapshot."""
    yield object_id, dict(body)


def changes_of(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """An update entry: ``{"changes": {field: {"old": …, "new": …}}}``."""
    found = body.get("changes")
    if isinstance(found, Mapping):
        yield (
            object_id,
            {n: c["new"] for n, c in found.items() if isinstance(c, Mapping) and "new" in c},
        )


@dataclass(frozen=True)
class ManyField:
    """A recorded field read from related rows (a many-to-many relation, a benchmark's
    bands): ``read(objects)`` yields ``(object pk, item)`` for the objects of the
    queryset, in one streamed query; the field's value is ``combine`` of the object's
    items in the order read (``list`` unless told)."""

    read: Callable[[QuerySet[Any]], Iterable[tuple[Any, Any]]]
    combine: Callable[[list[Any]], Any] = list


@dataclass(frozen=True)
class RecordedObject:
    """How ``verify`` compares one type of recorded object with its rows. Declared by
    the app that owns the model, from its ``AppConfig.ready``
    (:func:`register_recorded_object`): ``records`` imports no domain app."""

    #: ``app_label.model`` as the entries store it in ``object_type``.
    object_type: str
    #: ``"app_label.Model"`` of the rows.
    model: str
    #: What the messages call one ("officer").
    noun: str
    #: The actions that create one in a chain and how to read their payload; the
    #: object is compared in a chain only after one of them.
    creates: Mapping[str, EntryReader]
    #: The later actions that set recorded fields (of this or, like the expiry task's
    #: entry, of several objects).
    updates: Mapping[str, EntryReader]
    #: Recorded field -> the ``values()`` lookup giving its current value in the form
    #: the entries record (``"region": "region__code"``; a foreign key as its ID).
    fields: Mapping[str, str]
    #: Recorded fields read from related rows.
    many: Mapping[str, ManyField] = field(default_factory=dict)
    #: The ``values()`` lookup naming the object in messages.
    title: str = "name"
    #: Actions after which objects are no longer this chain's (moved to another organ):
    #: ``ends[action](entry's object ID, payload, object pk, its recorded values)``
    #: says whether the object left with it.
    ends: Mapping[str, Callable[[str, Mapping[str, Any], str, Mapping[str, Any]], bool]] = field(
        default_factory=dict
    )
    #: Actions that hand objects of this type over to the chain from another (an
    #: officer's ``officer.transfer_in`` carries his certificates): read as creates,
    #: whatever the entry's own object type.
    handovers: Mapping[str, EntryReader] = field(default_factory=dict)
    #: Actions recorded on another object that create objects of this type (the scan of
    #: a signed receipt, recorded on its case so that the case's timeline shows it):
    #: read as creates, whatever the entry's own object type.
    creates_on_other: Mapping[str, EntryReader] = field(default_factory=dict)
    #: Its changes may be recorded in several chains (see the module's docstring).
    shared: bool = False
    #: How a message names one field of one object.
    describe: str = "{noun} {title} (ID {pk}): {field}"
    #: The ``values()`` lookup of the organ whose chain records every row of the type
    #: (``"organ_id"``): then a row of the organ without its creating entry fails, like
    #: an evidence row (a forged issued document would make the public page vouch for
    #: it). Empty: rows created before the record existed are not compared.
    every_row: str = ""
    #: Who may read the record of an object of this type, when the organ's scope is not
    #: enough (a complaint hidden from the organ it is about): ``visible_to(user)`` is
    #: the queryset of the rows ``user`` may see (the owning app's policy). The
    #: timeline, its export and the entry lists then show the entries of this type only
    #: about those rows (:func:`visible_entries`, one subquery per such type). None:
    #: the organ's scope decides alone.
    visible_to: Callable[[Any], QuerySet[Any]] | None = None
    #: Payload keys of some actions that only some of those users may read (the
    #: filer's digest of a complaint, COMPLAINT-confidential): action -> keys. To the
    #: others the API and the export show them withheld (:func:`withheld_keys`).
    confidential: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The rows whose ``confidential`` keys ``user`` may read (the owning app's
    #: policy); None with ``confidential`` set: nobody but the scope decides.
    confidential_to: Callable[[Any], QuerySet[Any]] | None = None


_RECORDED: dict[str, RecordedObject] = {}


def register_recorded_object(declaration: RecordedObject) -> None:
    """Called by each app for each type of object its services record."""
    _RECORDED[declaration.object_type] = declaration


def recorded_objects() -> list[RecordedObject]:
    """The declared types, in a fixed order (registered only by installed apps)."""
    return [d for _t, d in sorted(_RECORDED.items())]


def visible_entries(user: Any, entries: QuerySet[Any]) -> QuerySet[Any]:
    """``entries`` (already scoped to the user's organs) without those about objects of
    a type whose declaration has ``visible_to`` that ``user`` may not see. A filter in
    SQL, so that lists stay paginated and counted right."""
    for declaration in recorded_objects():
        if declaration.visible_to is None:
            continue
        ids = (
            declaration.visible_to(user)
            .order_by()
            .annotate(_record_id=Cast("pk", output_field=CharField()))
            .values("_record_id")
        )
        entries = entries.filter(~Q(object_type=declaration.object_type) | Q(object_id__in=ids))
    return entries


def withheld_keys(user: Any, entries: Iterable[Any]) -> dict[int, tuple[str, ...]]:
    """Entry pk -> the payload keys of that entry ``user`` may not read
    (``RecordedObject.confidential``), for the entries that have some. One query per
    type with confidential actions among ``entries``, none per entry."""
    by_type: dict[str, list[Any]] = {}
    for entry in entries:
        declaration = _RECORDED.get(entry.object_type)
        if declaration is not None and entry.action in declaration.confidential:
            by_type.setdefault(entry.object_type, []).append(entry)
    found: dict[int, tuple[str, ...]] = {}
    for object_type, group in by_type.items():
        declaration = _RECORDED[object_type]
        readable: set[str] = set()
        if declaration.confidential_to is not None:
            pks = [pk for pk in {e.object_id for e in group} if pk.isdigit()]
            readable = {
                str(pk)
                for pk in declaration.confidential_to(user)
                .filter(pk__in=pks)
                .order_by()
                .values_list("pk", flat=True)
            }
        for entry in group:
            if entry.object_id not in readable:
                found[entry.pk] = declaration.confidential[entry.action]
    return found


def shown_payload(payload: Mapping[str, Any], withheld: Iterable[str]) -> dict[str, Any]:
    """The payload without the ``withheld`` keys it has."""
    hidden = set(withheld)
    return {k: v for k, v in payload.items() if k not in hidden}


def same_value(recorded: Any, current: Any) -> bool:
    """Whether ``current`` (a ``values()`` value) is what an entry recorded as
    ``recorded`` (read back from canonical JSON: dates as text, decimals as text)."""
    if isinstance(current, bool) or current is None:
        return recorded is current or recorded == current
    if isinstance(current, Decimal | float | int):
        if isinstance(recorded, bool):
            return False
        try:
            return Decimal(str(recorded)) == Decimal(str(current))
        except (InvalidOperation, ValueError):
            return False
    if isinstance(current, dt.date):
        return bool(recorded == current.isoformat())
    if isinstance(current, Mapping):
        return (
            isinstance(recorded, Mapping)
            and set(recorded) == {str(k) for k in current}
            and all(same_value(recorded[str(k)], v) for k, v in current.items())
        )
    if isinstance(current, list | tuple):
        return (
            isinstance(recorded, list)
            and len(recorded) == len(current)
            and all(same_value(r, c) for r, c in zip(recorded, current, strict=True))
        )
    return bool(recorded == json_value(current))


def shown(value: Any) -> str:
    text = canonical_json(json_value(value))
    return text if len(text) <= 200 else text[:199] + "…"


@dataclass
class _Tracked:
    """One recorded object of the chain: field -> (seq of the last entry, value)."""

    created: int
    values: dict[str, tuple[int, Any]]
    #: (recorded_at, payload) of the last entry that set its fields in this chain.
    last: tuple[Any, str]


def _step_digest(step: str, on: str, data: Any, document_number: str) -> str:
    return sm3_hex(
        canonical_json(
            {"step": step, "on": on, "data": data, "document_number": document_number}
        ).encode()
    )


#: The SM3 of an archived case's file as of its archiving day; registered by the cases
#: app (``CasesConfig.ready``), since ``records`` imports no domain app.
_archived_file_digest: Callable[[Any], str] | None = None
#: The SM3 of what an archived case owns (``case_sm3`` of its ``case.archive`` entry).
_archived_sections_digest: Callable[[Any], str] | None = None


def register_archived_file_digest(
    fn: Callable[[Any], str], sections: Callable[[Any], str] | None = None
) -> None:
    global _archived_file_digest, _archived_sections_digest
    _archived_file_digest = fn
    _archived_sections_digest = sections


@dataclass(frozen=True)
class CaseRecord:
    """What ``verify`` needs to know of a case row (registered by the cases app,
    ``cases.recorded``): the opening fields and their digest, the status the entries
    imply, the officer rows a step adds."""

    opened_fields: tuple[str, ...]
    opened_digest: Callable[[Mapping[str, Any]], str]
    opened_status: Callable[[str], str]
    status_after: Callable[[str, str, Mapping[str, Any]], str]
    step_officers: Callable[[str, str, Mapping[str, Any]], set[tuple[str, str]]]


_case_record: CaseRecord | None = None


def register_case_record(record: CaseRecord) -> None:
    global _case_record
    _case_record = record


@dataclass
class DomainCollector:
    """Fed each verified entry of one organ's chain; then :meth:`check` the rows."""

    cases: dict[str, int] = field(default_factory=dict)  # case pk -> seq of open/import
    imported: set[str] = field(default_factory=set)
    #: case pk -> what its ``case.open`` recorded (case_id, procedure, power, opened_sm3)
    opened: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: case pk -> (seq of the last entry that set it, the status the entries imply)
    status: dict[str, tuple[int, str]] = field(default_factory=dict)
    steps: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    #: case pk -> (seq, casefile_sm3, case_sm3 or None for an entry written before it)
    archives: dict[str, tuple[int, str, str | None]] = field(default_factory=dict)
    #: The recorded objects created in the chain: object type -> pk -> what it recorded.
    objects: dict[str, dict[str, _Tracked]] = field(default_factory=dict)
    #: object type -> the highest ID read before the chain's head (``rows_until``).
    until_rows: dict[str, int] = field(default_factory=dict)
    #: action -> (declaration, "create" | "update" | "end", reader)
    dispatch: dict[str, list[tuple[RecordedObject, str, EntryReader | None]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        for declaration in recorded_objects():
            for action, reader in declaration.creates.items():
                self.dispatch.setdefault(action, []).append((declaration, "create", reader))
            for action, reader in declaration.updates.items():
                self.dispatch.setdefault(action, []).append((declaration, "update", reader))
            for action, reader in declaration.handovers.items():
                self.dispatch.setdefault(action, []).append((declaration, "handover", reader))
            for action, reader in declaration.creates_on_other.items():
                self.dispatch.setdefault(action, []).append((declaration, "handover", reader))
            for action in declaration.ends:
                self.dispatch.setdefault(action, []).append((declaration, "end", None))

    def feed(
        self,
        seq: int,
        action: str,
        object_type: str,
        object_id: str,
        payload: str,
        recorded_at: Any = None,
    ) -> None:
        handlers = self.dispatch.get(action)
        if handlers:
            self._feed_objects(seq, action, handlers, object_type, object_id, payload, recorded_at)
        if object_type != CASE or not action.startswith("case."):
            return
        if action in ("case.open", "case.import"):
            self.cases.setdefault(object_id, seq)
            if action == "case.import":
                self.imported.add(object_id)
                return
            body = json.loads(payload)
            if isinstance(body, Mapping):
                self.opened[object_id] = {
                    k: body.get(k) for k in ("case_id", "procedure", "power", "opened_sm3")
                }
                self.opened[object_id]["seq"] = seq
                if _case_record is not None:
                    procedure = str(body.get("procedure", ""))
                    self.status[object_id] = (seq, _case_record.opened_status(procedure))
            return
        body = json.loads(payload)
        if object_id in self.status and isinstance(body, Mapping) and _case_record is not None:
            before = self.status[object_id][1]
            after = _case_record.status_after(before, action, body)
            if after != before:
                self.status[object_id] = (seq, after)
        if action == "case.archive":
            owned = body.get("case_sm3")
            self.archives[object_id] = (
                seq,
                str(body.get("casefile_sm3", "")),
                owned if isinstance(owned, str) else None,
            )
            return
        if isinstance(body.get("index"), int) and "data" in body:
            digest = _step_digest(
                action.removeprefix("case."),
                str(body.get("on", "")),
                body["data"],
                str(body.get("document_number", "")),
            )
            self.steps[(object_id, body["index"])] = (seq, digest)

    def _feed_objects(
        self,
        seq: int,
        action: str,
        handlers: list[tuple[RecordedObject, str, EntryReader | None]],
        object_type: str,
        object_id: str,
        payload: str,
        recorded_at: Any,
    ) -> None:
        body = json.loads(payload)
        if not isinstance(body, Mapping):
            return
        for declaration, kind, reader in handlers:
            tracked = self.objects.setdefault(declaration.object_type, {})
            if kind == "end":
                leaves = declaration.ends[action]
                for pk in [
                    pk
                    for pk, t in tracked.items()
                    if leaves(object_id, body, pk, {n: v for n, (_s, v) in t.values.items()})
                ]:
                    del tracked[pk]
                continue
            assert reader is not None
            for pk, values in reader(object_id, body):
                kept = {
                    n: (seq, v)
                    for n, v in values.items()
                    if n in declaration.fields or n in declaration.many
                }
                if kind == "handover" or (
                    kind == "create" and object_type == declaration.object_type
                ):
                    tracked[pk] = _Tracked(seq, kept, (recorded_at, payload))
                elif pk in tracked:
                    tracked[pk].values.update(kept)
                    tracked[pk].last = (recorded_at, payload)

    def _superseded(self, declaration: RecordedObject, organ_id: int, pks: list[str]) -> set[str]:
        """The objects of a shared type that another chain recorded a later, different
        change of (this chain's values are then not the last word)."""
        from .models import Entry

        tracked = self.objects[declaration.object_type]
        actions = [*declaration.creates, *declaration.updates]
        found: set[str] = set()
        for start in range(0, len(pks), BATCH):
            rows = (
                Entry.objects.filter(
                    object_type=declaration.object_type,
                    object_id__in=pks[start : start + BATCH],
                    action__in=actions,
                )
                .exclude(organ_id=organ_id)
                .order_by()
                .values_list("object_id", "recorded_at", "payload")
            )
            for pk, at, payload in rows.iterator(chunk_size=BATCH):
                last_at, last_payload = tracked[pk].last
                if last_at is not None and at > last_at and payload != last_payload:
                    found.add(pk)
        return found

    def _current_rows(
        self, declaration: RecordedObject, pks: list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """The current recorded fields of the objects ``pks``, in batches: one query for
        the rows and one per many-valued field."""
        model = apps.get_model(declaration.model)
        lookups = dict(declaration.fields)
        for start in range(0, len(pks), BATCH):
            chunk = model._default_manager.filter(pk__in=pks[start : start + BATCH])
            rows: dict[str, dict[str, Any]] = {}
            names = list(lookups)
            values = chunk.order_by().values_list(
                "pk", declaration.title, *(lookups[n] for n in names)
            )
            for pk, title, *found in values.iterator(chunk_size=BATCH):
                rows[str(pk)] = {"__title__": title, **dict(zip(names, found, strict=True))}
            for name, many in declaration.many.items():
                items: dict[str, list[Any]] = {}
                for pk, item in many.read(chunk):
                    items.setdefault(str(pk), []).append(item)
                for pk, row in rows.items():
                    row[name] = many.combine(items.get(pk, []))
            yield from rows.items()

    def _check_objects(self, organ_id: int) -> tuple[int, str] | None:
        """Each recorded object created in this chain against its row (see the module's
        docstring)."""
        problems: list[tuple[int, str]] = []
        for declaration in recorded_objects():
            tracked = self.objects.get(declaration.object_type)
            if not tracked:
                continue
            pks = sorted(tracked, key=lambda k: (len(k), k))
            if declaration.shared:
                skip = self._superseded(declaration, organ_id, pks)
                pks = [pk for pk in pks if pk not in skip]
            seen: set[str] = set()
            for pk, row in self._current_rows(declaration, pks):
                seen.add(pk)
                recorded = tracked[pk]
                for name, (seq, value) in sorted(recorded.values.items()):
                    if name not in row or same_value(value, row[name]):
                        continue
                    who = declaration.describe.format(
                        noun=declaration.noun, title=row["__title__"], pk=pk, field=name
                    )
                    problems.append(
                        (
                            seq,
                            f"{who} differs from its record entry (recorded {shown(value)}, "
                            f"now {shown(row[name])}): changed outside the record",
                        )
                    )
                    break
            for pk in pks:
                if pk not in seen:
                    recorded = tracked[pk]
                    title = recorded.values.get(declaration.title, (0, None))[1]
                    who = (
                        f"{declaration.noun} {title} (ID {pk})"
                        if title
                        else (f"{declaration.noun} ID {pk}")
                    )
                    problems.append(
                        (
                            recorded.created,
                            f"{who} recorded at "
                            f"{recorded.created} was deleted (no record entry says so)",
                        )
                    )
        return min(problems) if problems else None

    def rows_until(self, organ_id: int) -> None:
        """Read, before the chain's head, the highest ID of each type whose every row
        the chain records (``RecordedObject.every_row``): a row and its entry are
        written in one transaction, so the rows up to it have their entries within the
        head; rows added while ``verify`` runs are the next run's."""
        from django.db.models import Max

        for declaration in recorded_objects():
            if declaration.every_row:
                model = apps.get_model(declaration.model)
                top = model._default_manager.filter(**{declaration.every_row: organ_id}).aggregate(
                    top=Max("pk")
                )["top"]
                self.until_rows[declaration.object_type] = int(top or 0)

    def _check_every_row(self, organ_id: int) -> tuple[int, str] | None:
        """A row of a type the chain records every row of, without its entry."""
        for declaration in recorded_objects():
            until = self.until_rows.get(declaration.object_type)
            if not until:
                continue
            tracked = self.objects.get(declaration.object_type, {})
            model = apps.get_model(declaration.model)
            rows = (
                model._default_manager.filter(**{declaration.every_row: organ_id}, pk__lte=until)
                .order_by("pk")
                .values_list("pk", declaration.title)
            )
            for pk, title in rows.iterator(chunk_size=BATCH):
                if str(pk) not in tracked:
                    return 1, (
                        f"{declaration.noun} {title} (ID {pk}) has no record entry (added "
                        "outside the record)"
                    )
        return None

    def check(self, organ_id: int, until_case: int) -> tuple[int, str] | None:
        """The first difference as (sequence number, message), or None. Case rows
        above ``until_case`` (created while ``verify`` ran) are the next run's."""
        found = self._check_objects(organ_id) or self._check_every_row(organ_id)
        if found is not None or not apps.is_installed("zhifa.cases"):
            return found
        return (
            self._check_cases(organ_id, until_case)
            or self._check_steps(organ_id)
            or self._check_case_officers(organ_id)
            or self._check_archives(organ_id)
        )

    def _check_case_officers(self, organ_id: int) -> tuple[int, str] | None:
        """The officer rows of each case opened on the platform are those its steps
        name (reference ``O<officer ID>`` in its role, no conflict of interest): one
        streamed query."""
        named = getattr(self, "named", {})
        model = apps.get_model("cases", "CaseOfficer")
        rows = (
            model.objects.filter(case__organ_id=organ_id)
            .order_by("case_id", "pk")
            .values_list("case_id", "case__case_id", "ref", "role", "officer_id")
        )
        found: dict[str, set[tuple[str, str]]] = {}
        titles: dict[str, str] = {}
        for case_pk, case_id, ref, role, officer_id in rows.iterator(chunk_size=BATCH):
            key = str(case_pk)
            if key not in self.opened:
                continue
            titles[key] = case_id
            if ref != f"O{officer_id}" or (ref, role) not in named.get(key, set()):
                return int(self.opened[key]["seq"]), (
                    f"case {case_id} officer {ref} ({role}) is not one its steps name "
                    "(added or changed outside the record)"
                )
            found.setdefault(key, set()).add((ref, role))
        for key in sorted(named, key=int):
            missing = named[key] - found.get(key, set())
            if key in self.opened and missing:
                ref, role = sorted(missing)[0]
                return int(self.opened[key]["seq"]), (
                    f"case {titles.get(key, 'ID ' + key)} officer {ref} ({role}) named by its "
                    "steps was deleted"
                )
        return None

    def _check_cases(self, organ_id: int, until_case: int) -> tuple[int, str] | None:
        case_model = apps.get_model("cases", "Case")
        seen: set[str] = set()
        rows = case_model.objects.filter(organ_id=organ_id).order_by("pk")
        opened_fields = _case_record.opened_fields if _case_record is not None else ()
        names = ("pk", "case_id", "status", *opened_fields)
        for values in rows.values(*names).iterator(chunk_size=BATCH):
            pk, case_id = values["pk"], values["case_id"]
            key = str(pk)
            if key not in self.cases:
                if pk > until_case:
                    continue
                return 1, f"case {case_id} (ID {pk}) has no record entry (added outside the record)"
            seen.add(key)
            opened = self.opened.get(key)
            if opened is None or _case_record is None:
                continue
            problem = self._check_opened(case_id, pk, values, opened)
            if problem is not None:
                return problem
        for key in sorted(set(self.cases) - seen, key=int):
            return self.cases[key], f"case ID {key} recorded at {self.cases[key]} was deleted"
        return None

    def _check_opened(
        self, case_id: str, pk: Any, values: Mapping[str, Any], opened: Mapping[str, Any]
    ) -> tuple[int, str] | None:
        """A case opened on the platform against its ``case.open`` entry (the fields the
        opening fixed) and its later entries (the status they imply)."""
        assert _case_record is not None
        seq = int(opened["seq"])
        recorded = opened.get("opened_sm3")
        if isinstance(recorded, str):
            if _case_record.opened_digest(values) != recorded:
                return seq, (
                    f"case {case_id} (ID {pk}) differs from its case.open entry (its party, "
                    "violation, basis, power or procedure was changed outside the record)"
                )
        else:  # an entry written before opened_sm3: what it recorded
            for name in ("case_id", "procedure", "power"):
                if opened.get(name) is not None and opened[name] != values[name]:
                    return seq, (
                        f"case {case_id} (ID {pk}): {name} differs from its case.open entry "
                        f"(recorded {shown(opened[name])}, now {shown(values[name])}): "
                        "changed outside the record"
                    )
        implied = self.status.get(str(pk))
        if implied is not None and implied[1] != values["status"]:
            return implied[0], (
                f"case {case_id} (ID {pk}): status {values['status']} is not what its entries "
                f"imply ({implied[1]}): changed outside the record"
            )
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
        #: case pk -> the (reference, role) officer rows its steps imply
        self.named: dict[str, set[tuple[str, str]]] = {}
        for case_pk, case_id, index, step, on, data, number in self._step_rows(organ_id):
            key = (str(case_pk), index)
            opened = self.opened.get(key[0])
            if opened is not None and _case_record is not None and isinstance(data, Mapping):
                self.named.setdefault(key[0], set()).update(
                    _case_record.step_officers(str(opened.get("procedure")), step, data)
                )
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
            seq, digest, owned = recorded
            if case.archive_digest != digest:
                return seq, (
                    f"case {case.case_id}: archive_digest differs from the digest recorded "
                    "when it was archived (edited)"
                )
            if owned is not None:
                if (
                    _archived_sections_digest is not None
                    and _archived_sections_digest(case) != owned
                ):
                    return seq, (
                        f"case {case.case_id}: what the case owns (its party, violation, "
                        "power, officers, steps…) no longer has the digest recorded when it "
                        "was archived (changed after archiving)"
                    )
            elif _archived_file_digest is not None and _archived_file_digest(case) != digest:
                return seq, (
                    f"case {case.case_id}: its case file no longer has the digest recorded "
                    "when it was archived (the case, a party or a step changed after archiving)"
                )
        for key, (seq, _digest, _owned) in sorted(self.archives.items()):
            if key not in still:
                return seq, f"case ID {key} was archived at {seq} but is no longer archived"
        return None

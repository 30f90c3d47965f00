"""The one mapping between a stored case and the case-file format v1
(docs/adr/0005-case-model.md): ``export_document`` builds the document from the rows,
``case_file`` is the engine's ``CaseFile`` of that document. The workflow guard, the
deadlines and the export all go through here."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import Role
from zhifa.catalogue.services import bands_in_force, bands_in_versions, published_versions
from zhifa.core.validation import text_problems
from zhifa.registry.facts import CertificateFacts, Certificates, certificate_facts
from zhifa.registry.models import Officer
from zhifa.rules.engine import CaseFile
from zhifa.rules.engine.casefile import FORMAT

from .models import Case, CaseOfficer, CaseStep, OfficerRole, Suspension
from .validation import case_problems, step_problems

#: Format certificate statuses; an expired certificate keeps "valid" with its end date.
_CERTIFICATE_STATUSES = ("suspended", "revoked")


def is_prefetched(obj: Any, name: str) -> bool:
    """Whether ``obj.<name>`` was loaded by ``prefetch_related`` (list pages)."""
    return name in getattr(obj, "_prefetched_objects_cache", {})


def prefetch(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """``queryset`` with everything ``export_document`` reads but the certificates, so
    that building the documents of a page of cases (their deadlines, next steps) costs a
    fixed number of queries however many cases the page shows; the page's certificates
    come in one more query (``load_certificates``)."""
    return queryset.select_related("organ__region", "power_item").prefetch_related(
        "steps",
        "suspensions",
        "organ__power_items",
        Prefetch("case_officers", queryset=CaseOfficer.objects.select_related("officer__user")),
    )


#: Where ``load_certificates`` keeps a case's certificate facts (the way
#: ``prefetch_related`` keeps its cache on the instance).
_LOADED = "_certificate_facts"


def load_certificates(cases: Iterable[Case]) -> None:
    """Load the certificates of the officers of every case in ``cases`` (a page of
    cases, read with ``prefetch``) in one query (``registry.facts.certificate_facts``)
    and keep each case's with the case, where ``export_document`` reads them."""
    cases = list(cases)
    rows = {case.pk: officer_rows(case) for case in cases}
    facts = certificate_facts(
        r.officer_id for found in rows.values() for r in found if r.officer_id is not None
    )
    for case in cases:
        setattr(
            case,
            _LOADED,
            {r.officer_id: facts[r.officer_id] for r in rows[case.pk] if r.officer_id is not None},
        )


#: Where ``load_chunk`` keeps a case's published benchmark versions and its legal
#: reviews' earlier reviews (read for a whole chunk of the sweep at once).
_VERSIONS = "_benchmark_versions"
_EARLIER = "_earlier_reviews"


def load_chunk(cases: Sequence[Case]) -> None:
    """Read for a chunk of cases (the sweep's, read with ``prefetch`` and
    ``load_certificates``) what ``build_document`` otherwise asks once per case, in three
    queries for the chunk: the published benchmark versions of their power items
    (``_benchmark_published``: once per power item, not per decided case) and, for each
    legal review of the chunk's cases, whether its reviewer reviewed another case of the
    organ before (``first_time_reviewers``: the same EXISTS, asked in one statement)."""
    items = {
        c.power_item_id
        for c in cases
        if c.power_item_id is not None and c.benchmark is None and not c.imported
    }
    versions = published_versions(items) if items else {}
    earlier: dict[int, dict[tuple[str, dt.date], bool]] = {c.pk: {} for c in cases}
    others = CaseStep.objects.filter(
        step="legal_review",
        case__organ_id=OuterRef("case__organ_id"),
        case__imported=False,
        data__reviewer=OuterRef("data__reviewer"),
        on__lt=OuterRef("on"),
    ).exclude(case_id=OuterRef("case_id"))
    for case_id, reviewer, on, found in (
        CaseStep.objects.filter(step="legal_review", case_id__in=list(earlier))
        .annotate(reviewer_ref=KT("data__reviewer"), earlier=Exists(others))
        .values_list("case_id", "reviewer_ref", "on", "earlier")
    ):
        if isinstance(reviewer, str):
            earlier[case_id][(reviewer, on)] = bool(found)
    for case in cases:
        if case.power_item_id in versions:
            setattr(case, _VERSIONS, versions[case.power_item_id])
        setattr(case, _EARLIER, earlier[case.pk])


def case_certificates(case: Case, rows: Sequence[CaseOfficer]) -> Certificates:
    """The certificates of the case's officers (``rows``): those ``load_certificates``
    kept with the case, else one query (``registry.facts.certificate_facts``)."""
    loaded: Certificates | None = getattr(case, _LOADED, None)
    if loaded is not None:
        return loaded
    return certificate_facts(r.officer_id for r in rows if r.officer_id is not None)


def ordered_steps(case: Case) -> list[CaseStep]:
    """The case's steps in order (from the prefetch cache when there is one)."""
    if is_prefetched(case, "steps"):
        return sorted(case.steps.all(), key=lambda s: s.index)
    return list(case.steps.order_by("index"))


def officer_ref(officer: Officer) -> str:
    """The id a registry officer has in the steps of a case file."""
    return f"O{officer.pk}"


def clock_window(
    case: Case, steps: Sequence[tuple[str, dt.date]]
) -> tuple[dt.date | None, dt.date | None]:
    """The days the case clock runs for the decision period (APL 60): from the
    registration (a summary case, which has none: from the discovery of the violation)
    to the first decision after it (``None``: not decided yet). The start is ``None``
    while a general case is not registered (no day counts yet)."""
    start: dt.date | None = None
    begin = 0
    if case.procedure == "general":
        begin = next((i for i, (name, _on) in enumerate(steps) if name == "registered"), -1)
        start = steps[begin][1] if begin >= 0 else None
    else:
        discovered = (case.violation or {}).get("discovered_on")
        start = dt.date.fromisoformat(discovered) if discovered else None
    if start is None:
        return None, None
    end = next((on for name, on in steps[begin:] if name == "decision"), None)
    return start, end


def suspended_days(
    suspensions: Sequence[Suspension],
    as_of: dt.date,
    window: tuple[dt.date | None, dt.date | None] | None = None,
) -> int:
    """Calendar days the case clock stood still: each suspension from its first day to
    the day before it ended (resumed on ``end``); an open one up to ``as_of``. With
    ``window`` (``clock_window``: from the registration to the first decision, where the
    decision period runs) only the days inside it count — none when it has no start (a
    general case not registered). A day covered by two suspensions counts once."""
    low, high = window if window is not None else (None, None)
    if window is not None and low is None:
        return 0
    spans = []
    for s in suspensions:
        first = s.start if low is None else max(s.start, low)
        last = s.end or max(as_of, s.start)  # the day it resumed: not suspended
        if high is not None:
            last = min(last, high)
        if last > first:
            spans.append((first, last))
    total = 0
    reached: dt.date | None = None
    for first, last in sorted(spans):
        if reached is not None:
            first = max(first, reached)
        if last > first:
            total += (last - first).days
        reached = last if reached is None else max(reached, last)
    return total


def _certificate(certificates: Sequence[CertificateFacts], on: dt.date) -> dict[str, Any] | None:
    """The one certificate the format carries: the one valid on ``on`` (the officer's
    last act in the case, see ``_last_acts``), else the latest. ``certificates`` are the
    officer's in ``Certificate`` order."""
    if not certificates:
        return None
    current = [c for c in certificates if c.valid_from <= on <= c.valid_to]
    chosen = (current or sorted(certificates, key=lambda c: (c.valid_to, c.pk)))[-1]
    status = chosen.status_on(on) if on >= chosen.valid_from else chosen.status
    return {
        "number": chosen.number,
        "valid_from": chosen.valid_from.isoformat(),
        "valid_to": chosen.valid_to.isoformat(),
        "status": status if status in _CERTIFICATE_STATUSES else "valid",
    }


#: The step fields that name officers (case-file-format.md).
OFFICER_FIELDS = ("by", "officers", "approved_by", "host", "reviewer")


def _last_acts(steps: list[dict[str, Any]]) -> dict[str, dt.date]:
    """Each officer's last acting date in the steps."""
    last: dict[str, dt.date] = {}
    for step in steps:
        on = dt.date.fromisoformat(step["on"])
        for field in OFFICER_FIELDS:
            value = step.get(field)
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, str) and (ref not in last or last[ref] < on):
                    last[ref] = on
    return last


def officer_rows(case: Case) -> list[CaseOfficer]:
    """The case's officer rows in ``pk`` order, with their officers (one query, or none
    when prefetched); their certificates: ``case_certificates``."""
    if is_prefetched(case, "case_officers"):
        return sorted(case.case_officers.all(), key=lambda r: r.pk)
    return list(
        CaseOfficer.objects.filter(case=case).select_related("officer__user").order_by("pk")
    )


def officer_rows_flat(
    case: Case, also: Iterable[int] = ()
) -> tuple[list[CaseOfficer], dict[int, list[CertificateFacts]]]:
    """``officer_rows`` for one case read afresh (``add_step``, on every step, under the
    case's lock): the rows with their officers in one query, the officers' certificates
    and status history in one more (``certificate_facts``), with those of the officers
    ``also`` (the ones a step is about to link: no second certificate query then). Pass
    both to ``build_document``."""
    rows = list(
        CaseOfficer.objects.filter(case=case).select_related("officer__user").order_by("pk")
    )
    return rows, certificate_facts(
        [*(r.officer_id for r in rows if r.officer_id is not None), *also]
    )


def first_time_reviewers(
    case: Case, rows: Sequence[CaseOfficer], steps: Sequence[Mapping[str, Any]]
) -> set[str]:
    """The case's legal reviewers (registry officers) reviewing for the first time
    (APL 58: 初次从事法制审核): no legal review of another case of the organ names them
    before their first review of this one. The registry does not record when an officer
    took up legal review work, so the platform's own records count (docs/rules.md,
    judgment calls). One query per reviewer, none when the case has no registry reviewer."""
    refs = {r.ref for r in rows if r.role == OfficerRole.REVIEWER and r.officer_id is not None}
    first: dict[str, dt.date] = {}
    for step in steps:
        ref = step.get("reviewer")
        if step.get("step") == "legal_review" and ref in refs:
            on = dt.date.fromisoformat(step["on"])
            first[ref] = min(first.get(ref, on), on)
    if not first:
        return set()
    loaded: dict[tuple[str, dt.date], bool] | None = getattr(case, _EARLIER, None)
    if loaded is not None and all(item in loaded for item in first.items()):
        return {ref for ref, on in first.items() if not loaded[(ref, on)]}
    # One query per reviewer (a case has one or two), each stopping at the first
    # earlier review (index case_step_reviewer_on).
    organ_reviews = CaseStep.objects.filter(
        step="legal_review", case__organ_id=case.organ_id, case__imported=False
    ).exclude(case_id=case.pk)
    return {
        ref
        for ref, on in first.items()
        if not organ_reviews.filter(data__reviewer=ref, on__lt=on).exists()
    }


def _organ_head(officer: Officer) -> bool:
    """Whether the officer is a head of the organ (行政机关负责人): the account linked to
    the officer holds the organ-head role (ACL-18-approval)."""
    user = officer.user
    return user is not None and user.role == Role.ORGAN_HEAD and user.organ_id == officer.organ_id


def _officers(
    rows: list[CaseOfficer],
    on: dt.date,
    steps: list[dict[str, Any]],
    certificates: Certificates,
    first_time: set[str] | frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    last = _last_acts(steps)
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.ref in out:
            out[row.ref]["conflict_of_interest"] |= row.conflict_of_interest
            continue
        if row.officer is None:
            out[row.ref] = dict(row.snapshot or {"id": row.ref, "name": row.ref})
            out[row.ref].setdefault("conflict_of_interest", row.conflict_of_interest)
            continue
        officer = row.officer
        held = certificates.get(officer.pk, ())
        out[row.ref] = {
            "id": row.ref,
            "name": officer.name,
            "certificate": _certificate(held, last.get(row.ref, on)),
            "auxiliary": officer.is_auxiliary,
            "legal_qualification": officer.legal_qualification,
            "first_time_reviewer": row.ref in first_time,
            "conflict_of_interest": row.conflict_of_interest,
            "organ_head": _organ_head(officer),
        }
    return list(out.values())


def agency_powers(case: Case) -> list[str] | None:
    """The power codes of the case's organ for its ``agency`` section (``None`` when
    the case keeps an imported ``agency``: no query then)."""
    if case.agency is not None:
        return None
    organ = case.organ
    if is_prefetched(organ, "power_items"):
        return sorted(p.code for p in organ.power_items.all())
    return sorted(organ.power_items.values_list("code", flat=True))


def _agency(case: Case, powers: list[str] | None) -> dict[str, Any]:
    if case.agency is not None:
        return dict(case.agency)
    organ = case.organ
    return {
        "name": organ.name,
        "region_code": organ.region.code,
        "subject_type": organ.subject_type,
        "powers": powers,
    }


def _party(case: Case) -> dict[str, Any]:
    party: dict[str, Any] = {"type": case.party_type, "name": case.party_name}
    if case.party_birth_date:
        party["birth_date"] = case.party_birth_date.isoformat()
    if case.party_id_number:
        party["id_number"] = case.party_id_number
    if case.party_uscc:
        party["uscc"] = case.party_uscc
    if case.party_vulnerable:
        party["vulnerable"] = True
    return party


def _power_kind(case: Case) -> dict[str, str]:
    """The format's ``power_kind`` (POWER-kind): an imported case keeps the one it was
    imported with; otherwise the category of the case's power item."""
    if case.power_kind:
        return {"power_kind": case.power_kind}
    if case.power_item is not None:
        return {"power_kind": case.power_item.category}
    return {}


def step_document(step: str, on: dt.date, data: dict[str, Any]) -> dict[str, Any]:
    return {"step": step, "on": on.isoformat(), **data}


def export_document(
    case: Case, as_of: dt.date | None = None, proposed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The case as a ``zhifa-casefile/1`` document (valid against the schema).

    ``as_of`` is the day the document speaks for (default today in the site's time
    zone, ``timezone.localdate()``): it counts an open suspension. ``proposed`` is a
    step about to be added (the workflow guard), appended last. The format has one
    certificate per officer: each officer's is the one valid on their last act in the
    case (as_of when they have not acted), so a renewed certificate does not make
    earlier acts look unqualified. The certificates: ``case_certificates`` (one query,
    none for a case of a page read with ``load_certificates``)."""
    rows = officer_rows(case)
    return build_document(
        case,
        day=as_of or timezone.localdate(),
        proposed=proposed,
        steps=ordered_steps(case),
        suspensions=list(case.suspensions.all()),
        rows=rows,
        powers=agency_powers(case),
        certificates=case_certificates(case, rows),
    )


def build_document(
    case: Case,
    *,
    day: dt.date,
    proposed: dict[str, Any] | None,
    steps: list[CaseStep],
    suspensions: list[Suspension],
    rows: list[CaseOfficer],
    powers: list[str] | None,
    certificates: Certificates,
) -> dict[str, Any]:
    """``export_document`` from rows the caller already loaded (``add_step`` loads them
    once under the case's lock): ``steps`` in order, ``rows`` from ``officer_rows``,
    ``powers`` from ``agency_powers``, ``certificates`` from ``case_certificates`` or
    ``officer_rows_flat``. No query but ``first_time_reviewers`` (one, for a case with
    a registry reviewer)."""
    settings: dict[str, Any] = dict(case.settings)
    dated = [(st.step, st.on) for st in steps]
    if proposed is not None:
        dated.append((proposed["step"], dt.date.fromisoformat(proposed["on"])))
    excluded = suspended_days(suspensions, day, clock_window(case, dated))
    if excluded:
        settings["decision_excluded_days"] = settings.get("decision_excluded_days", 0) + excluded
    published = _benchmark_published(case, dated)
    if published is not None:
        settings["benchmark_published"] = published
    document: dict[str, Any] = {
        "format": FORMAT,
        "case_id": case.case_id,
        "kind": case.kind,
        "procedure": case.procedure,
        "as_of": day.isoformat(),
        "settings": settings,
        "agency": _agency(case, powers),
        "power": case.power,
        **_power_kind(case),
        "party": _party(case),
        "violation": case.violation,
        "basis": case.basis,
    }
    if case.benchmark is not None:
        document["benchmark"] = case.benchmark
    # A step's number (文号) travels with it (the format's ``document_number``): the
    # registered step carries the case number (立案号), while ``case_id`` stays the
    # source number the case was entered with (docs/adr/0009-source-and-case-numbers.md).
    documents = [
        {**step_document(s.step, s.on, s.data), "document_number": s.document_number}
        if s.document_number
        else step_document(s.step, s.on, s.data)
        for s in steps
    ]
    if proposed is not None:
        documents.append(proposed)
    document["officers"] = _officers(
        rows,
        day,
        documents,
        certificates,
        first_time_reviewers(case, rows, documents),
    )
    document["steps"] = documents
    return document


def _benchmark_published(case: Case, steps: Sequence[tuple[str, dt.date]]) -> bool | None:
    """``settings.benchmark_published``: whether the case's power item has a published
    discretion benchmark band in force on the day of the case's first decision
    (DISC-benchmark). Said only for a case with a decision and no ``benchmark`` (the
    rule needs it then), so that other cases cost no query; an imported case keeps the
    settings it was imported with."""
    if case.benchmark is not None or case.power_item is None or case.imported:
        return None
    decided = next((on for name, on in steps if name == "decision"), None)
    if decided is None:
        return None
    versions = getattr(case, _VERSIONS, None)
    if versions is not None:
        return bool(bands_in_versions(versions, decided))
    return bool(bands_in_force(case.power_item, decided))


def case_file(case: Case, as_of: dt.date | None = None) -> CaseFile:
    """The engine's ``CaseFile`` of the stored case: the export, read back."""
    return CaseFile.from_dict(export_document(case, as_of))


# --- bounds of an imported document ----------------------------------------------------------

#: Text of a case file stored in a bounded column: its path and the column.
_BOUNDED_TEXT: tuple[tuple[tuple[str, ...], Any], ...] = (
    (("case_id",), Case._meta.get_field("case_id")),
    (("power",), Case._meta.get_field("power")),
    (("power_kind",), Case._meta.get_field("power_kind")),
    (("party", "name"), Case._meta.get_field("party_name")),
    (("party", "id_number"), Case._meta.get_field("party_id_number")),
    (("party", "uscc"), Case._meta.get_field("party_uscc")),
)


def _non_finite(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in _non_finite(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_finite(v, (*path, i))]
    return []


def import_bound_errors(document: Mapping[str, Any]) -> list[str]:
    """What keeps a valid case-file document from being stored as it is, one message
    a problem, each naming its path: text that is not text (``text_problems``: NUL,
    control characters, lone surrogates), numbers that are not finite (``1e400``), and
    text longer than the column that stores it (``case_id`` over 128 characters). The
    import refuses such a document whole, with these messages, on every database."""

    def name(path: Sequence[str | int]) -> str:
        return ".".join(str(p) for p in path) or "$"

    errors = [f"{name(path)}: {problem}" for path, problem in text_problems(dict(document))]
    not_finite = _("not a finite number")
    errors.extend(f"{name(path)}: {not_finite}" for path in _non_finite(dict(document)))
    for path, field in _BOUNDED_TEXT:
        value: Any = document
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, str) and len(value) > field.max_length:
            errors.append(
                f"{name(path)}: "
                + _("at most %(n)d characters (it has %(len)d)")
                % {"n": field.max_length, "len": len(value)}
            )

    # The plausibility checks of every entry point (cases.validation): dates from
    # 1949-10-01 to today, discovered not before occurred, birth date of the ID number,
    # names that show something, amounts below 10^12 yuan.
    def section(key: str) -> Mapping[str, Any]:
        value = document.get(key)
        return value if isinstance(value, Mapping) else {}

    problems = case_problems(
        party=section("party"),
        violation=section("violation"),
        basis=section("basis"),
        benchmark=section("benchmark"),
        today=timezone.localdate(),
    )
    errors.extend(f"{name(path)}: {problem}" for path, problem in problems)
    for index, step in enumerate(document.get("steps") or ()):
        if isinstance(step, Mapping):
            for path, problem in step_problems(step, timezone.localdate()):
                errors.append(f"{name(('steps', index, *path))}: {problem}")
    for index, officer in enumerate(document.get("officers") or ()):
        ref = officer.get("id") if isinstance(officer, Mapping) else None
        limit = CaseOfficer._meta.get_field("ref").max_length or 64
        if isinstance(ref, str) and len(ref) > limit:
            errors.append(
                f"officers.{index}.id: "
                + _("at most %(n)d characters (it has %(len)d)") % {"n": limit, "len": len(ref)}
            )
    return errors


# --- what an archived case owns ----------------------------------------------------------


def archived_sections(case: Case) -> dict[str, Any]:
    """What the case itself owns and the archiving freezes: the case's identity, number,
    procedure, party, violation, basis, benchmark, settings, power (the case's power id
    and its power item's ID), the officers as the case names them (reference, role,
    registry ID, conflict of interest, an imported officer's snapshot), the steps with
    their data, dates and document numbers (evidence references included) and the
    suspensions. Not what may lawfully change after archiving and that the case file
    reads from elsewhere: the organ's name and power list, an officer's name, roles and
    certificates (``export_document`` reads them as they are today)."""
    steps = [
        {
            "index": s.index,
            "step": s.step,
            "on": s.on.isoformat(),
            "data": s.data,
            "document_number": s.document_number,
        }
        for s in ordered_steps(case)
    ]
    officers = sorted(
        (
            {
                "ref": r.ref,
                "role": r.role,
                "officer": r.officer_id,
                "conflict_of_interest": r.conflict_of_interest,
                "snapshot": r.snapshot,
            }
            for r in CaseOfficer.objects.filter(case=case).order_by("pk")
        ),
        key=lambda o: (o["ref"], o["role"]),
    )
    suspensions = [
        {
            "start": s.start.isoformat(),
            "end": s.end.isoformat() if s.end else None,
            "reason": s.reason,
        }
        for s in case.suspensions.order_by("start", "pk")
    ]
    return {
        "case_id": case.case_id,
        "registration_number": case.registration_number,
        "kind": case.kind,
        "procedure": case.procedure,
        "source": case.source,
        "imported": case.imported,
        "power_item": case.power_item_id,
        "power": case.power,
        "power_kind": case.power_kind,
        "party": _party(case),
        "violation": case.violation,
        "basis": case.basis,
        "benchmark": case.benchmark,
        "settings": case.settings,
        "agency": case.agency,
        "officers": officers,
        "steps": steps,
        "suspensions": suspensions,
    }


def archived_sections_digest(case: Case) -> str:
    """The SM3 of ``archived_sections`` (canonical JSON): recorded at archiving as the
    ``case.archive`` entry's ``case_sm3`` and compared by ``records verify``. The one
    function both use."""
    from zhifa.records.canonical import canonical_json, sm3_hex

    return sm3_hex(canonical_json(archived_sections(case)).encode())

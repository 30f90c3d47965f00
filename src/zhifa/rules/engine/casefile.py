"""The typed case file (案卷): the internal representation every rule unit reads.

Built from a validated ``zhifa-casefile/1`` document by ``CaseFile.from_dict``; the case
workflow builds the same structure from its models; ``typed_case_file`` builds it from the
typed decoder's document, whose steps, penalties, officers and certificates it keeps as
they are (Structs that read as ``Step``, ``Penalty``, ``Officer``, ``Certificate``: see
``TypedStep``). All optional flags default to ``False`` / empty, so a rule never sees a
missing key.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from operator import attrgetter
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Union, get_args, get_origin

import msgspec

from .schematypes import Shape

FORMAT = "zhifa-casefile/1"

#: Penalty types that carry the hearing right in themselves (APL 63(1)(三)(四)).
HEARING_TYPES = frozenset(
    {"lower_qualification", "revoke_permit", "suspend_business", "closure", "restrict_practice"}
)


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _opt(d: Mapping[str, Any], key: str, default: Any) -> Any:
    """An optional field: absent and ``null`` both mean "not given" (case-file-format.md)."""
    value = d.get(key)
    return default if value is None else value


def without_nulls(value: Any) -> Any:
    """A copy of a document without the object members whose value is ``null``: an
    optional field given as ``null`` is the same as one left out."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@dataclass(frozen=True)
class Penalty:
    type: str
    amount: float | None = None


#: a penalty's type (``set(map(penalty_type, penalties))``: the types, in C)
penalty_type = attrgetter("type")


@dataclass(frozen=True)
class Certificate:
    number: str
    valid_from: dt.date
    valid_to: dt.date
    status: str

    def valid_on(self, day: dt.date) -> bool:
        return self.status == "valid" and self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    certificate: Certificate | None = None
    auxiliary: bool = False
    legal_qualification: bool = False
    first_time_reviewer: bool = False
    conflict_of_interest: bool = False
    #: ``organ_head`` (additive): the officer is a head of the organ (行政机关负责人), who
    #: approves coercive measures (ACL-18-approval); None when the file does not say
    organ_head: bool | None = None

    def qualified_on(self, day: dt.date) -> bool:
        """APL 42: a (non-auxiliary) officer with a certificate valid on ``day``
        (``Certificate.valid_on``, written out)."""
        if self.auxiliary:
            return False
        cert = self.certificate
        return (
            cert is not None and cert.status == "valid" and cert.valid_from <= day <= cert.valid_to
        )


@dataclass(frozen=True)
class Entrustment:
    written: bool
    published: bool
    valid_from: dt.date
    valid_to: dt.date
    powers: tuple[str, ...]


@dataclass(frozen=True)
class Agency:
    name: str
    subject_type: str
    powers: tuple[str, ...] = ()
    region_code: str = ""
    entrustment: Entrustment | None = None


@dataclass(frozen=True)
class Party:
    type: str
    name: str
    birth_date: dt.date | None = None
    id_number: str | None = None
    uscc: str | None = None
    vulnerable: bool = False


@dataclass(frozen=True)
class Violation:
    occurred_on: dt.date
    discovered_on: dt.date
    ended_on: dt.date | None = None
    life_health_or_finance_with_harm: bool = False
    harm: str | None = None
    first_offence: bool = False
    corrected_promptly: bool = False
    no_fault_proven: bool = False
    mitigating: tuple[str, ...] = ()
    major_public_interest: bool = False
    complex: bool = False
    in_review_catalogue: bool = False
    criminal_suspected: bool = False


@dataclass(frozen=True)
class Basis:
    law: str
    article: str
    penalty_types: tuple[str, ...]
    fine_min: float | None = None
    fine_max: float | None = None


@dataclass(frozen=True)
class Benchmark:
    circumstance: str
    fine_min: float | None = None
    fine_max: float | None = None
    reason_outside_band: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of the case. ``step`` is the kind (``registered``, ``decision`` …);
    the other fields are those the format defines for that kind (None when absent).
    A case file loaded from JSON holds ``TypedStep``s instead, which read the same."""

    step: str
    on: dt.date
    by: tuple[str, ...] = ()
    officers: tuple[str, ...] = ()
    certificates_shown: bool | None = None
    evidence: tuple[str, ...] = ()
    items: int | None = None
    days: int | None = None
    approved_by: str | None = None
    written: bool | None = None
    served_on: dt.date | None = None
    intended: tuple[Penalty, ...] = ()
    hearing_right_notified: bool | None = None
    signed: bool | None = None
    hearing_on: dt.date | None = None
    host: str | None = None
    public: bool | None = None
    reviewer: str | None = None
    result: str | None = None
    outcome: str | None = None
    penalties: tuple[Penalty, ...] = ()
    elements: tuple[str, ...] | None = None
    cites_full_name_and_article: bool | None = None
    method: str | None = None
    electronic_consent: bool | None = None
    signed_by: str | None = None
    amount: float | None = None
    onsite: bool | None = None
    onsite_reason: str | None = None
    until: dt.date | None = None
    how: str | None = None
    reason_published: bool | None = None
    #: ``remedy_filed``: reconsideration or litigation against the decision (its
    #: ``result`` is the field above; ``decided_on`` None = not decided yet)
    kind: str | None = None
    decided_on: dt.date | None = None
    head_appeared: bool | None = None
    #: ``legal_review.checklist`` (additive): item → ``ok`` | ``problem``, in file order
    checklist: tuple[tuple[str, str], ...] = ()
    opinion: str | None = None
    #: ``closed.reason`` / ``registration_refused.reason`` (additive)
    reason: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Step":
        """Build from a validated step. Fields the format does not define are ignored;
        an absent field (or ``null``) takes the default."""
        fields = dict(_STEP_DEFAULTS)
        for key, value in d.items():
            convert = _STEP_FIELDS.get(key, _IGNORED)
            if convert is _IGNORED or value is None:
                continue
            fields[key] = value if convert is None else convert(value)
        if "step" not in fields or "on" not in fields:
            raise KeyError("a step needs its kind (step) and date (on)")
        step = object.__new__(cls)
        # the dataclass is frozen: fill its fields at once (what __init__ would set)
        step.__dict__.update(fields)
        return step

    def persons(self) -> tuple[str, ...]:
        """Every officer id named by this step, in the order the step names them."""
        named = [*self.by, *self.officers]
        for value in (self.approved_by, self.host, self.reviewer):
            if value is not None:
                named.append(value)
        return tuple(named)

    def fine_total(self) -> float:
        return sum([p.amount or 0.0 for p in self.penalties if p.type == "fine"])


def _penalty(d: Mapping[str, Any]) -> Penalty:
    return Penalty(type=d["type"], amount=d.get("amount"))


def _checklist(items: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in items.items())


def _penalties(items: Any) -> tuple[Penalty, ...]:
    return tuple(_penalty(p) for p in items)


_IGNORED = object()
_DATE_FIELD = dt.date.fromisoformat
#: How Step.from_dict reads each field of a step (None: as it is).
_STEP_FIELDS: dict[str, Any] = {
    "step": None,
    "on": _DATE_FIELD,
    "by": tuple,
    "officers": tuple,
    "certificates_shown": None,
    "evidence": tuple,
    "items": None,
    "days": None,
    "approved_by": None,
    "written": None,
    "served_on": _DATE_FIELD,
    "intended": _penalties,
    "hearing_right_notified": None,
    "signed": None,
    "hearing_on": _DATE_FIELD,
    "host": None,
    "public": None,
    "reviewer": None,
    "result": None,
    "outcome": None,
    "penalties": _penalties,
    "elements": tuple,
    "cites_full_name_and_article": None,
    "method": None,
    "electronic_consent": None,
    "signed_by": None,
    "amount": None,
    "onsite": None,
    "onsite_reason": None,
    "until": _DATE_FIELD,
    "how": None,
    "reason_published": None,
    "kind": None,
    "decided_on": _date,
    "head_appeared": None,
    "checklist": _checklist,
    "opinion": None,
    "reason": None,
}
_STEP_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(Step) if f.default is not MISSING
}


@dataclass(frozen=True)
class CaseFile:
    case_id: str
    kind: str
    agency: Agency
    party: Party
    steps: tuple[Step, ...]
    procedure: str | None = None
    power: str | None = None
    #: ``power_kind`` (additive): the category of the power item (``penalty``,
    #: ``licensing`` …, the catalogue's PowerItem.category); None when the file omits it
    power_kind: str | None = None
    violation: Violation | None = None
    basis: Basis | None = None
    benchmark: Benchmark | None = None
    officers: tuple[Officer, ...] = ()
    settings: Mapping[str, int | float | bool] = field(default_factory=dict)
    as_of: dt.date | None = None
    #: ``settings.local_policies``: local sources (codes of data/local_sources.toml) the
    #: agency's region adopted, beyond those whose area it lies in.
    local_policies: tuple[str, ...] = ()
    #: ``officer``'s index, set on its first call (not a field: None until then)
    _officers_by_id: ClassVar[dict[str, Officer] | None] = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "CaseFile":
        """Build from a document that passed ``validate_document`` (no checks here)."""
        ag = d["agency"]
        ent = ag.get("entrustment")
        party = d["party"]
        vio = d.get("violation")
        basis = d.get("basis")
        bench = d.get("benchmark")
        settings = _opt(d, "settings", {})
        return cls(
            case_id=d["case_id"],
            kind=d["kind"],
            procedure=d.get("procedure"),
            as_of=_date(d.get("as_of")),
            settings=flatten_settings(settings),
            local_policies=tuple(sorted(set(_opt(settings, "local_policies", ())))),
            agency=Agency(
                name=ag["name"],
                subject_type=ag["subject_type"],
                powers=tuple(_opt(ag, "powers", ())),
                region_code=_opt(ag, "region_code", ""),
                entrustment=None
                if ent is None
                else Entrustment(
                    written=ent["written"],
                    published=ent["published"],
                    valid_from=dt.date.fromisoformat(ent["valid_from"]),
                    valid_to=dt.date.fromisoformat(ent["valid_to"]),
                    powers=tuple(ent["powers"]),
                ),
            ),
            power=d.get("power"),
            power_kind=d.get("power_kind"),
            party=Party(
                type=party["type"],
                name=party["name"],
                birth_date=_date(party.get("birth_date")),
                id_number=party.get("id_number"),
                uscc=party.get("uscc"),
                vulnerable=_opt(party, "vulnerable", False),
            ),
            violation=None
            if vio is None
            else Violation(
                occurred_on=dt.date.fromisoformat(vio["occurred_on"]),
                discovered_on=dt.date.fromisoformat(vio["discovered_on"]),
                ended_on=_date(vio.get("ended_on")),
                life_health_or_finance_with_harm=_opt(
                    vio, "life_health_or_finance_with_harm", False
                ),
                harm=vio.get("harm"),
                first_offence=_opt(vio, "first_offence", False),
                corrected_promptly=_opt(vio, "corrected_promptly", False),
                no_fault_proven=_opt(vio, "no_fault_proven", False),
                mitigating=tuple(_opt(vio, "mitigating", ())),
                major_public_interest=_opt(vio, "major_public_interest", False),
                complex=_opt(vio, "complex", False),
                in_review_catalogue=_opt(vio, "in_review_catalogue", False),
                criminal_suspected=_opt(vio, "criminal_suspected", False),
            ),
            basis=None
            if basis is None
            else Basis(
                law=basis["law"],
                article=basis["article"],
                penalty_types=tuple(basis["penalty_types"]),
                fine_min=basis.get("fine_min"),
                fine_max=basis.get("fine_max"),
            ),
            benchmark=None
            if bench is None
            else Benchmark(
                circumstance=bench["circumstance"],
                fine_min=bench.get("fine_min"),
                fine_max=bench.get("fine_max"),
                reason_outside_band=bench.get("reason_outside_band"),
            ),
            officers=tuple(
                Officer(
                    id=o["id"],
                    name=o["name"],
                    certificate=None
                    if o.get("certificate") is None
                    else Certificate(
                        number=o["certificate"]["number"],
                        valid_from=dt.date.fromisoformat(o["certificate"]["valid_from"]),
                        valid_to=dt.date.fromisoformat(o["certificate"]["valid_to"]),
                        status=o["certificate"]["status"],
                    ),
                    auxiliary=_opt(o, "auxiliary", False),
                    legal_qualification=_opt(o, "legal_qualification", False),
                    first_time_reviewer=_opt(o, "first_time_reviewer", False),
                    conflict_of_interest=_opt(o, "conflict_of_interest", False),
                    organ_head=o.get("organ_head"),
                )
                for o in _opt(d, "officers", ())
            ),
            steps=tuple(Step.from_dict(s) for s in d["steps"]),
        )

    def officer(self, officer_id: str) -> Officer | None:
        """The first officer of the id (as a scan finds it), or None; the officers are
        indexed on the first look-up and the index kept in the instance (the case file
        is frozen: it cannot go stale)."""
        by_id = self._officers_by_id
        if by_id is None:
            by_id = {}
            for o in self.officers:
                by_id.setdefault(o.id, o)
            # an attribute, not ``__dict__`` (which would slow every attribute read)
            object.__setattr__(self, "_officers_by_id", by_id)
        return by_id.get(officer_id)

    def with_step(self, step: Step) -> "CaseFile":
        return replace(self, steps=(*self.steps, step))


# --- From the typed document (schematypes.compile_decoder) ---------------------------
#
# The decoder gives msgspec Structs whose members are named as in the format: a member
# absent is ``msgspec.UNSET``, one given as ``null`` is None — both "not given", as in
# ``from_dict``. Dates are already dates and arrays tuples; numbers keep int or float as
# ``json.loads`` gives them. ``typed_case_file`` builds what ``CaseFile.from_dict`` builds
# from the same valid document (a test compares them): the same dataclasses, but for the
# steps and officers of the engine's decoder (``typed_shapes`` below), kept as they are.
# The builders below build the dataclasses of every section, and of the steps and
# officers of a decoder without those shapes.

_UNSET: Any = msgspec.UNSET
#: The sections within sections and steps, by the engine class and member: an engine
#: dataclass (one section), a list of one (a tuple of sections), or a function.
_NESTED: dict[type, dict[str, Any]] = {}  # filled below the classes (CaseFile's module)


def _struct_in(annotation: Any) -> Any:
    """The msgspec Struct type within a member's type (its item type for an array, the
    type beside null for a nullable one), or None."""
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    for arg in get_args(annotation):
        found = _struct_in(arg)
        if found is not None:
            return found
    return None


def _may_be_none(annotation: Any) -> bool:
    """Whether a member of this type may hold None (anything not plainly a type that
    excludes it counts as possibly None)."""
    if annotation is None or annotation is type(None):
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_be_none(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        return any(_may_be_none(arg) for arg in get_args(annotation))
    if origin is Literal:
        return None in get_args(annotation)
    return not isinstance(annotation, type) and origin is None


_BUILDERS: dict[tuple[type, type], Any] = {}


def _builder(cls: type, typed_cls: type) -> Any:
    """The function that builds ``cls`` (an engine dataclass) of an instance of
    ``typed_cls`` (a typed section or step), once per pair of classes: each member the
    dataclass has, when given (not absent, not null), set in the new instance's
    ``__dict__`` — a section within it built the same way (``_NESTED``) — and, for a
    step, ``step`` set to its kind (the tag). The members not given read the class's
    defaults (a dataclass keeps each field's default as a class attribute), which reads
    the same through attributes, equality, hashing and ``replace`` as ``from_dict``'s
    instances. Straight-line code: one test and one store per member, no test for a
    required member that cannot be null (a file has dozens of steps and sections)."""
    key = (cls, typed_cls)
    found = _BUILDERS.get(key)
    if found is not None:
        return found
    names = {f.name for f in fields(cls)}
    nested = _NESTED.get(cls, {})
    kind = typed_cls.__struct_config__.tag if cls is Step else None  # type: ignore[attr-defined]
    # Every field in the instance, in the dataclass's order (the defaults first, then
    # what is given), as ``from_dict`` and ``__init__`` make them: instances of one
    # class then share one layout of their ``__dict__``, which the interpreter's
    # attribute look-ups specialise on (a member absent from the instance, read from
    # the class, is several times slower to read on every access).
    defaults = {f.name: f.default for f in fields(cls)}
    unset = [name for name, value in defaults.items() if value is MISSING]
    env: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        "_UNSET": _UNSET,
        "_kind": kind,
        "_defaults": defaults,
        "_MISSING": MISSING,
    }
    lines = [
        "def build(typed):",
        "    obj = _new(_cls)",
        "    given = obj.__dict__",
        "    given.update(_defaults)",
    ]
    if kind is not None:
        lines.append("    given['step'] = _kind")
        unset.remove("step")
    for n, info in enumerate(msgspec.structs.fields(typed_cls)):
        member = info.name
        if member not in names:
            continue
        spec = nested.get(member)
        if spec is None:
            value = "value"
        elif isinstance(spec, list):
            env[f"_conv{n}"] = _builder(spec[0], _struct_in(info.type))
            value = f"tuple(map(_conv{n}, value))"
        elif isinstance(spec, type):
            env[f"_conv{n}"] = _builder(spec, _struct_in(info.type))
            value = f"_conv{n}(value)"
        else:
            env[f"_conv{n}"] = spec
            value = f"_conv{n}(value)"
        lines.append(f"    value = typed.{member}")
        if info.required and not _may_be_none(info.type):
            lines.append(f"    given[{member!r}] = {value}")
            if member in unset:
                unset.remove(member)
        else:
            lines.append("    if value is not None and value is not _UNSET:")
            lines.append(f"        given[{member!r}] = {value}")
    for member in unset:  # a field without a default that may not be given: absent
        lines.append(f"    if given[{member!r}] is _MISSING:")
        lines.append(f"        del given[{member!r}]")
    lines.append("    return obj")
    exec("\n".join(lines), env)  # noqa: S102 - our own code, from the struct's field names
    found = _BUILDERS[key] = env["build"]
    return found


def _typed_settings(settings: Any) -> dict[str, Any]:
    """The typed ``settings`` as the mapping ``flatten_settings`` reads."""
    out: dict[str, Any] = {}
    for name in settings.__struct_fields__:
        value = getattr(settings, name)
        if value is _UNSET:
            continue
        if isinstance(value, msgspec.Struct):
            value = {
                sub: getattr(value, sub)
                for sub in value.__struct_fields__
                if getattr(value, sub) is not _UNSET
            }
        out[name] = value
    return out


class _RootBuilders(NamedTuple):
    """The builders of a typed document's sections and steps (``_root_builders``)."""

    agency: Any
    party: Any
    violation: Any
    basis: Any
    benchmark: Any
    #: None: the typed officers are ``TypedOfficer``s, taken as they are
    officer: Any
    #: the builder of each kind of step, by its typed class; None: the typed steps are
    #: ``TypedStep``s, taken as they are
    steps: dict[type, Any] | None


_ROOTS: dict[type, _RootBuilders] = {}


def _root_builders(root: type) -> _RootBuilders:
    """The builders for a typed document class, once per class."""
    found = _ROOTS.get(root)
    if found is not None:
        return found
    types = {info.name: info.type for info in msgspec.structs.fields(root)}

    def of(cls: type, member: str) -> Any:
        typed = _struct_in(types[member])
        if typed is None or issubclass(typed, _KEPT):
            return None  # the decoder's own objects are kept as they are
        return _builder(cls, typed)

    step_types: list[type] = []

    def collect(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
            step_types.append(annotation)
        for arg in get_args(annotation):
            collect(arg)

    collect(types["steps"])
    found = _ROOTS[root] = _RootBuilders(
        agency=of(Agency, "agency"),
        party=of(Party, "party"),
        violation=of(Violation, "violation"),
        basis=of(Basis, "basis"),
        benchmark=of(Benchmark, "benchmark"),
        officer=of(Officer, "officers"),
        steps=None
        if all(issubclass(typed, TypedStep) for typed in step_types)
        else {typed: _builder(Step, typed) for typed in step_types},
    )
    return found


# --- The typed steps and officers: the decoder's Structs as they are -------------------
#
# The typed decoder makes each step a Struct of its kind's class, derived from
# ``TypedStep`` (``typed_shapes``): every optional member defaults to ``Step``'s default
# (absent reads as in ``from_dict``), the fields of the other kinds and ``step`` (the
# kind) are class attributes, and ``persons``/``fine_total`` are Step's. A member whose
# default is not None (``by``, ``evidence``, ``intended``, ``penalties``, ``checklist``)
# given as ``null`` is set to its default by the class's ``__post_init__``, which also
# makes ``checklist`` the pairs Step holds. The penalties are Structs of one class
# (derived from ``TypedPenalty``: ``amount`` None when absent), the officers and their
# certificates the same way (``TypedOfficer``: a flag given as null is False). So
# ``typed_case_file`` takes the decoder's steps and officers as they are: the same
# values, read by the same attribute names and methods, as ``from_dict``'s (a test
# compares every field). They are frozen like the dataclasses, but of other classes: a
# typed step does not compare equal to a Step, nor does ``dataclasses.replace`` take it
# (``msgspec.structs.replace`` does); two typed penalties compare as Penalties do (one
# class for ``#/$defs/penalty``: a decision's penalties equal to the notice's intended).
# Why: building a Step per step and an Officer per officer was some 8 µs of the 120 µs
# the audit of a file takes (issue #11 item 7).


class TypedStep(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's steps (above)."""

    persons = Step.persons
    fine_total = Step.fine_total


class TypedPenalty(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's penalties (``type``, ``amount``), read as a
    ``Penalty``."""


class TypedCertificate(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's certificates, read as a ``Certificate``."""

    valid_on = Certificate.valid_on


class TypedOfficer(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's officers, read as an ``Officer``."""

    qualified_on = Officer.qualified_on


class TypedParty(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's party, read as a ``Party``."""


class TypedViolation(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's violation, read as a ``Violation``."""


class TypedBasis(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's basis, read as a ``Basis``."""


class TypedBenchmark(msgspec.Struct, frozen=True, gc=False):
    """The base of the typed decoder's benchmark, read as a ``Benchmark``."""


#: the sections of the root the typed decoder shapes (no post check reads them), by
#: their place in the schema: the base and the dataclass each reads as
_SECTIONS: dict[str, tuple[type, type]] = {
    "#/properties/party": (TypedParty, Party),
    "#/properties/violation": (TypedViolation, Violation),
    "#/properties/basis": (TypedBasis, Basis),
    "#/properties/benchmark": (TypedBenchmark, Benchmark),
}


# each field the format does not give reads as its default (a field added to the
# dataclass and not yet to the schema included)
for _typed, _cls in (
    (TypedStep, Step),
    (TypedPenalty, Penalty),
    (TypedCertificate, Certificate),
    (TypedOfficer, Officer),
    *_SECTIONS.values(),
):
    for _field in fields(_cls):
        if _field.default is not MISSING:
            setattr(_typed, _field.name, _field.default)
del _typed, _cls, _field


_set = msgspec.structs.force_setattr
_OFFICER_DEFAULTS = {f.name: f.default for f in fields(Officer) if f.default is not MISSING}


def _shape(
    base: type, name: str, optional: tuple[str, ...], defaults: Mapping[str, Any], **attrs: Any
) -> Shape:
    """The Shape whose class derives from ``base`` with ``attrs`` and whose ``optional``
    members default to their ``defaults``. One that defaults to something other than None
    (``()``, ``False``) is typed without null (``Shape.not_null``): a file that gives it as
    null takes the slow path, which reads the null as its default (a ``__post_init__``
    doing so ran in every step). A ``checklist`` is made the pairs of the dataclass by the
    class's ``__post_init__`` (legal reviews only)."""
    given = {m: defaults[m] for m in optional if m in defaults}
    not_null = frozenset(m for m, default in given.items() if default is not None)
    if "checklist" in given:

        def __post_init__(self: Any) -> None:
            value = self.checklist
            if type(value) is dict:
                _set(self, "checklist", _checklist(value))

        attrs["__post_init__"] = __post_init__
    cls = msgspec.defstruct(name, [], bases=(base,), namespace=attrs)
    return Shape(cls, given, not_null)


def typed_shapes(where: str, tag: str | None, optional: tuple[str, ...]) -> Shape | None:
    """The typed decoder's ``shapes`` (schematypes.Shapes): a step (a variant of
    ``#/$defs/step``) is a ``TypedStep``, a penalty a ``TypedPenalty``, an officer a
    ``TypedOfficer`` and its certificate a ``TypedCertificate``."""
    if tag is not None:
        if where != "#/$defs/step":
            return None
        return _shape(TypedStep, f"Typed_{tag}", optional, _STEP_DEFAULTS, step=tag)
    if where == "#/$defs/penalty":
        return _shape(TypedPenalty, "TypedPenalty_", optional, {"amount": None})
    if where == _OFFICER:
        return _shape(TypedOfficer, "TypedOfficer_", optional, _OFFICER_DEFAULTS)
    if where.startswith(_OFFICER + "/properties/certificate/"):  # its branch of anyOf
        return _shape(TypedCertificate, "TypedCertificate_", optional, {})
    section = _SECTIONS.get(where)
    if section is not None:
        base, cls = section
        defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
        return _shape(base, base.__name__ + "_", optional, defaults)
    return None


_OFFICER = "#/properties/officers/items"


#: the typed classes ``typed_case_file`` keeps as they are (the decoder's shapes)
_KEPT = (TypedOfficer, TypedParty, TypedViolation, TypedBasis, TypedBenchmark)


def prepare_builders(root: type) -> None:
    """Build now the builders of the typed documents of ``root`` (else built on the
    first ``typed_case_file`` of such a document)."""
    _root_builders(root)


def typed_case_file(doc: Any) -> "CaseFile":
    """The CaseFile of a typed document (see above)."""
    built = _ROOTS.get(type(doc))
    if built is None:
        built = _root_builders(type(doc))
    settings = doc.settings
    if settings is None or settings is _UNSET:
        flat: dict[str, int | float | bool] = {}  # flatten_settings({})
        adopted: tuple[str, ...] = ()
    else:
        given = _typed_settings(settings)
        flat = flatten_settings(given)
        adopted = tuple(sorted(set(_opt(given, "local_policies", ()))))
    vio = doc.violation
    basis = doc.basis
    bench = doc.benchmark
    officers = doc.officers
    procedure = doc.procedure
    as_of = doc.as_of
    power = doc.power
    power_kind = doc.power_kind
    officer = built.officer
    step_builders = built.steps
    case = object.__new__(CaseFile)
    case.__dict__.update(
        case_id=doc.case_id,
        kind=doc.kind,
        procedure=None if procedure is _UNSET else procedure,
        as_of=None if as_of is _UNSET else as_of,
        settings=flat,
        local_policies=adopted,
        agency=built.agency(doc.agency),
        power=None if power is _UNSET else power,
        power_kind=None if power_kind is _UNSET else power_kind,
        party=doc.party if built.party is None else built.party(doc.party),
        violation=None
        if vio is None or vio is _UNSET
        else vio
        if built.violation is None
        else built.violation(vio),
        basis=None
        if basis is None or basis is _UNSET
        else basis
        if built.basis is None
        else built.basis(basis),
        benchmark=None
        if bench is None or bench is _UNSET
        else bench
        if built.benchmark is None
        else built.benchmark(bench),
        officers=()
        if officers is None or officers is _UNSET
        else officers
        if officer is None
        else tuple(map(officer, officers)),
        steps=doc.steps
        if step_builders is None
        else tuple([step_builders[type(s)](s) for s in doc.steps]),
    )
    return case


def flatten_settings(settings: Mapping[str, Any]) -> dict[str, int | float | bool]:
    """``{"hearing_fine_threshold": {"individual": 5000}}`` →
    ``{"hearing_fine_threshold.individual": 5000}`` (the keys parameters name)."""
    flat: dict[str, int | float | bool] = {}
    for key, value in settings.items():
        if isinstance(value, Mapping):
            for sub, subvalue in value.items():
                if isinstance(subvalue, int | float | bool):
                    flat[f"{key}.{sub}"] = subvalue
        elif isinstance(value, int | float | bool):
            flat[key] = value
    return flat


def steps_of(steps: Sequence[Step], kind: str) -> list[tuple[int, Step]]:
    return [(i, s) for i, s in enumerate(steps) if s.step == kind]


_NESTED.update(
    {
        Agency: {"entrustment": Entrustment},
        Officer: {"certificate": Certificate},
        Step: {"intended": [Penalty], "penalties": [Penalty], "checklist": _checklist},
    }
)

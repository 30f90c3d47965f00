"""The typed case file (案卷): the internal representation every rule unit reads.

Built from a validated ``zhifa-casefile/1`` document by ``CaseFile.from_dict``; the case
workflow builds the same structure from its models. All optional flags default to
``False`` / empty, so a rule never sees a missing key.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

FORMAT = "zhifa-casefile/1"

#: Penalty types that carry the hearing right in themselves (APL 63(1)(三)(四)).
HEARING_TYPES = frozenset(
    {"lower_qualification", "revoke_permit", "suspend_business", "closure", "restrict_practice"}
)


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


@dataclass(frozen=True)
class Penalty:
    type: str
    amount: float | None = None


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

    def qualified_on(self, day: dt.date) -> bool:
        """APL 42: a (non-auxiliary) officer with a certificate valid on ``day``."""
        return (
            not self.auxiliary and self.certificate is not None and self.certificate.valid_on(day)
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
    the other fields are those the format defines for that kind (None when absent)."""

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
    #: ``legal_review.checklist`` (additive): item → ``ok`` | ``problem``, in file order
    checklist: tuple[tuple[str, str], ...] = ()
    opinion: str | None = None
    #: ``closed.reason`` / ``registration_refused.reason`` (additive)
    reason: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Step":
        return cls(
            step=d["step"],
            on=dt.date.fromisoformat(d["on"]),
            by=tuple(d.get("by", ())),
            officers=tuple(d.get("officers", ())),
            certificates_shown=d.get("certificates_shown"),
            evidence=tuple(d.get("evidence", ())),
            items=d.get("items"),
            days=d.get("days"),
            approved_by=d.get("approved_by"),
            written=d.get("written"),
            served_on=_date(d.get("served_on")),
            intended=tuple(_penalty(p) for p in d.get("intended", ())),
            hearing_right_notified=d.get("hearing_right_notified"),
            signed=d.get("signed"),
            hearing_on=_date(d.get("hearing_on")),
            host=d.get("host"),
            public=d.get("public"),
            reviewer=d.get("reviewer"),
            result=d.get("result"),
            outcome=d.get("outcome"),
            penalties=tuple(_penalty(p) for p in d.get("penalties", ())),
            elements=tuple(d["elements"]) if "elements" in d else None,
            cites_full_name_and_article=d.get("cites_full_name_and_article"),
            method=d.get("method"),
            electronic_consent=d.get("electronic_consent"),
            signed_by=d.get("signed_by"),
            amount=d.get("amount"),
            onsite=d.get("onsite"),
            onsite_reason=d.get("onsite_reason"),
            until=_date(d.get("until")),
            how=d.get("how"),
            reason_published=d.get("reason_published"),
            checklist=tuple((str(k), str(v)) for k, v in (d.get("checklist") or {}).items()),
            opinion=d.get("opinion"),
            reason=d.get("reason"),
        )

    def persons(self) -> tuple[str, ...]:
        """Every officer id named by this step, in the order the step names them."""
        named = [*self.by, *self.officers]
        for value in (self.approved_by, self.host, self.reviewer):
            if value is not None:
                named.append(value)
        return tuple(named)

    def fine_total(self) -> float:
        return sum(p.amount or 0.0 for p in self.penalties if p.type == "fine")


def _penalty(d: Mapping[str, Any]) -> Penalty:
    return Penalty(type=d["type"], amount=d.get("amount"))


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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "CaseFile":
        """Build from a document that passed ``validate_document`` (no checks here)."""
        ag = d["agency"]
        ent = ag.get("entrustment")
        party = d["party"]
        vio = d.get("violation")
        basis = d.get("basis")
        bench = d.get("benchmark")
        return cls(
            case_id=d["case_id"],
            kind=d["kind"],
            procedure=d.get("procedure"),
            as_of=_date(d.get("as_of")),
            settings=flatten_settings(d.get("settings", {})),
            local_policies=tuple(sorted(set(d.get("settings", {}).get("local_policies", ())))),
            agency=Agency(
                name=ag["name"],
                subject_type=ag["subject_type"],
                powers=tuple(ag.get("powers", ())),
                region_code=ag.get("region_code", ""),
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
                vulnerable=party.get("vulnerable", False),
            ),
            violation=None
            if vio is None
            else Violation(
                occurred_on=dt.date.fromisoformat(vio["occurred_on"]),
                discovered_on=dt.date.fromisoformat(vio["discovered_on"]),
                ended_on=_date(vio.get("ended_on")),
                life_health_or_finance_with_harm=vio.get("life_health_or_finance_with_harm", False),
                harm=vio.get("harm"),
                first_offence=vio.get("first_offence", False),
                corrected_promptly=vio.get("corrected_promptly", False),
                no_fault_proven=vio.get("no_fault_proven", False),
                mitigating=tuple(vio.get("mitigating", ())),
                major_public_interest=vio.get("major_public_interest", False),
                complex=vio.get("complex", False),
                in_review_catalogue=vio.get("in_review_catalogue", False),
                criminal_suspected=vio.get("criminal_suspected", False),
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
                    auxiliary=o.get("auxiliary", False),
                    legal_qualification=o.get("legal_qualification", False),
                    first_time_reviewer=o.get("first_time_reviewer", False),
                    conflict_of_interest=o.get("conflict_of_interest", False),
                )
                for o in d.get("officers", ())
            ),
            steps=tuple(Step.from_dict(s) for s in d["steps"]),
        )

    def officer(self, officer_id: str) -> Officer | None:
        for o in self.officers:
            if o.id == officer_id:
                return o
        return None

    def with_step(self, step: Step) -> "CaseFile":
        return replace(self, steps=(*self.steps, step))


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

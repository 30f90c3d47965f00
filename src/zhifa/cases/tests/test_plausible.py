"""Issue #13 item 5: implausible data is refused with a clear error naming the field, by
one check (``cases.validation`` on ``core.validation``'s bounds) that the API, the
opening form and the import share."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.cases.casefile import import_bound_errors
from zhifa.cases.forms import OpenCaseForm
from zhifa.cases.models import Case
from zhifa.catalogue.models import PowerItem
from zhifa.core.testing import client_for
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject

from .conftest import BASIS, FINE, PARTY, VIOLATION, People, Walker

pytestmark = pytest.mark.django_db

#: An individual born on 1986-03-15 (``_id_number`` adds the check character).
ID_NUMBER = "33042119860315123"  # the first 17 characters
PERSON = {"type": "individual", "name": "沈建国", "id_number": ID_NUMBER}


def _id_number() -> str:
    from zhifa.registry.demo import demo_id_number

    return demo_id_number(ID_NUMBER[:17])


IMPLAUSIBLE: list[tuple[str, dict[str, Any], str]] = [
    ("opened in 9999", {"on": "9999-12-31"}, "on"),
    ("opened in 1900", {"on": "1900-01-01"}, "on"),
    (
        "occurred in year 1",
        {"violation": {**VIOLATION, "occurred_on": "0001-01-01"}},
        "violation.occurred_on",
    ),
    (
        "discovered before it occurred",
        {"violation": {**VIOLATION, "occurred_on": "2026-03-01", "discovered_on": "2026-02-01"}},
        "violation.discovered_on",
    ),
    (
        "ended before it began",
        {"violation": {**VIOLATION, "ended_on": "2026-02-01"}},
        "violation.ended_on",
    ),
    (
        "born in the future",
        {"party": {"type": "individual", "name": "沈建国", "birth_date": "2030-01-01"}},
        "party.birth_date",
    ),
    (
        "birth date not the ID number's",
        {"party": {**PERSON, "id_number": "@id", "birth_date": "1990-01-01"}},
        "party.birth_date",
    ),
    ("a name of spaces", {"party": {**PARTY, "name": "   "}}, "party.name"),
    ("a zero-width name", {"party": {**PARTY, "name": "\u200b\u200d"}}, "party.name"),
    ("a name with a bell", {"party": {**PARTY, "name": "某某\x07公司"}}, "party.name"),
    ("an ideographic-space law", {"basis": {**BASIS, "law": "\u3000"}}, "basis.law"),
    ("a fine of 1e30", {"basis": {**BASIS, "fine_max": 1e30}}, "basis.fine_max"),
]


def _fill(overrides: dict[str, Any]) -> dict[str, Any]:
    party = overrides.get("party")
    if party and party.get("id_number") == "@id":
        overrides = {**overrides, "party": {**party, "id_number": _id_number()}}
    return overrides


@pytest.mark.parametrize(
    ("label", "overrides", "field"), IMPLAUSIBLE, ids=[c[0] for c in IMPLAUSIBLE]
)
def test_the_api_refuses_implausible_cases_naming_the_field(
    power_item: PowerItem, people: People, label: str, overrides: dict[str, Any], field: str
) -> None:
    body = {
        "procedure": "general",
        "power": "CF-124",
        "on": "2026-03-02",
        "party": PARTY,
        "violation": VIOLATION,
        "basis": BASIS,
        **_fill(overrides),
    }
    entries = Entry.objects.count()
    response = client_for(people.officer_user).post(
        "/api/v1/cases", body, content_type="application/json"
    )
    assert response.status_code == 400, (label, response.json())
    paths = [e["path"] for e in response.json()["errors"]]
    assert any(p.endswith(field) for p in paths), (label, response.json())
    assert not Case.objects.exists() and Entry.objects.count() == entries


def test_a_plausible_individual_is_accepted(power_item: PowerItem, people: People) -> None:
    """The birth date that is the ID number's passes (the check is not a refusal of all)."""
    party = {**PERSON, "id_number": _id_number(), "birth_date": "1986-03-15"}
    response = client_for(people.officer_user).post(
        "/api/v1/cases",
        {
            "procedure": "general",
            "power": "CF-124",
            "on": "2026-03-02",
            "party": party,
            "violation": VIOLATION,
            "basis": BASIS,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()


def test_expected_steps_false_is_not_zero(power_item: PowerItem, people: People) -> None:
    """``expected_steps: false`` was read as 0: a boolean is not a count."""
    opened = client_for(people.head_user).post(
        "/api/v1/cases",
        {
            "procedure": "general",
            "power": "CF-124",
            "on": "2026-03-02",
            "party": PARTY,
            "violation": VIOLATION,
            "basis": BASIS,
        },
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.json()
    response = client_for(people.head_user).post(
        f"/api/v1/cases/{opened.json()['id']}/steps",
        {
            "step": "registered",
            "on": "2026-03-03",
            "expected_steps": False,
            "by": [people.o1.pk, people.o2.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.json()
    assert any(e["path"].endswith("expected_steps") for e in response.json()["errors"])


def _form_data(**overrides: Any) -> dict[str, Any]:
    return {
        "on": "2026-03-02",
        "source": "inspection",
        "procedure": "general",
        "party_type": "organisation",
        "party_name": "嘉兴某某食品有限公司",
        "party_uscc": PARTY["uscc"],
        "occurred_on": "2026-03-01",
        "discovered_on": "2026-03-02",
        "law": BASIS["law"],
        "article": BASIS["article"],
        "penalty_types": ["fine"],
        "fine_min": "50000",
        "fine_max": "500000",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"on": "9999-12-31"}, "on"),
        ({"occurred_on": "0001-01-01"}, "occurred_on"),
        ({"discovered_on": "2026-02-01"}, "discovered_on"),
        ({"fine_max": "1e400"}, "fine_max"),
        ({"fine_max": "1e30"}, "fine_max"),
        ({"party_name": "\u200b"}, "party_name"),
        (
            {"party_type": "individual", "party_uscc": "", "party_birth_date": "2030-01-01"},
            "party_birth_date",
        ),
    ],
)
def test_the_opening_form_refuses_the_same_at_the_field(
    power_item: PowerItem,
    organ_a: EnforcementSubject,
    people: People,
    overrides: dict[str, Any],
    field: str,
) -> None:
    data = _form_data(power_item=power_item.pk, **overrides)
    form = OpenCaseForm(data, organ=organ_a)
    assert not form.is_valid()
    assert field in form.errors, form.errors


def test_the_opening_form_accepts_a_plausible_case(
    power_item: PowerItem, organ_a: EnforcementSubject, people: People
) -> None:
    form = OpenCaseForm(_form_data(power_item=power_item.pk), organ=organ_a)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"violation": {**VIOLATION, "occurred_on": "0001-01-01"}}, "violation.occurred_on"),
        (
            {"violation": {**VIOLATION, "discovered_on": "2026-02-01"}},
            "violation.discovered_on",
        ),
        ({"party": {**PARTY, "name": " \u200b "}}, "party.name"),
        ({"basis": {**BASIS, "fine_min": 1e30}}, "basis.fine_min"),
        (
            {"party": {"type": "individual", "name": "某", "birth_date": "9999-01-01"}},
            "party.birth_date",
        ),
        ({"steps": [{"step": "registered", "on": "9999-12-31"}]}, "steps.0.on"),
        ({"steps": [{"step": "registered", "on": "0001-01-01"}]}, "steps.0.on"),
        (
            {"steps": [{"step": "paid", "on": "2026-03-03", "amount": 1e30}]},
            "steps.0.amount",
        ),
    ],
)
def test_the_import_refuses_the_same_naming_the_path(
    frozen_clock: Any, document: dict[str, Any], path: str
) -> None:
    errors = import_bound_errors(
        {"party": PARTY, "violation": VIOLATION, "basis": BASIS, **document}
    )
    assert any(e.startswith(f"{path}: ") for e in errors), errors
    assert import_bound_errors({"party": PARTY, "violation": VIOLATION, "basis": BASIS}) == []


@pytest.mark.parametrize(
    ("on", "fields", "field"),
    [
        ("1900-01-01", {"intended": FINE}, "on"),
        ("2026-03-16", {"intended": FINE, "served_on": "9999-12-31"}, "served_on"),
        ("2026-03-16", {"intended": FINE, "served_on": "0001-01-01"}, "served_on"),
        ("2026-03-16", {"intended": [{"type": "fine", "amount": 1e30}]}, "intended"),
    ],
)
def test_a_step_with_implausible_dates_or_amounts_is_refused(
    walk: Walker, on: str, fields: dict[str, Any], field: str
) -> None:
    """A step's date fields lie between 1949-10-01 and a year after today (a hearing is
    scheduled ahead, nothing a year away); its amounts below 10^12 yuan."""
    from zhifa.cases import services

    from .conftest import D, counts

    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    before = counts()
    response = client_for(walk.p.officer_user).post(
        f"/api/v1/cases/{walk.case.pk}/steps",
        {"step": "prior_notice", "on": on, "expected_steps": walk.n, **fields},
        content_type="application/json",
    )
    assert response.status_code == 400, response.json()
    paths = [e["path"] for e in response.json()["errors"]]
    assert any(f".{field}" in p for p in paths), paths
    assert counts() == before


@pytest.mark.parametrize(
    "amount", [10**400, 1e30, float("inf"), -1], ids=["1e400", "1e30", "inf", "negative"]
)
def test_a_step_amount_from_a_form_is_bounded_too(walk: Walker, amount: Any) -> None:
    """The pages turn "1e400" into a 401-digit integer (``forms._amount``): the service
    refuses it naming the field, as the API's schema does."""
    from django.core.exceptions import ValidationError

    from zhifa.cases import services

    from .conftest import D, counts

    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk(
            services.serve_prior_notice,
            on=D("2026-03-16"),
            intended=[{"type": "fine", "amount": amount}],
        )
    assert list(refused.value.message_dict) == ["intended.0.amount"]
    assert counts() == before

"""Each step is declared once (``cases/steps.py``; issue #12, item 3): the labels, the
status map, the documents, the role sets, the order's "comes first", the forms, the API's
models and union and the services are derived from the declaration, for every declared
step and for nothing else, and a role declared there is what the guard enforces."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pytest
from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.test import Client
from pydantic import Field

from zhifa.accounts.models import Role
from zhifa.cases import api, forms, policy, services, workflow
from zhifa.cases.labels import STEP_LABELS, action_labels
from zhifa.cases.models import Case, CaseStatus, CaseStep
from zhifa.cases.steps import (
    ACTORS,
    BY_NAME,
    CATALOGUE_CIRCUMSTANCE,
    FORMAT_CIRCUMSTANCE,
    HEAD,
    PARTY,
    REVIEWER,
    STEPS,
    StepSpec,
)
from zhifa.catalogue import bands
from zhifa.catalogue.models import Circumstance
from zhifa.core.testing import client_for

from .conftest import D, People

pytestmark = pytest.mark.django_db

NAMES = [s.name for s in STEPS]


def _union_members() -> list[type[Any]]:
    union = typing.get_args(api.StepIn)[0]
    return list(typing.get_args(union))


def test_the_steps_are_declared_once_each() -> None:
    assert len(NAMES) == len(set(NAMES))
    assert set(BY_NAME) == set(NAMES)
    for s in STEPS:
        assert s.roles in (HEAD, REVIEWER, ACTORS, ACTORS | PARTY), s.name
        assert not s.requires or s.requires in BY_NAME, s.name
        assert s.form is None or hasattr(forms, s.form), s.name
        assert callable(getattr(services, s.service)), s.name


def test_the_party_takes_its_statement_and_hearing_request_only() -> None:
    """The steps the party app lets the party record itself (docs/party.md)."""
    assert {s.name for s in STEPS if s.roles >= PARTY} == {"statement", "hearing_requested"}


@pytest.mark.parametrize("name", NAMES)
def test_every_declared_step_is_derived_everywhere(name: str) -> None:
    s = BY_NAME[name]
    assert STEP_LABELS[name] is s.label
    assert action_labels()[f"case.{name}"] is s.label
    assert services.STEP_STATUS.get(name) == s.status
    assert services.STEP_DOCUMENTS.get(name) == s.document
    assert (name in workflow.HEAD_STEPS) == (s.roles == HEAD)
    assert (name in workflow.REVIEWER_STEPS) == (s.roles == REVIEWER)
    assert workflow.REQUIRES.get(name, "") == s.requires
    taken_by_name = s.api is not None
    assert (name in services.STEP_SERVICES) == taken_by_name
    assert (name in api.STEP_NAMES) == taken_by_name
    members = {m.model_fields["step"].annotation.__args__[0]: m for m in _union_members()}
    assert (name in members) == taken_by_name
    if taken_by_name:
        model = members[name]
        assert model.__name__ == s.model_name
        content = {"content"} if s.content else set()
        assert set(model.model_fields) == {
            "on",
            "expected_steps",
            "step",
            *(s.api or {}),
            *content,
        }
        service = services.STEP_SERVICES[name]
        assert getattr(service, "func", service) is getattr(services, s.service)
        assert getattr(service, "keywords", {}) == dict(s.service_args)
    assert (name in forms.STEP_FORMS) == (s.form is not None)
    if s.form is not None:
        form = forms.STEP_FORMS[name]
        assert form.step == name
        assert issubclass(form, getattr(forms, s.form))
        assert set(s.form_fields) <= set(form.base_fields)
        assert form.service is services.STEP_SERVICES[name]
        assert form.content_sections == s.content
    if s.content:
        # The service takes the declared content (its keyword ``content``).
        assert "content" in inspect.signature(getattr(services, s.service)).parameters


def test_nothing_is_derived_that_is_not_declared() -> None:
    declared = set(NAMES)
    assert set(STEP_LABELS) == declared
    assert set(services.STEP_STATUS) <= declared
    assert set(services.STEP_DOCUMENTS) <= declared
    assert declared >= workflow.HEAD_STEPS | workflow.REVIEWER_STEPS
    assert set(forms.STEP_FORMS) <= declared
    assert set(services.STEP_SERVICES) <= declared
    assert declared >= api.STEP_NAMES
    assert [m.__name__ for m in api.STEP_SCHEMAS] == [m.__name__ for m in _union_members()]


def test_the_two_steps_added_through_the_declaration_are_everywhere() -> None:
    """``registration_refused`` and ``remedy_filed`` are spelled in their declaration
    and their service only; everything the pages, the API and the guard need of them is
    derived."""
    refused, remedy = BY_NAME["registration_refused"], BY_NAME["remedy_filed"]
    assert "registration_refused" in workflow.HEAD_STEPS
    assert {"closed", "registration_refused"} == workflow.ENDING_STEPS
    assert workflow.procedural_next_steps("general", [], False) == list(workflow.SOURCE_STEPS)
    assert list(workflow.SOURCE_STEPS) == ["registered", "registration_refused"]
    assert workflow.procedural_next_steps("general", ["registration_refused"], False) == []
    assert services.STEP_STATUS["registration_refused"] == refused.status
    assert refused.status == CaseStatus.NOT_REGISTERED
    decided = ["registered", "investigation", "prior_notice", "decision"]
    assert "remedy_filed" not in workflow.procedural_next_steps("general", decided, False)
    assert "remedy_filed" in workflow.procedural_next_steps("general", [*decided, "served"], False)
    assert workflow.required_before("general", [*decided], "remedy_filed") == remedy.requires
    assert set(forms.STEP_FORMS["remedy_filed"].base_fields) >= {"kind", "result", "decided_on"}


def test_a_new_declaration_gives_a_form_a_model_and_a_service() -> None:
    """What a new step gets from its declaration alone (the derivation functions)."""
    declared = StepSpec(
        "memo_filed",
        "Memo filed",
        "record_statement",
        api={"note": (str, Field(min_length=1, max_length=200))},
        api_doc="A memo.",
        form_fields={"note": lambda: django_forms.CharField(label="note", max_length=200)},
    )
    form = forms.step_form(declared)
    assert form.__name__ == "MemoFiledForm" and form.step == "memo_filed"
    assert list(form.base_fields) == ["on", "expected_steps", "note"]
    assert form.service is services.record_statement
    model = api._step_schema(declared)
    assert model.__name__ == "MemoFiledIn"
    parsed = model.model_validate(
        {"step": "memo_filed", "on": "2026-03-03", "expected_steps": 0, "note": "x"}
    )
    assert parsed.model_dump()["note"] == "x"
    assert model.model_json_schema()["description"] == "A memo."


def test_the_circumstances_are_mapped_in_one_place() -> None:
    assert set(FORMAT_CIRCUMSTANCE) == set(bands.CIRCUMSTANCES) == set(Circumstance.values)
    assert FORMAT_CIRCUMSTANCE[bands.GENERAL] == "ordinary"
    assert CATALOGUE_CIRCUMSTANCE["ordinary"] == bands.GENERAL
    assert set(typing.get_args(api.Circumstance)) == set(FORMAT_CIRCUMSTANCE.values())


# --- a head-only step refused for an officer through the derived set -----------------------


@pytest.mark.parametrize("name", sorted(s.name for s in STEPS if s.roles == HEAD))
def test_a_head_only_step_is_for_the_head_only(name: str, people: People) -> None:
    assert not policy.role_may_take("general", people.officer_user.role, name)
    assert not policy.role_may_take("general", people.reviewer_user.role, name)
    assert policy.role_may_take("general", people.head_user.role, name)


def test_an_officer_may_not_refuse_the_registration(general_case: Case, people: People) -> None:
    assert people.officer_user.role == Role.OFFICER
    assert "registration_refused" not in policy.next_steps(general_case, people.officer_user)
    assert "registration_refused" in policy.next_steps(general_case, people.head_user)
    with pytest.raises(PermissionDenied):
        services.refuse_registration(
            general_case,
            actor=people.officer_user,
            on=D("2026-03-03"),
            reason="举报所涉行为不属实",
            approved_by=people.head,
            expected_steps=0,
        )
    officer: Client = client_for(people.officer_user)
    response = officer.post(
        f"/api/v1/cases/{general_case.pk}/steps",
        {"step": "registration_refused", "on": "2026-03-03", "expected_steps": 0, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CaseStep.objects.filter(case=general_case).exists()
    saved = services.refuse_registration(
        general_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        reason="举报所涉行为不属实",
        approved_by=people.head,
        expected_steps=0,
    )
    assert saved.step == "registration_refused"

"""Evidence attached to a real case: only the canonical id of the case is accepted, so
that the entry is stored under the id the case's timeline reads (``str(pk)``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import client_for
from zhifa.records.models import Entry, Evidence

from .files import upload

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case

pytestmark = pytest.mark.django_db


def fields(user: Any, object_id: str, collected_by: Any) -> dict[str, Any]:
    return {
        "kind": "photo",
        "title": "现场照片",
        "collected_by": collected_by,
        "collected_at": "2026-11-20T09:30:00+08:00",
        "location": "嘉兴市南湖区",
        "file": upload(),
        "object_type": "cases.case",
        "object_id": object_id,
    }


def api_upload(user: Any, object_id: str) -> Any:
    data = fields(user, object_id, [user.username])
    return client_for(user).post("/api/v1/records/evidence", data)


def nothing_attached() -> bool:
    return not Evidence.objects.exists() and not Entry.objects.filter(action="evidence.add")


@pytest.mark.parametrize("object_id", ["0{pk}", "00{pk}", " {pk}", "+{pk}"])
def test_a_non_canonical_case_id_is_refused_by_the_api(
    general_case: Case, people: Any, object_id: str
) -> None:
    response = api_upload(people.officer_user, object_id.format(pk=general_case.pk))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == ["body.object_id"]
    assert nothing_attached()


def test_the_canonical_case_id_attaches_the_evidence_to_the_case(
    general_case: Case, people: Any
) -> None:
    response = api_upload(people.officer_user, str(general_case.pk))
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(action="evidence.add")
    assert (entry.object_type, entry.object_id) == ("cases.case", str(general_case.pk))


def test_the_upload_page_stores_the_canonical_case_id(general_case: Case, people: Any) -> None:
    """The page chooses the case itself (``case``), so whatever spelling of its id is
    posted, the evidence is stored under ``str(pk)``."""
    user = people.officer_user
    data = fields(user, "", [user.pk])
    del data["object_type"], data["object_id"]
    response = client_for(user).post(
        reverse("records:evidence_add"),
        {**data, "case": f"0{general_case.pk}", "collected_at": "2026-11-20T09:30"},
    )
    assert response.status_code == 302
    entry = Entry.objects.get(action="evidence.add")
    assert (entry.object_type, entry.object_id) == ("cases.case", str(general_case.pk))


def test_organ_b_cannot_attach_to_organ_as_case(general_case: Case, officer_b: Any) -> None:
    response = api_upload(officer_b, str(general_case.pk))
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["body.object_id"]
    assert nothing_attached()

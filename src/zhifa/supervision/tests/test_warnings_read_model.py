"""One read model of the warnings (``supervision.warnings.gather``): the page and the
API list the same warnings of every source, narrowed by the same filters; the API
refuses an organ outside the caller's scope, naming the field (issue #17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject, Officer
from zhifa.supervision import warnings

from .test_warning_models import officer
from .test_warnings import red_case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = reverse("supervision:warning_list")
API = "/api/v1/supervision/warnings"


@pytest.fixture
def expiring(red_case: Case, organ_a: EnforcementSubject) -> Officer:  # noqa: F811
    """An officer of organ A whose certificate ended before the day (a red certificate
    warning), beside the red case warning."""
    return officer(organ_a, "过期员", ("2020-01-01", "2026-12-01"))


def _page_rows(user: User, **params: Any) -> list[tuple[str, str, str, int]]:
    """(model, level, rule, organ) of every warning the page lists (all its tables)."""
    response = client_for(user).get(URL, params)
    assert response.status_code == 200
    context = response.context
    found = [
        ("case_" + r["item"].kind, r["item"].level, r["item"].rule, r["case"].organ_id)
        for r in context["rows"]
    ]
    found += [("complaint_ack", c.level, c.rule, c.clock.organ_id) for c in context["clocks"]]
    found += [(w.model, w.level, w.rule, w.organ_id) for w in context["others"]]
    found += [("notice", w.level, w.rule, w.organ_id) for w in context["notice_warnings"]]
    return sorted(found)


def _api_rows(user: User, **params: Any) -> list[tuple[str, str, str, int]]:
    response = client_for(user).get(API, params)
    assert response.status_code == 200, response.content
    return sorted(
        (w["model"], w["level"], w["rule"], w["organ_id"]) for w in response.json()["items"]
    )


def test_the_page_and_the_api_list_the_same_warnings_of_every_source(
    expiring: Officer,
    red_case: Case,  # noqa: F811
    supervisor_city: User,
    head_a: User,
) -> None:
    for user in (supervisor_city, head_a):
        both = _page_rows(user)
        assert ("case_deadline", "red", "REG-decision", red_case.organ_id) in both
        assert any(row[0] == "certificate" for row in both)
        assert _api_rows(user) == both
        for params in ({"level": "red"}, {"rule": "REG-decision"}, {"organ": red_case.organ_id}):
            assert _api_rows(user, **params) == _page_rows(user, **params), params
    # The counts by organ are those of the same model, of every source.
    found = warnings.gather(supervisor_city, timezone.localdate())
    counts = found.counts()
    assert counts.red == len(_page_rows(supervisor_city, level="red")) >= 2
    assert found.organ_levels()[red_case.organ_id][0] == counts.red


def test_the_api_refuses_an_organ_outside_the_callers_scope_naming_the_field(
    red_case: Case,  # noqa: F811
    supervisor_county_c: User,
    organ_c: EnforcementSubject,
    head_a: User,
) -> None:
    # A county supervisor asks for organ A's warnings (organ A is in the city, not the
    # county): refused, not answered as an empty list.
    response = client_for(supervisor_county_c).get(API, {"organ": red_case.organ_id})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert [e["path"] for e in body["errors"]] == ["query.organ"]
    # An organ head asks for another organ's: refused the same way.
    response = client_for(head_a).get(API, {"organ": organ_c.pk})
    assert (response.status_code, response.json()["errors"][0]["path"]) == (403, "query.organ")
    # An organ that does not exist: the same answer (its existence is not revealed).
    assert client_for(head_a).get(API, {"organ": 987654}).status_code == 403
    # Their own organ: answered.
    assert client_for(head_a).get(API, {"organ": red_case.organ_id}).status_code == 200


def test_the_documented_403_names_the_organ() -> None:
    document = json.loads(
        (Path(__file__).resolve().parents[4] / "docs" / "openapi.json").read_text("utf-8")
    )
    operation = document["paths"]["/api/v1/supervision/warnings"]["get"]
    assert "query.organ" in operation["description"]
    assert "403" in operation["responses"]

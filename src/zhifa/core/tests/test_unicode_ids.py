"""An id in a URL or a query string is ASCII digits between 1 and 2**63 - 1
(``zhifa.core.validation.parse_id``): ``str.isdigit`` also accepts ``²``, ``③`` and
Arabic-Indic ``١``, which ``int`` refuses (a 500) or reads as ASCII digits (issue #10
follow-up). Every page that reads an id answers 200, 400 or 404, never 500."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from zhifa.core.testing import client_for
from zhifa.core.validation import DB_MAX_ID
from zhifa.records.services import add_evidence
from zhifa.records.tests.files import evidence_kwargs

BAD = ["²", "③", "١", "-1", "0", "1e3", " 1", "1 ", "1_0", "+1", str(2**63), "9" * 5000]


@pytest.mark.parametrize("value", BAD)
def test_parse_id_refuses_what_is_not_an_ascii_id(value: str) -> None:
    from zhifa.core.validation import parse_id

    assert parse_id(value) is None


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), ("42", 42), ("007", 7), (str(DB_MAX_ID), DB_MAX_ID)]
)
def test_parse_id_reads_ascii_ids(value: str, expected: int) -> None:
    from zhifa.core.validation import parse_id

    assert parse_id(value) == expected


def test_parse_id_canonical_refuses_leading_zeros() -> None:
    from zhifa.core.validation import parse_id

    assert parse_id("007", canonical=True) is None
    assert parse_id("7", canonical=True) == 7
    assert parse_id(None) is None and parse_id(7) is None


#: (who asks, the address with {v} for the id, the answers allowed)
PAGES = [
    ("officer", "/records/evidence/new/?case={v}", {404}),
    ("supervisor", "/cases/?organ={v}", {400}),
    ("officer", "/cases/new/?power_item={v}", {200}),
    ("officer", "/records/timeline/records.evidence/{v}/", {404}),
    ("supervisor", "/catalogue/export/power_items.csv?organ={v}", {404}),
]
VALUES = ["²", "١", "-1", "0", "1e3", " 1", str(2**63)]


@pytest.fixture
def users(officer_a: Any, supervisor_city: Any) -> dict[str, Any]:
    return {"officer": officer_a, "supervisor": supervisor_city}


@pytest.mark.django_db
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(("who", "url", "allowed"), PAGES)
def test_pages_never_answer_500(
    users: dict[str, Any], who: str, url: str, allowed: set[int], value: str
) -> None:
    client = client_for(users[who])
    client.raise_request_exception = False
    response = client.get(url.format(v=quote(value)))
    assert response.status_code in allowed


@pytest.mark.django_db
@pytest.mark.parametrize("value", VALUES)
def test_public_checkpoints_answer_a_json_400(value: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.get(f"/records/checkpoints.json?organ={quote(value)}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert [e["path"] for e in response.json()["errors"]] == ["query.organ"]


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_clock")  # the evidence is collected on 2026-11-20
def test_an_arabic_indic_id_does_not_read_as_the_ascii_one(officer_a: Any) -> None:
    evidence = add_evidence(**evidence_kwargs(officer_a))
    client = client_for(officer_a)
    assert client.get(f"/records/timeline/records.evidence/{evidence.pk}/").status_code == 200
    arabic = str(evidence.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.get(f"/records/timeline/records.evidence/{quote(arabic)}/")
    assert response.status_code == 404

"""The case's documents through the API (issue #14 item 4): the list the case page shows
(one read model, ``cases.documents.case_document_links``), issuing one (rendered once,
numbered, recorded), its PDF — with the scope of the pages: another organ's case is a 404,
a supervisor reads but does not issue, anonymous is 401."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.tests.conftest import PARTY, Walker
from zhifa.core.testing import client_for
from zhifa.documents.models import IssuedDocument
from zhifa.records.models import Entry

from .test_rendering import decided, text_of

pytestmark = pytest.mark.django_db


def test_list_issue_and_download_a_document(
    walk: Walker, officer_b: Any, supervisor_city: Any
) -> None:
    decision = decided(walk)
    base = f"/api/v1/cases/{walk.case.pk}/documents"
    officer = client_for(walk.p.officer_user)

    listed = officer.get(base)
    assert listed.status_code == 200
    rows = {(r["kind"], r["part"]): r for r in listed.json()}
    row = rows[("penalty_decision", 0)]
    assert row["available"] and row["can_issue"] and row["id"] is None and row["number"] is None

    created = officer.post(base, {"kind": "penalty_decision"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    document = IssuedDocument.objects.get(pk=body["id"])
    assert body["number"] == decision.document_number == document.number
    assert body["sm3"] == document.sm3 and not body["can_issue"]
    assert Entry.objects.filter(action="document.render", object_id=str(walk.case.pk)).count() == 1

    # Asked again: the same document, nothing new written.
    again = officer.post(base, {"kind": "penalty_decision"}, content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert IssuedDocument.objects.count() == 1

    pdf = officer.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == document.sha256
    assert PARTY["name"] in text_of(pdf.content) and document.number in text_of(pdf.content)
    assert Client().get(body["verify_url"]).status_code == 200

    # The list now carries the issued document, as the case page does.
    rows = {(r["kind"], r["part"]): r for r in officer.get(base).json()}
    assert rows[("penalty_decision", 0)]["id"] == body["id"]

    # A supervisor of the region reads the list and the PDF but does not issue.
    supervisor = client_for(supervisor_city)
    assert supervisor.get(base).status_code == 200
    assert supervisor.get(body["pdf_url"]).status_code == 200
    refused = supervisor.post(base, {"kind": "prior_notice"}, content_type="application/json")
    assert refused.status_code == 403
    # Another organ: as if no such case; anonymous: 401.
    other = client_for(officer_b)
    assert other.get(base).status_code == 404
    assert other.get(body["pdf_url"]).status_code == 404
    assert (
        other.post(base, {"kind": "prior_notice"}, content_type="application/json").status_code
        == 404
    )
    assert Client().get(base).status_code == 401
    assert IssuedDocument.objects.count() == 1


def test_bad_requests_name_the_field_and_write_nothing(walk: Walker) -> None:
    decided(walk)
    base = f"/api/v1/cases/{walk.case.pk}/documents"
    officer = client_for(walk.p.officer_user)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "no_such_document"}, "body.kind"),
        ({"kind": "demand"}, "body.kind"),  # the case has no demand step yet
        ({"kind": "inquiry_record", "part": 9}, "body.part"),  # no such record
        ({"kind": "penalty_decision", "part": 2}, "body.part"),  # made from the whole step
        ({"kind": "penalty_decision", "part": -1}, "body.part"),
        ({"kind": "penalty_decision", "colour": "red"}, "body.colour"),
        ({"kind": 3}, "body.kind"),
    ]
    for body, path in cases:
        response = officer.post(base, body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        paths = [e["path"] for e in response.json()["errors"]]
        assert any(p.startswith(path) for p in paths), (body, paths)
    assert officer.get(f"{base}/999999/pdf").status_code == 404
    assert IssuedDocument.objects.count() == 0

"""A case imported with thousands of steps (up to the cap) does not make its page slow
(issue 13, item 1): the page's queries do not grow with the steps, and it renders in
bounded CPU time."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.accounts.models import User
from zhifa.cases.services import import_document
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine.limits import MAX_STEPS

LEGAL_TESTS = Path(__file__).resolve().parents[2] / "rules" / "legal_tests"


def _imported(organ: EnforcementSubject, actor: User, steps: int, case_id: str) -> Any:
    document = json.loads((LEGAL_TESTS / "walk_breaks.json").read_text("utf-8"))
    base = document["steps"]
    document["steps"] = (base * (steps // len(base) + 1))[:steps]
    document["case_id"] = case_id
    return import_document(document, organ, actor=actor).case


@pytest.mark.django_db
def test_a_case_at_the_cap_has_a_quick_page(organ_a: EnforcementSubject, officer_a: User) -> None:
    client = client_for(officer_a)
    small = _imported(organ_a, officer_a, 20, "short-1")
    large = _imported(organ_a, officer_a, MAX_STEPS, "long-1")
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            # The process's CPU time, not the wall clock: other processes on a shared
            # machine (a CI runner, parallel jobs) must not fail the test.
            start = time.process_time()
            response = client.get(f"/cases/{case.pk}/")
            seconds = time.process_time() - start
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 2, counts
    assert seconds < 5.0, seconds

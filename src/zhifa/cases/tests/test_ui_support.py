"""Helpers shared by the web UI tests of cases (no tests here)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.catalogue.models import PowerItem
from zhifa.documents.models import IssuedNumber
from zhifa.records.models import Entry

from .conftest import FSL

GENERAL_OPEN = {
    "on": "2026-03-02",
    "source": "inspection",
    "procedure": "general",
    "party_type": "organisation",
    "party_name": "嘉兴某某食品有限公司",
    "party_uscc": "91110108551385082Q",
    "occurred_on": "2026-03-01",
    "discovered_on": "2026-03-02",
    "harm": "ordinary",
    "first_offence": "on",
    "law": FSL,
    "article": "第一百二十四条第一款",
    "penalty_types": ["warning", "fine", "confiscation", "revoke_permit"],
    "fine_min": "50000",
    "fine_max": "500000",
}


def open_case(client: Client, power_item: PowerItem, **overrides: Any) -> Case:
    """Open a case through the form; the new case."""
    before = set(Case.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("cases:open"), {**GENERAL_OPEN, "power_item": power_item.pk, **overrides}
    )
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.exclude(pk__in=before).get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    return case


def post_step(
    client: Client, case: Case, step: str, expected_steps: int | None = None, **data: Any
) -> Any:
    """Post a step form with the step count the user saw (default: the current one)."""
    count = case.steps.count() if expected_steps is None else expected_steps
    return client.post(
        reverse("cases:step", args=[case.pk, step]), {"expected_steps": count, **data}
    )


def step_ok(client: Client, case: Case, step: str, **data: Any) -> CaseStep:
    response = post_step(client, case, step, **data)
    assert response.status_code == 302, response.content.decode()
    last = case.steps.order_by("-index").first()
    assert last is not None and last.step == step
    return last


def written() -> tuple[int, ...]:
    """What a refused step must leave unchanged."""
    return (
        CaseStep.objects.count(),
        Entry.objects.count(),
        IssuedNumber.objects.count(),
        CaseOfficer.objects.count(),
        Case.objects.aggregate(n=Count("benchmark"))["n"],
    )

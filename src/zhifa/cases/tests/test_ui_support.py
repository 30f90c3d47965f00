"""Helpers shared by the web UI tests of cases (no tests here)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import PowerItem
from zhifa.documents.models import IssuedNumber
from zhifa.records.models import Entry

from .conftest import FSL, D

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


def make_bands(power_item: PowerItem, actor: Any) -> None:
    """A published benchmark of the power item: lighter 50 000–100 000 yuan, general
    100 000–200 000 yuan (the article: 50 000–500 000)."""
    catalogue.save_benchmark(
        power_item=power_item,
        violation="生产经营不符合食品安全标准的食品",
        penalty_article=power_item.basis.get(),
        statutory_range="并处五万元以上五十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(500000),
        valid_from=D("2024-01-01"),
        published=True,
        published_on=D("2024-01-01"),
        bands_data=[
            {
                "circumstance": "lighter",
                "conditions": "初次违法",
                "penalty": "罚款",
                "fine_min": Decimal(50000),
                "fine_max": Decimal(100000),
            },
            {
                "circumstance": "general",
                "conditions": "一般情形",
                "penalty": "罚款",
                "fine_min": Decimal(100000),
                "fine_max": Decimal(200000),
            },
        ],
        actor=actor,
    )

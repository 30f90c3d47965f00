"""Fixtures for catalogue tests: a law with articles, power items of organs A and B."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.catalogue import services
from zhifa.catalogue.models import LawLevel

FSL = "中华人民共和国食品安全法"


@pytest.fixture
def law(db, actor):
    law = services.save_law(
        name=FSL,
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 4, 29),
        actor=actor,
    )
    return law


@pytest.fixture
def articles(law, actor):
    return {
        number: services.add_article(
            law, number=number, text=f"{number}的条文。", ordinal=i, actor=actor
        )
        for i, number in enumerate(["第三十五条", "第一百二十二条", "第一百二十六条"])
    }


@pytest.fixture
def item_a(organ_a, articles, actor):
    return services.save_power_item(
        subject=organ_a,
        basis=[articles["第三十五条"], articles["第一百二十二条"]],
        code="CF-001",
        name="对未取得食品经营许可从事食品经营活动的行政处罚",
        category="penalty",
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        actor=actor,
    )


@pytest.fixture
def item_b(organ_b, articles, actor):
    return services.save_power_item(
        subject=organ_b,
        basis=[articles["第一百二十六条"]],
        code="CF-101",
        name="对安排未取得健康证明人员从事接触直接入口食品工作的行政处罚",
        category="penalty",
        valid_from=date(2024, 1, 1),
        actor=actor,
    )


BANDS = [
    {"circumstance": "no_penalty", "conditions": "初次违法且及时改正", "penalty": "不予处罚"},
    {
        "circumstance": "mitigated",
        "conditions": "主动消除危害后果",
        "fine_min": Decimal(20000),
        "fine_max": Decimal(50000),
    },
    {
        "circumstance": "lighter",
        "conditions": "货值较小",
        "fine_min": Decimal(50000),
        "fine_max": Decimal(65000),
    },
    {
        "circumstance": "general",
        "conditions": "一般情形",
        "fine_min": Decimal(65000),
        "fine_max": Decimal(85000),
    },
    {
        "circumstance": "heavier",
        "conditions": "造成健康损害",
        "fine_min": Decimal(85000),
        "fine_max": Decimal(100000),
    },
]


@pytest.fixture
def benchmark_a(item_a, articles, actor):
    return services.save_benchmark(
        power_item=item_a,
        violation="未取得食品经营许可从事食品经营活动",
        penalty_article=articles["第一百二十二条"],
        statutory_range="并处五万元以上十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(100000),
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        bands_data=BANDS,
        actor=actor,
    )


@pytest.fixture
def actor(supervisor_city, justice_city):
    """The user the catalogue tests act as: the city's supervisor. Law-text changes
    are recorded in the chain of the city's justice bureau."""
    return supervisor_city

"""The "fill in" of the new-case form (GET /cases/new/?power_item=…) takes the power
item's penalty provision, not the first article of its legal basis, and fills the
penalty types that provision sets and the fine range the catalogue recorded
(issue #10: it filled 第三十五条, the licensing requirement, and no penalty types)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import LawLevel
from zhifa.core.testing import client_for

FSL = "中华人民共和国食品安全法"
TODAY = date(2026, 12, 1)
LICENSING = "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"
PENALTY = (
    "违反本法规定，未取得食品生产经营许可从事食品生产经营活动的，由县级以上人民政府食品安全"
    "监督管理部门没收违法所得和违法生产经营的食品；货值金额不足一万元的，并处五万元以上十万元"
    "以下罚款。"
)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def item(organ_a, supervisor_city, justice_city):
    """A power item whose basis lists the licensing requirement first and the penalty
    provision second, as the catalogue lists 第三十五条 before 第一百二十二条."""
    law = catalogue.save_law(
        name=FSL,
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 4, 29),
        actor=supervisor_city,
    )
    licensing = catalogue.add_article(
        law, number="第三十五条", text=LICENSING, ordinal=35, actor=supervisor_city
    )
    penalty = catalogue.add_article(
        law, number="第一百二十二条第一款", text=PENALTY, ordinal=122, actor=supervisor_city
    )
    return catalogue.save_power_item(
        subject=organ_a,
        basis=[licensing, penalty],
        code="CF-122",
        name="对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
        category="penalty",
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        actor=supervisor_city,
    )


def prefill(user, item):
    response = client_for(user).get(f"/cases/new/?power_item={item.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    return form, response.content.decode()


def checked_types(html: str) -> set[str]:
    import re

    return {
        m.group(1)
        for m in re.finditer(
            r'<input type="checkbox" name="penalty_types" value="(\w+)"[^>]*>', html
        )
        if " checked" in m.group(0)
    }


@pytest.mark.django_db
def test_prefill_takes_the_benchmarks_penalty_provision(item, officer_a, supervisor_city):
    catalogue.save_benchmark(
        power_item=item,
        violation="未取得食品经营许可从事食品经营活动，货值金额不足一万元",
        penalty_article=item.basis.get(number="第一百二十二条第一款"),
        statutory_range="没收违法所得和违法经营的食品；并处五万元以上十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(100000),
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        bands_data=[
            {
                "circumstance": "general",
                "conditions": "一般情形",
                "penalty": "没收违法所得，并处罚款",
                "fine_min": Decimal(60000),
                "fine_max": Decimal(80000),
            }
        ],
        actor=supervisor_city,
    )
    form, html = prefill(officer_a, item)
    assert form["law"].value() == FSL
    assert form["article"].value() == "第一百二十二条第一款"
    assert set(form["penalty_types"].value()) == {"confiscation", "fine"}
    assert checked_types(html) == {"confiscation", "fine"}
    assert Decimal(form["fine_min"].value()) == Decimal(50000)
    assert Decimal(form["fine_max"].value()) == Decimal(100000)
    assert 'value="第一百二十二条第一款"' in html and 'value="第三十五条"' not in html


@pytest.mark.django_db
def test_without_a_benchmark_the_article_that_sets_penalties_is_taken(item, officer_a):
    form, html = prefill(officer_a, item)
    assert form["article"].value() == "第一百二十二条第一款"
    assert checked_types(html) == {"confiscation", "fine"}
    assert form["fine_min"].value() is None and form["fine_max"].value() is None


@pytest.mark.django_db
def test_penalty_types_read_from_the_provisions_text():
    from zhifa.cases.forms import penalty_types_in

    text = (
        "由县级以上人民政府食品安全监督管理部门责令改正，给予警告；拒不改正的，处五千元以上"
        "五万元以下罚款；情节严重的，责令停产停业，直至吊销许可证"
    )
    assert penalty_types_in(text) == ["warning", "fine", "revoke_permit", "suspend_business"]
    assert penalty_types_in(LICENSING) == []

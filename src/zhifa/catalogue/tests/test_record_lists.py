"""Power items, their reviews, discretion benchmarks and review-catalogue entries are
recorded in the owning organ's chain, one entry per change with the acting user;
saving without a change and refused changes append nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalogue import services
from zhifa.records.testing import appended, payload

from .conftest import BANDS


@pytest.mark.django_db
def test_power_item_create_update_review(organ_a, articles, head_a, reviewer_a, actor):
    with appended() as created:
        item = services.save_power_item(
            actor=head_a,
            subject=organ_a,
            basis=[articles["第三十五条"]],
            code="CF-900",
            name="对甲的处罚",
            category="penalty",
            valid_from=date(2024, 1, 1),
        )
    entry = created.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "power_item.create",
        organ_a.pk,
        head_a.pk,
    )
    data = payload(entry)
    assert data["code"] == "CF-900" and data["basis"] == [articles["第三十五条"].pk]

    with appended() as updated:
        services.save_power_item(item, actor=head_a, name="对甲的行政处罚")
        services.save_power_item(item, actor=head_a, name="对甲的行政处罚")
    assert payload(updated.one()) == {
        "changes": {"name": {"old": "对甲的处罚", "new": "对甲的行政处罚"}}
    }

    services.add_article_version(
        articles["第三十五条"], actor=actor, text="新。", valid_from=date(2025, 1, 1)
    )
    with appended() as reviewed:
        warnings = services.record_power_item_review(
            item, actor=reviewer_a, on=date(2025, 1, 10), note="依据未变"
        )
    entry = reviewed.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "power_item.review",
        organ_a.pk,
        reviewer_a.pk,
    )
    assert payload(entry)["warnings_closed"] == [w.pk for w in warnings]
    assert warnings[0].reviewed_by == reviewer_a


@pytest.mark.django_db
def test_benchmark_create_and_update(item_a, organ_a, head_a):
    fields = {
        "violation": "无证经营",
        "statutory_range": "五万元以上十万元以下",
        "statutory_min": Decimal(50000),
        "statutory_max": Decimal(100000),
        "valid_from": date(2024, 1, 1),
    }
    with appended() as created:
        benchmark = services.save_benchmark(
            actor=head_a, power_item=item_a, bands_data=BANDS, **fields
        )
    entry = created.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "benchmark.create",
        organ_a.pk,
        head_a.pk,
    )
    assert len(payload(entry)["bands"]) == 5
    with appended() as updated:
        services.save_benchmark(benchmark, actor=head_a, bands_data=BANDS, **fields)
        services.save_benchmark(benchmark, actor=head_a, description="说明")
    assert payload(updated.one()) == {"changes": {"description": {"old": "", "new": "说明"}}}
    with appended() as refused, pytest.raises(ValidationError):
        services.save_benchmark(benchmark, actor=head_a, bands_data=[])
    assert refused == []


@pytest.mark.django_db
def test_review_entry_create_update_and_refusal(organ_a, item_a, item_b, head_a):
    with appended() as entries:
        entry = services.save_review_entry(
            actor=head_a,
            organ=organ_a,
            power_items=[item_a],
            title="重大执法决定",
            criteria="罚款十万元以上",
            valid_from=date(2024, 1, 1),
        )
        services.save_review_entry(entry, actor=head_a, criteria="罚款五万元以上")
        with pytest.raises(ValidationError):
            services.save_review_entry(entry, actor=head_a, power_items=[item_b])
    assert [e.action for e in entries] == ["review_entry.create", "review_entry.update"]
    assert {e.organ_id for e in entries} == {organ_a.pk}
    assert payload(entries[0])["power_items"] == [item_a.code]


@pytest.mark.django_db
def test_refused_power_item_appends_nothing(organ_a, head_a):
    with appended() as entries, pytest.raises(ValidationError):
        services.save_power_item(actor=head_a, subject=organ_a, code="", name="", category="x")
    assert entries == []

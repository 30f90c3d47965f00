"""Every list page and list endpoint of the registry and catalogue runs a constant
number of queries, however many rows; Chinese substring search finds 1 and 2
characters."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from stdnum.cn import ric

from zhifa.catalogue import services
from zhifa.core.testing import client_for, make_organ
from zhifa.registry import services as registry_services
from zhifa.registry.models import SubjectType

from .conftest import BANDS

SEQ = count(1)


def _id_number() -> str:
    prefix = f"33042119850101{next(SEQ):03d}"
    return prefix + ric.calc_check_digit(prefix + "0")


def add_rows(organ, articles, n, media, actor, today):
    """n officers with certificates valid around ``today``, power items with basis,
    benchmarks with bands, review entries, entrustments and clean-up notices."""
    for _ in range(n):
        i = next(SEQ)
        officer = registry_services.save_officer(
            organ=organ,
            name=f"执法{i}",
            id_number=_id_number(),
            enforcement_fields="食品安全",
            actor=actor,
        )
        registry_services.issue_certificate(
            officer,
            number=f"Q-{i:05d}",
            issuing_authority="x",
            valid_from=today - timedelta(days=10),
            valid_to=today + timedelta(days=10),
            actor=actor,
        )
        item = services.save_power_item(
            subject=organ,
            basis=list(articles.values()),
            code=f"Q-{i}",
            name=f"事项{i}",
            category="penalty",
            valid_from=date(2024, 1, 1),
            actor=actor,
        )
        services.save_benchmark(
            power_item=item,
            violation=f"违法行为{i}",
            statutory_range="x",
            valid_from=date(2024, 1, 1),
            bands_data=BANDS[:1] + BANDS[3:4],
            actor=actor,
        )
        services.save_review_entry(
            organ=organ,
            title=f"目录{i}",
            criteria="x",
            valid_from=date(2024, 1, 1),
            power_items=[item],
            actor=actor,
        )
        entrusted = make_organ(f"受委托{i}", organ.region, SubjectType.ENTRUSTED, parent=organ)
        registry_services.create_entrustment(
            entrusting_organ=organ,
            entrusted=entrusted,
            power_items=[item],
            valid_from=date(2024, 1, 1),
            valid_to=today - timedelta(days=1),
            instrument=ContentFile(b"%PDF-1.4", name="w.pdf"),
            actor=actor,
        )
    services.add_article_version(
        articles["第三十五条"],
        text=f"新版本{next(SEQ)}",
        valid_from=date(2025, 1, 1) + timedelta(days=next(SEQ)),
        actor=actor,
    )
    registry_services.expire_due(today)


URLS = [
    reverse("registry:officer_list"),
    reverse("registry:entrustment_list"),
    reverse("cleanup_notices"),
    reverse("catalogue:power_item_list"),
    reverse("catalogue:benchmark_list"),
    reverse("catalogue:three_lists"),
    reverse("catalogue:review_catalogue"),
    reverse("catalogue:law_list"),
    "/api/v1/officers",
    "/api/v1/entrustments",
    "/api/v1/power-items",
    "/api/v1/benchmarks",
    "/api/v1/review-catalogue",
    "/api/v1/laws",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_list_queries_do_not_grow_with_rows(
    url, head_a, organ_a, articles, settings, tmp_path, actor, today
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(head_a)
    add_rows(organ_a, articles, 2, tmp_path, actor, today)
    assert client.get(url).status_code == 200  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows(organ_a, articles, 12, tmp_path, actor, today)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 14


@pytest.mark.django_db
def test_chinese_substring_search_one_and_two_characters(
    head_a, organ_a, articles, settings, tmp_path, actor
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(head_a)
    registry_services.save_officer(
        organ=organ_a, name="欧阳修", id_number=_id_number(), enforcement_fields="价格", actor=actor
    )
    registry_services.save_officer(organ=organ_a, name="李白", id_number=_id_number(), actor=actor)
    for q in ("阳", "欧阳", "价"):
        names = [o["name"] for o in client.get("/api/v1/officers", {"q": q}).json()["items"]]
        assert names == ["欧阳修"], q
    page = client.get(reverse("registry:officer_list"), {"q": "白"}).content.decode()
    assert "李白" in page and "欧阳修" not in page

    services.save_power_item(
        subject=organ_a,
        code="X-1",
        name="对无证经营的处罚",
        category="penalty",
        valid_from=date(2024, 1, 1),
        actor=actor,
    )
    services.save_power_item(
        subject=organ_a,
        code="X-2",
        name="食品经营许可",
        category="licensing",
        valid_from=date(2024, 1, 1),
        actor=actor,
    )
    for q in ("证", "无证"):
        codes = [p["code"] for p in client.get("/api/v1/power-items", {"q": q}).json()["items"]]
        assert codes == ["X-1"], q
    page = client.get(reverse("catalogue:power_item_list"), {"q": "许"}).content.decode()
    assert "食品经营许可" in page and "对无证经营的处罚" not in page
    laws = client.get("/api/v1/laws", {"q": "食品"}).json()["items"]
    assert [law["name"] for law in laws] == ["中华人民共和国食品安全法"]

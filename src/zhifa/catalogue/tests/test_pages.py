"""Every page of the registry and catalogue renders for every demo role (or refuses
with 403 where the role may not change things), in Chinese and in English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.catalogue.models import DiscretionBenchmark, Law, PowerItem
from zhifa.core.testing import client_for
from zhifa.registry.models import Certificate, EnforcementSubject, Entrustment, Officer


@pytest.fixture
def demo(demo_once, db, frozen_clock):
    """The demo, loaded once for the module (``demo_once``), as of its frozen day."""


def _urls():
    organ = EnforcementSubject.objects.get(name="嘉兴市市场监督管理局")
    officer = Officer.objects.get(name="张伟")
    certificate = Certificate.objects.get(number="330400-0001")
    item = PowerItem.objects.get(code="JXSJ-CF-001")
    benchmark = DiscretionBenchmark.objects.filter(power_item=item).first()
    law = Law.objects.get(name="中华人民共和国食品安全法")
    read = [
        reverse("registry:organ_detail", args=[organ.pk]),
        reverse("registry:officer_list"),
        reverse("registry:officer_detail", args=[officer.pk]),
        reverse("registry:certificate_card", args=[certificate.pk]),
        reverse("registry:entrustment_list"),
        reverse("catalogue:law_list"),
        reverse("catalogue:law_detail", args=[law.pk]),
        reverse("catalogue:power_item_list"),
        reverse("catalogue:power_item_detail", args=[item.pk]),
        reverse("catalogue:benchmark_list"),
        reverse("catalogue:benchmark_detail", args=[benchmark.pk]),
        reverse("catalogue:three_lists"),
        reverse("catalogue:review_catalogue"),
        reverse("catalogue:organ_export_json", args=[organ.pk]),
        reverse("catalogue:export", args=["power_items", "xlsx"]),
        reverse("catalogue:export", args=["benchmarks", "csv"]),
        reverse("catalogue:export", args=["officers", "xlsx"]),
    ]
    write = [
        reverse("registry:officer_create"),
        reverse("registry:officer_edit", args=[officer.pk]),
        reverse("registry:organ_edit", args=[organ.pk]),
        reverse("registry:entrustment_create"),
        reverse("catalogue:law_create"),
        reverse("catalogue:power_item_create"),
        reverse("catalogue:power_item_edit", args=[item.pk]),
        reverse("catalogue:benchmark_create"),
        reverse("catalogue:benchmark_edit", args=[benchmark.pk]),
        reverse("catalogue:review_entry_create"),
        reverse("catalogue:import"),
    ]
    return read, write


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["officer", "reviewer", "head", "supervisor", "admin"])
def test_every_page_renders_or_refuses(demo, username):
    user = User.objects.get(username=username)
    client = client_for(user)
    read, write = _urls()
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in write:
        assert client.get(url).status_code in (200, 403), url
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("registry:officer_list") in home or username == "reviewer"
    assert reverse("catalogue:power_item_list") in home


@pytest.mark.django_db
def test_pages_in_english(demo):
    client = client_for(User.objects.get(username="head"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    read, _write = _urls()
    html = client.get(read[2]).content.decode()
    assert "Certificates" in html and "National ID number" in html
    assert "Power list" in client.get(reverse("catalogue:power_item_list")).content.decode()


@pytest.mark.django_db
def test_entrustment_detail_for_the_entrusting_organs_supervisor(demo):
    entrustment = Entrustment.objects.get()
    client = client_for(User.objects.get(username="supervisor"))
    html = client.get(
        reverse("registry:entrustment_detail", args=[entrustment.pk])
    ).content.decode()
    assert "HYZZ-CF-001" in html and "海盐县武原街道综合行政执法队" in html
    # A city market-regulation officer is outside both organs.
    other = client_for(User.objects.get(username="officer"))
    assert (
        other.get(reverse("registry:entrustment_detail", args=[entrustment.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_demo_catalogue_has_real_bases_and_marked_demo_bands(demo):
    benchmark = DiscretionBenchmark.objects.select_related("penalty_article__law").get(
        power_item__code="JXSJ-CF-002"
    )
    assert str(benchmark.penalty_article) == "《中华人民共和国食品安全法》第一百二十六条"
    assert (benchmark.statutory_min, benchmark.statutory_max) == (5000, 50000)
    assert "演示数据" in benchmark.description
    assert "五千元以上五万元以下" in benchmark.penalty_article.versions.get().text
    assert Officer.objects.filter(kind="auxiliary").exists()
    assert Officer.objects.filter(legal_qualification=True, post="法制审核人员").exists()
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {"valid", "expired", "suspended", "revoked"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/catalogue/power-items/",
        "/catalogue/benchmarks/",
        "/catalogue/three-lists/",
        "/catalogue/review-catalogue/",
        "/catalogue/laws/",
    ],
)
def test_the_import_link_is_shown_only_to_who_may_import(demo, path) -> None:
    """Issue #10: an officer saw 导入 on the 权责清单 pages and got a 403 from it."""
    officer = client_for(User.objects.get(username="officer"))
    head = client_for(User.objects.get(username="head"))
    assert officer.get("/catalogue/import/").status_code == 403
    assert head.get("/catalogue/import/").status_code == 200
    page = officer.get(path)
    assert page.status_code == 200
    assert 'href="/catalogue/import/"' not in page.content.decode()
    assert 'href="/catalogue/import/"' in head.get(path).content.decode()

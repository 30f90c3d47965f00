"""The public portal's pages: open to anyone, only public data, per organ, with history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.catalogue import services as catalogue
from zhifa.core.testing import client_for

from .conftest import PRIVATE

pytestmark = pytest.mark.django_db


def public_urls(organ_a, region_code="330400"):
    pk = organ_a.pk
    return [
        reverse("portal:index"),
        reverse("portal:region", args=[region_code]),
        reverse("portal:subjects"),
        reverse("portal:subjects") + f"?region={region_code}",
        reverse("portal:organ", args=[pk]),
        reverse("portal:officers", args=[pk]),
        reverse("portal:powers", args=[pk]),
        reverse("portal:powers", args=[pk]) + "?on=2024-06-01",
        reverse("portal:benchmarks", args=[pk]),
        reverse("portal:entrustments", args=[pk]),
        reverse("portal:procedure"),
        reverse("portal:remedies"),
        reverse("portal:inspections"),
        reverse("portal:verify"),
    ]


def test_every_page_open_to_anonymous_visitors(world, organ_a, entrusted_a):
    client = Client()
    urls = [
        *public_urls(organ_a),
        reverse("portal:organ", args=[entrusted_a.pk]),
        reverse("portal:entrustments", args=[entrusted_a.pk]),
        reverse("portal:officers", args=[entrusted_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "portal/portal.css" in response.content.decode(), url


def test_no_personal_data_on_any_page(world, organ_a, organ_b, entrusted_a):
    client = Client()
    urls = public_urls(organ_a) + public_urls(organ_b, "330421")
    urls += [reverse("portal:organ", args=[entrusted_a.pk])]
    pages = {url: client.get(url).content.decode() for url in urls}
    assert "张执法" in pages[reverse("portal:officers", args=[organ_a.pk])]  # the test can fail
    for url, html in pages.items():
        for label, value in PRIVATE.items():
            assert value not in html, f"{label} leaked on {url}"


def test_an_organ_page_shows_only_its_own_data(world, organ_a, organ_b, item_a, item_b):
    client = Client()
    officers_a = client.get(reverse("portal:officers", args=[organ_a.pk])).content.decode()
    assert "A-0001" in officers_a and "张执法" in officers_a
    assert "B-0001" not in officers_a and "李执法" not in officers_a
    powers_a = client.get(reverse("portal:powers", args=[organ_a.pk])).content.decode()
    assert item_a.name in powers_a and item_b.name not in powers_a
    assert "《中华人民共和国食品安全法》第三十五条" in powers_a
    powers_b = client.get(reverse("portal:powers", args=[organ_b.pk])).content.decode()
    assert item_b.name in powers_b and item_a.name not in powers_b
    bench_b = client.get(reverse("portal:benchmarks", args=[organ_b.pk])).content.decode()
    assert "货值较小" not in bench_b
    bench_a = client.get(reverse("portal:benchmarks", args=[organ_a.pk])).content.decode()
    assert "货值较小" in bench_a and "初次违法且及时改正" in bench_a


def test_officer_status_and_auxiliary_staff(world, organ_a):
    html = Client().get(reverse("portal:officers", args=[organ_a.pk])).content.decode()
    assert "p-status-suspended" in html and "A-0002" in html
    assert PRIVATE["auxiliary"] not in html


def test_non_public_subjects_are_not_found(world, internal_unit, organ_a):
    client = Client()
    assert client.get(reverse("portal:organ", args=[internal_unit.pk])).status_code == 404
    organ_a.active = False
    organ_a.save()
    assert client.get(reverse("portal:organ", args=[organ_a.pk])).status_code == 404
    assert client.get(reverse("portal:powers", args=[organ_a.pk])).status_code == 404
    assert client.get(reverse("portal:region", args=["999999"])).status_code == 404


def test_the_power_list_keeps_its_history(
    world, organ_a, item_a, actor, articles, time_machine, today
):
    old_name = item_a.name
    time_machine.move_to(today + timedelta(days=3), tick=True)
    catalogue.save_power_item(
        item_a,
        name="对未取得许可从事食品经营的行政处罚（修订）",
        basis=[articles["第一百二十六条"]],
        actor=actor,
    )
    catalogue.save_power_item(
        subject=organ_a,
        code="CF-002",
        name="新增的权力事项",
        category="inspection",
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        actor=actor,
    )
    client = Client()
    url = reverse("portal:powers", args=[organ_a.pk])
    now = client.get(url).content.decode()
    assert "（修订）" in now and old_name not in now and "新增的权力事项" in now
    assert "第一百二十六条" in now and "第三十五条" not in now
    before = client.get(url + f"?on={today.isoformat()}").content.decode()
    assert old_name in before and "（修订）" not in before and "新增的权力事项" not in before
    assert "第三十五条" in before and "第一百二十六条" not in before
    # The day of the change is listed among the change days, with its link.
    changed_on = (today + timedelta(days=3)).isoformat()
    assert f"?on={changed_on}" in now


def test_history_day_bad_values_are_named(world, organ_a):
    client = Client()
    url = reverse("portal:powers", args=[organ_a.pk])
    for bad in ("yesterday", "2024-13-01", "2999-01-01"):
        response = client.get(url + f"?on={bad}")
        assert response.status_code == 200
        assert 'class="p-error" role="alert">on：' in response.content.decode()


def test_remedies_read_from_the_engine_with_history(world):
    client = Client()
    now = client.get(reverse("portal:remedies")).content.decode()
    assert "60 日内" in now and "《中华人民共和国行政复议法》第二十条" in now
    assert "REMEDY-periods" in now
    assert "第四十六条" in now
    before = client.get(reverse("portal:remedies") + "?on=2014-01-01").content.decode()
    assert "3 个月内" in before and "6 个月内" not in before
    assert "6 个月内" in now and "3 个月内" not in now


def test_root_is_the_portal_for_everyone(officer_a, organ_a):
    anonymous = Client().get("/")
    assert anonymous.status_code == 200
    assert reverse("core:home") not in anonymous.content.decode()
    signed_in = client_for(officer_a).get("/")
    assert signed_in.status_code == 200
    assert f'href="{reverse("core:home")}"' in signed_in.content.decode()
    assert reverse("core:home") == "/work/"
    assert Client().get(reverse("core:home")).status_code == 302


def test_section_links_only_when_the_page_exists(world):
    from django.urls import NoReverseMatch

    html = Client().get("/").content.decode()
    for name in ("disclosure:decisions", "statistics:index"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in html


def test_pages_are_cacheable(world, organ_a):
    client = Client()
    url = reverse("portal:powers", args=[organ_a.pk])
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_signed_in_pages_are_private(world, officer_a, organ_a):
    response = client_for(officer_a).get(reverse("portal:organ", args=[organ_a.pk]))
    assert "private" in response["Cache-Control"]


def test_language_switch_needs_no_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Administrative enforcement disclosure" in html
    assert client.get(reverse("portal:language")).status_code == 405


def test_verify_form(world):
    client = Client()
    response = client.get(reverse("portal:verify") + "?number=A-0001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "verify", args=["A-0001"]
    )
    bad = client.get(reverse("portal:verify") + "?number=a/b<c")
    assert bad.status_code == 200 and 'role="alert">number：' in bad.content.decode()


def test_entrustments_page(world, organ_a, entrusted_a, item_a):
    html = Client().get(reverse("portal:entrustments", args=[organ_a.pk])).content.decode()
    assert "嘉市监委〔2026〕1号" in html and entrusted_a.name in html and item_a.code in html
    page = Client().get(reverse("portal:organ", args=[entrusted_a.pk])).content.decode()
    assert organ_a.name in page
    assert reverse("portal:powers", args=[entrusted_a.pk]) not in page


def test_region_pages(world, organ_a, organ_b, organ_c):
    client = Client()
    city = client.get(reverse("portal:region", args=["330400"])).content.decode()
    assert organ_a.name in city and organ_b.name not in city
    assert reverse("portal:region", args=["330421"]) in city
    county = client.get(reverse("portal:region", args=["330421"])).content.decode()
    assert organ_b.name in county and organ_a.name not in county
    index = client.get("/").content.decode()
    assert reverse("portal:region", args=["330424"]) in index


def test_the_home_page_offers_filing_and_following_a_complaint_in_its_content() -> None:
    """Issue #16 walk: not only in the footer."""
    page = Client().get(reverse("portal:index")).content.decode()
    main = page.split('<main class="p-main">')[1].split("</main>")[0]
    assert f'href="{reverse("complaints:file")}"' in main
    assert f'href="{reverse("complaints:follow")}"' in main
    # Before the ex-ante disclosure: seen first on a phone.
    assert main.index('id="complaints"') < main.index('id="ex-ante"')

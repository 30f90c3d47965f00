"""Shared law, shared care (issue #13 item 6, ADR 0012): law text belongs to the
platform; one rule (``core.scope.may_change_law``) says who may change it, for the
pages, the API and the services alike; a change is recorded in the keeper's chain and
in the chain of every organ whose power items cite the changed article, with an update
warning on those items; an organ that relies on nothing changed sees nothing."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.catalogue import services
from zhifa.catalogue.models import ArticleVersion, PowerItemWarning
from zhifa.core.scope import may_change_law
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.records.testing import appended, payload


@pytest.fixture
def reviewer_county(organ_b):
    """A legal reviewer of 嘉善县市场监督管理局: an enforcing organ, not the justice side."""
    return make_user("reviewer_b", Role.LEGAL_REVIEWER, organ=organ_b, full_name="钱多")


def _verify() -> str:
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestTheCountyReviewerIsRefused:
    """The county reviewer of issue #13 may not change 食品安全法第三十五条, which the city
    bureau's power item relies on: refused by the service, the page and the API alike,
    and nothing is written."""

    def test_the_rule(
        self, reviewer_county, reviewer_a, supervisor_city, admin_user, officer_a, justice_city
    ):
        assert not may_change_law(reviewer_county)
        assert not may_change_law(reviewer_a)
        assert not may_change_law(officer_a)
        assert may_change_law(supervisor_city) and may_change_law(admin_user)
        keeper = make_user("reviewer_j", Role.LEGAL_REVIEWER, organ=justice_city)
        assert may_change_law(keeper)

    def test_service(self, reviewer_county, articles, item_a):
        article = articles["第三十五条"]
        with appended() as entries:
            with pytest.raises(PermissionDenied):
                services.add_article_version(
                    article, actor=reviewer_county, text="县里改的。", valid_from=date(2026, 1, 1)
                )
            with pytest.raises(PermissionDenied):
                services.repeal_article(article, actor=reviewer_county, on=date(2026, 1, 1))
            with pytest.raises(PermissionDenied):
                services.save_law(article.law, actor=reviewer_county, document_number="x")
        assert entries == []
        assert article.versions.count() == 1
        assert not PowerItemWarning.objects.exists()

    def test_page_and_api(self, reviewer_county, articles, item_a):
        article = articles["第三十五条"]
        client = client_for(reviewer_county)
        page = client.post(
            reverse("catalogue:article_version", args=[article.pk]),
            {"text": "县里改的。", "valid_from": "2026-01-01"},
        )
        api = client.post(
            f"/api/v1/articles/{article.pk}/versions",
            {"text": "县里改的。", "valid_from": "2026-01-01"},
            content_type="application/json",
        )
        assert (page.status_code, api.status_code) == (403, 403)
        detail = client.get(reverse("catalogue:law_detail", args=[article.law_id]))
        assert detail.status_code == 200
        assert reverse("catalogue:article_version", args=[article.pk]) not in (
            detail.content.decode()
        )
        assert ArticleVersion.objects.filter(article=article).count() == 1
        assert not Entry.objects.filter(action="article.new_version").exists()


@pytest.mark.django_db
def test_a_change_is_recorded_for_every_relying_organ_with_a_warning(
    supervisor_city, justice_city, organ_a, organ_b, organ_c, articles, item_a, item_b, head_a
):
    article = articles["第三十五条"]  # cited by the city bureau's CF-001 only
    with appended() as entries:
        services.add_article_version(
            article, actor=supervisor_city, text="修改后的条文。", valid_from=date(2026, 1, 1)
        )
    keeper, told = entries
    assert (keeper.action, keeper.organ_id) == ("article.new_version", justice_city.pk)
    assert (told.action, told.organ_id) == ("power_item.basis_changed", organ_a.pk)
    assert (told.object_type, told.object_id) == ("catalogue.article", str(article.pk))
    data = payload(told)
    assert data["source"] == {
        "organ": justice_city.pk,
        "seq": keeper.seq,
        "action": "article.new_version",
        "entry_hash": keeper.entry_hash,
    }
    assert data["articles"] == ["第三十五条"] and data["items"] == ["CF-001"]
    assert data["warnings"] == [{"item": "CF-001", "deadline": "2026-02-01"}]

    # The city bureau sees the warning on its item and the entry in its own record.
    warning = PowerItemWarning.objects.get()
    assert warning.power_item == item_a and warning.is_open
    client = client_for(head_a)
    listed = client.get("/api/v1/power-items").json()
    (mine,) = [i for i in listed["items"] if i["code"] == "CF-001"]
    assert [w["article"] for w in mine["update_warnings"]] == [str(article)]
    record = client.get("/api/v1/records/entries").json()["items"]
    assert "power_item.basis_changed" in {e["action"] for e in record}

    # The county bureau (its item cites 第一百二十六条) and 海盐县 rely on nothing that
    # changed: no entry in their chains, no warning on their items.
    assert not Entry.objects.filter(organ__in=[organ_b, organ_c]).exclude(pk__lt=keeper.pk).exists()
    assert not item_b.update_warnings.exists()

    assert _verify().startswith("records verify: OK")


@pytest.mark.django_db
def test_a_repealed_law_tells_each_relying_organ_once(
    supervisor_city, justice_city, organ_a, organ_b, organ_c, articles, item_a, item_b
):
    law = item_a.basis.first().law
    with appended() as entries:
        services.repeal_law(law, actor=supervisor_city, on=date(2026, 6, 1))
    assert [(e.action, e.organ_id) for e in entries] == [
        ("law.repeal", justice_city.pk),
        ("power_item.basis_changed", organ_a.pk),
        ("power_item.basis_changed", organ_b.pk),
    ]
    city, county = (json.loads(e.payload) for e in entries[1:])
    assert city["articles"] == ["第三十五条", "第一百二十二条"] and city["items"] == ["CF-001"]
    assert county["articles"] == ["第一百二十六条"] and len(county["warnings"]) == 1
    assert not Entry.objects.filter(organ=organ_c).exists()

    # A change of the law's own fields (its name is in every citation) is told too,
    # without a warning (the text did not change).
    with appended() as renamed:
        services.save_law(law, actor=supervisor_city, document_number="主席令第二十一号")
    assert [(e.action, e.organ_id) for e in renamed] == [
        ("law.update", justice_city.pk),
        ("power_item.basis_changed", organ_a.pk),
        ("power_item.basis_changed", organ_b.pk),
    ]
    assert [json.loads(e.payload)["warnings"] for e in renamed[1:]] == [[], []]
    assert PowerItemWarning.objects.count() == 3  # the repeal's, none added
    assert _verify().startswith("records verify: OK")

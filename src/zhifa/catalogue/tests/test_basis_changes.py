"""The JL one-month update rule (JL 三(二), rule JL-power-list-update)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.catalogue import services
from zhifa.catalogue.models import PowerItemWarning
from zhifa.core.testing import client_for


@pytest.mark.django_db
class TestRepeal:
    def test_repealing_an_article_flags_the_items_citing_it(
        self, item_a, item_b, articles, officer_a, reviewer_a, actor
    ):
        services.repeal_article(articles["第一百二十二条"], on=date(2026, 3, 15), actor=actor)
        warning = PowerItemWarning.objects.get()
        assert warning.power_item == item_a and warning.deadline == date(2026, 4, 15)
        version = articles["第一百二十二条"].versions.get()
        assert version.valid_to == date(2026, 3, 14)

        client = client_for(officer_a)
        detail = client.get(
            reverse("catalogue:power_item_detail", args=[item_a.pk])
        ).content.decode()
        assert "2026-04-15" in detail and "JL-power-list-update" in detail
        listing = client.get(reverse("catalogue:power_item_list")).content.decode()
        assert "2026-04-15" in listing
        api = client.get(f"/api/v1/power-items/{item_a.pk}").json()
        assert api["update_warnings"][0]["deadline"] == "2026-04-15"
        assert api["update_warnings"][0]["rule"] == "JL-power-list-update"
        flagged = client.get("/api/v1/power-items?warning=true").json()["items"]
        assert [i["code"] for i in flagged] == ["CF-001"]

        # Recording the review closes the warning.
        response = client_for(reviewer_a).post(
            reverse("catalogue:power_item_review", args=[item_a.pk]),
            {"note": "依据已废止，改为引用新条款"},
        )
        assert response.status_code == 302
        warning.refresh_from_db()
        assert warning.reviewed_on and warning.reviewed_by == reviewer_a
        assert client.get(f"/api/v1/power-items/{item_a.pk}").json()["update_warnings"] == []
        assert client.get("/api/v1/power-items?warning=true").json()["items"] == []

    def test_new_version_flags_and_closes_the_previous_version(self, item_a, articles, actor):
        article = articles["第三十五条"]
        services.add_article_version(
            article, text="新条文", valid_from=date(2026, 1, 31), actor=actor
        )
        assert PowerItemWarning.objects.get().deadline == date(2026, 2, 28)
        old, new = article.versions.order_by("valid_from")
        assert old.valid_to == date(2026, 1, 30) and new.valid_to is None
        assert article.version_on(date(2026, 1, 30)) == old
        assert article.version_on(date(2026, 1, 31)) == new

    def test_items_no_longer_in_force_are_not_flagged(self, item_a, articles, actor):
        services.save_power_item(item_a, valid_to=date(2025, 12, 31), actor=actor)
        services.repeal_article(articles["第三十五条"], on=date(2026, 3, 1), actor=actor)
        assert PowerItemWarning.objects.count() == 0

    def test_repeal_law_repeals_every_article(self, law, item_a, item_b, actor):
        services.repeal_law(law, on=date(2026, 5, 1), actor=actor)
        law.refresh_from_db()
        assert law.repealed_on == date(2026, 5, 1)
        assert law.articles.filter(repealed_on__isnull=True).count() == 0
        assert {w.power_item_id for w in PowerItemWarning.objects.all()} == {item_a.pk, item_b.pk}
        # One warning per changed article cited: item A cites two articles.
        assert PowerItemWarning.objects.filter(power_item=item_a).count() == 2

    def test_bad_dates_are_refused(self, articles, actor):
        article = articles["第三十五条"]
        with pytest.raises(ValidationError) as exc:
            services.add_article_version(
                article, text="x", valid_from=date(2020, 1, 1), actor=actor
            )
        assert "valid_from" in exc.value.message_dict
        services.repeal_article(article, on=date(2026, 1, 1), actor=actor)
        with pytest.raises(ValidationError):
            services.repeal_article(article, on=date(2026, 2, 1), actor=actor)

    def test_review_needs_an_open_warning_and_a_note(self, item_a, reviewer_a):
        with pytest.raises(ValidationError):
            services.record_power_item_review(
                item_a, actor=reviewer_a, on=date(2026, 1, 1), note="x"
            )
        with pytest.raises(ValidationError):
            services.record_power_item_review(
                item_a, actor=reviewer_a, on=date(2026, 1, 1), note=" "
            )

    def test_repeal_through_the_api(self, item_a, articles, supervisor_city, officer_a):
        article = articles["第一百二十二条"]
        denied = client_for(officer_a).post(
            f"/api/v1/articles/{article.pk}/repeal",
            {"on": "2026-03-15"},
            content_type="application/json",
        )
        assert denied.status_code == 403
        body = (
            client_for(supervisor_city)
            .post(
                f"/api/v1/articles/{article.pk}/repeal",
                {"on": "2026-03-15"},
                content_type="application/json",
            )
            .json()
        )
        assert body["repealed_on"] == "2026-03-15"
        assert PowerItemWarning.objects.filter(power_item=item_a).count() == 1

    def test_repeal_through_the_page(self, item_a, articles, supervisor_city):
        article = articles["第一百二十二条"]
        response = client_for(supervisor_city).post(
            reverse("catalogue:article_repeal", args=[article.pk]), {"on": "2026-03-15"}
        )
        assert response.status_code == 302
        assert PowerItemWarning.objects.filter(power_item=item_a).exists()


@pytest.mark.django_db
def test_normative_documents_cannot_be_cited(organ_a, actor):
    doc = services.save_law(
        name="关于某事项的通知",
        level="normative_document",
        issuing_body="某局",
        valid_from=date(2024, 1, 1),
        actor=actor,
    )
    article = services.add_article(doc, number="第一条", text="x", actor=actor)
    with pytest.raises(ValidationError) as exc:
        services.save_power_item(
            subject=organ_a,
            basis=[article],
            code="X",
            name="x",
            category="penalty",
            valid_from=date(2024, 1, 1),
            actor=actor,
        )
    assert "basis" in exc.value.message_dict
    assert not doc.citable


@pytest.mark.django_db
def test_repeal_law_and_patch_item_through_the_api(law, item_a, articles, supervisor_city, head_a):
    body = (
        client_for(supervisor_city)
        .post(
            f"/api/v1/laws/{law.pk}/repeal",
            {"repealed_on": "2026-06-01"},
            content_type="application/json",
        )
        .json()
    )
    assert body["repealed_on"] == "2026-06-01"
    assert client_for(head_a).get(f"/api/v1/power-items/{item_a.pk}").json()["update_warnings"]
    patched = (
        client_for(head_a)
        .patch(
            f"/api/v1/power-items/{item_a.pk}",
            {"basis_article_ids": [articles["第一百二十六条"].pk], "valid_to": "2026-12-31"},
            content_type="application/json",
        )
        .json()
    )
    assert patched["basis"] == ["《中华人民共和国食品安全法》第一百二十六条"]
    assert patched["valid_to"] == "2026-12-31"

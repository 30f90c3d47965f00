"""Law-text changes are recorded in the chain of the organ that made them: the actor's
own organ (a justice bureau's legal reviewer), or for a supervisor the justice bureau of
their region (or the nearest one above), or for an administrator without a region the
one top-level justice bureau.
Where no chain fits, the change is refused and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalogue import services
from zhifa.catalogue.models import Law, LawLevel
from zhifa.core.roles import Role
from zhifa.core.testing import make_user
from zhifa.records.canonical import sm3_hex
from zhifa.records.testing import appended, payload


def _law(actor, name="中华人民共和国测试法"):
    return services.save_law(
        actor=actor,
        name=name,
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 1, 1),
    )


@pytest.mark.django_db
def test_justice_bureau_reviewer_records_in_own_organ(justice_city):
    # A legal reviewer of an enforcing organ may not change law text (ADR 0012,
    # test_shared_law.py); one of the justice bureau may.
    reviewer = make_user("reviewer_j", Role.LEGAL_REVIEWER, organ=justice_city)
    with appended() as entries:
        law = _law(reviewer)
    entry = entries.one()
    assert (entry.action, entry.organ_id, entry.actor_id) == (
        "law.create",
        justice_city.pk,
        reviewer.pk,
    )
    assert (entry.object_type, entry.object_id) == ("catalogue.law", str(law.pk))
    assert payload(entry)["name"] == "中华人民共和国测试法"


@pytest.mark.django_db
def test_supervisor_records_in_the_justice_bureau_of_the_region(
    regions, supervisor_county_c, justice_city
):
    # 海盐县 has no justice bureau registered: the city's (one region up) records it.
    with appended() as entries:
        _law(supervisor_county_c)
    assert entries.one().organ_id == justice_city.pk


@pytest.mark.django_db
def test_administrator_records_in_the_top_justice_bureau(admin_user, justice_city):
    with appended() as entries:
        _law(admin_user)
    assert entries.one().organ_id == justice_city.pk


@pytest.mark.django_db
def test_no_justice_bureau_refuses_and_writes_nothing(supervisor_city, admin_user):
    with appended() as entries:
        for actor in (supervisor_city, admin_user):
            with pytest.raises(ValidationError) as exc:
                _law(actor)
            assert "司法局" in exc.value.message_dict["law"][0]
    assert entries == [] and not Law.objects.exists()


@pytest.mark.django_db
def test_every_law_text_change_is_one_entry(actor, justice_city, item_a):
    law = item_a.basis.first().law
    with appended() as entries:
        services.save_law(law, actor=actor, document_number="主席令第二十一号")
        services.save_law(law, actor=actor, document_number="主席令第二十一号")  # unchanged
        article = services.add_article(law, actor=actor, number="第九十九条", text="新条文。")
        services.add_article_version(
            article, actor=actor, text="修改后的条文。", valid_from=date(2025, 1, 1)
        )
        services.repeal_article(article, actor=actor, on=date(2026, 1, 1))
    # The law's change is told to the organ whose item cites it (test_shared_law.py);
    # the new article is cited by no item.
    told = [e for e in entries if e.organ_id != justice_city.pk]
    assert [(e.action, e.organ_id) for e in told] == [
        ("power_item.basis_changed", item_a.subject_id)
    ]
    entries = [e for e in entries if e.organ_id == justice_city.pk]
    assert [e.action for e in entries] == [
        "law.update",
        "article.add",
        "article.new_version",
        "article.repeal",
    ]
    assert {e.organ_id for e in entries} == {justice_city.pk}
    assert {e.actor_id for e in entries} == {actor.pk}
    update, add, version, repeal = (payload(e) for e in entries)
    assert update == {"changes": {"document_number": {"old": "", "new": "主席令第二十一号"}}}
    assert add["number"] == "第九十九条" and add["text_sm3"] == sm3_hex("新条文。".encode())
    assert version["valid_from"] == "2025-01-01" and version["previous_valid_to"] == "2024-12-31"
    assert repeal == {
        "law": law.pk,
        "number": "第九十九条",
        "repealed_on": "2026-01-01",
        "items_warned": 0,
    }

    # Repealing the law is one entry listing the articles repealed with it; the items
    # citing them are warned.
    with appended() as repealed:
        services.repeal_law(law, actor=actor, on=date(2026, 6, 1))
    entry = repealed[0]
    assert [e.action for e in repealed[1:]] == ["power_item.basis_changed"]
    assert entry.action == "law.repeal" and entry.object_id == str(law.pk)
    data = payload(entry)
    assert data["articles"] == ["第三十五条", "第一百二十二条", "第一百二十六条"]
    assert data["items_warned"] == 2


@pytest.mark.django_db
def test_refused_law_text_changes_append_nothing(actor, articles):
    article = articles["第三十五条"]
    with appended() as entries:
        with pytest.raises(ValidationError):
            services.add_article_version(
                article, actor=actor, text=" ", valid_from=date(2030, 1, 1)
            )
        with pytest.raises(ValidationError):
            services.repeal_article(article, actor=actor, on=date(2000, 1, 1))
        with pytest.raises(ValidationError):
            services.repeal_law(article.law, actor=actor, on=date(2000, 1, 1))
        with pytest.raises(ValidationError):
            services.save_law(actor=actor, name="", level="law", issuing_body="", valid_from=None)
    assert entries == []

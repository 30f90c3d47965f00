"""The tamper suite (issue 13 item 2), recorded objects: an officer, a certificate, an
entrustment, a power item, a discretion benchmark, a review-catalogue entry, an account,
a law or an article changed or deleted directly in the database (bypassing the services)
no longer matches what its record entries say, and ``zhifa records verify`` fails naming
the object and the field. Changes made through the services pass, also when an object's
later changes are recorded in another organ's chain (an officer or account moved, law
text changed by another justice bureau). The cost of the check does not grow with the
number of objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum.cn import ric

from zhifa.accounts.models import Role, User
from zhifa.accounts.services import save_user
from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import (
    Article,
    ArticleVersion,
    BenchmarkBand,
    DiscretionBenchmark,
    Law,
    LawLevel,
    PowerItem,
    ReviewCatalogueItem,
)
from zhifa.core.testing import make_organ, make_user
from zhifa.records.verification import verify_chain
from zhifa.registry import services as registry
from zhifa.registry.models import Certificate, Entrustment, Officer, SubjectType

from .test_tamper_suite import run_verify

pytestmark = pytest.mark.django_db

BANDS: list[dict[str, Any]] = [
    {"circumstance": "no_penalty", "conditions": "初次违法且及时改正", "penalty": "不予处罚"},
    {
        "circumstance": "general",
        "conditions": "一般情形",
        "fine_min": Decimal(50000),
        "fine_max": Decimal(80000),
    },
]


def _id_number(serial: int) -> str:
    prefix = f"33042119850312{serial:03d}"
    return prefix + ric.calc_check_digit(prefix + "0")


_serials = iter(range(100, 1000))


def _officer(organ: Any, actor: User, name: str) -> Officer:
    return registry.save_officer(
        actor=actor, organ=organ, name=name, post="科员", id_number=_id_number(next(_serials))
    )


def _power_item(organ: Any, actor: User, code: str, basis: list[Article]) -> PowerItem:
    return catalogue.save_power_item(
        subject=organ,
        basis=basis,
        code=code,
        name=f"事项{code}",
        category="penalty",
        valid_from=date(2024, 1, 1),
        actor=actor,
    )


@pytest.fixture
def world(frozen_clock, admin_user, supervisor_city, justice_city, organ_a, organ_c, regions):
    """One recorded object of each type, all made through the services: the law text in
    the city justice bureau's chain, the rest in organ A's."""
    law = catalogue.save_law(
        name="中华人民共和国食品安全法",
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 4, 29),
        actor=supervisor_city,
    )
    spare_law = catalogue.save_law(
        name="某某条例",
        level=LawLevel.LOCAL_REGULATION,
        issuing_body="浙江省人民代表大会常务委员会",
        valid_from=date(2021, 1, 1),
        actor=supervisor_city,
    )
    article = catalogue.add_article(law, number="第三十五条", text="原文。", actor=supervisor_city)
    penalty = catalogue.add_article(
        law, number="第一百二十二条", text="罚则。", ordinal=1, actor=supervisor_city
    )
    spare_article = catalogue.add_article(
        law, number="第一百五十条", text="附则。", ordinal=2, actor=supervisor_city
    )
    officer = _officer(organ_a, admin_user, "张三")
    spare_officer = _officer(organ_a, admin_user, "李四")
    certificate = registry.issue_certificate(
        officer,
        number="33040012345",
        issuing_authority="浙江省人民政府",
        valid_from=date(2024, 1, 1),
        valid_to=date(2030, 12, 31),
        actor=admin_user,
    )
    item = _power_item(organ_a, admin_user, "CF-001", [article, penalty])
    entrusted = make_organ(
        "武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_a
    )
    entrustment = registry.create_entrustment(
        entrusting_organ=organ_a,
        entrusted=entrusted,
        power_items=[item],
        matters="食品经营检查",
        valid_from=date(2026, 1, 1),
        valid_to=date(2027, 12, 31),
        instrument=ContentFile(b"%PDF-1.4\n%%EOF\n", name="w.pdf"),
        actor=admin_user,
    )
    benchmark = catalogue.save_benchmark(
        power_item=item,
        violation="未取得许可从事食品经营",
        penalty_article=penalty,
        statutory_range="并处五万元以上十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(100000),
        valid_from=date(2024, 1, 1),
        bands_data=BANDS,
        actor=admin_user,
    )
    review_entry = catalogue.save_review_entry(
        organ=organ_a,
        power_items=[item],
        title="较大数额罚款",
        criteria="罚款十万元以上",
        category="penalty",
        valid_from=date(2024, 1, 1),
        actor=admin_user,
    )
    user = save_user(
        User(username="officer_z", full_name="周正", role=Role.OFFICER, organ=organ_a),
        actor=admin_user,
    )
    spare_user = save_user(
        User(username="officer_y", full_name="叶", role=Role.OFFICER, organ=organ_a),
        actor=admin_user,
    )
    code, text = run_verify()
    assert code == 0, text
    return SimpleNamespace(**locals())


def _update(model: Any, pk: int, **values: Any) -> None:
    model.objects.filter(pk=pk).update(**values)


#: (what, how the attacker changes it, the chain that reports it, the fragment).
CHANGES: list[tuple[str, Callable[[Any], object], str, Callable[[Any], str]]] = [
    (
        "officer post",
        lambda w: _update(Officer, w.officer.pk, post="局长"),
        "organ_a",
        lambda w: (
            f"officer 张三 (ID {w.officer.pk}): post differs from its record entry "
            '(recorded "科员", now "局长")'
        ),
    ),
    (
        "officer organ",
        lambda w: _update(Officer, w.officer.pk, organ=w.organ_c),
        "organ_a",
        lambda w: f"officer 张三 (ID {w.officer.pk}): organ differs",
    ),
    (
        "certificate status",
        lambda w: _update(Certificate, w.certificate.pk, status="revoked"),
        "organ_a",
        lambda w: f"certificate 33040012345 (ID {w.certificate.pk}): status differs",
    ),
    (
        "certificate valid_to",
        lambda w: _update(Certificate, w.certificate.pk, valid_to=date(2035, 1, 1)),
        "organ_a",
        lambda w: (
            f"certificate 33040012345 (ID {w.certificate.pk}): valid_to differs from "
            'its record entry (recorded "2030-12-31", now "2035-01-01")'
        ),
    ),
    (
        "entrustment valid_to",
        lambda w: _update(Entrustment, w.entrustment.pk, valid_to=date(2029, 12, 31)),
        "organ_a",
        lambda w: f"entrustment 武原街道执法队 (ID {w.entrustment.pk}): valid_to differs",
    ),
    (
        "entrustment status",
        lambda w: _update(Entrustment, w.entrustment.pk, status="terminated"),
        "organ_a",
        lambda w: f"entrustment 武原街道执法队 (ID {w.entrustment.pk}): status differs",
    ),
    (
        "entrustment power items",
        lambda w: w.entrustment.power_items.clear(),
        "organ_a",
        lambda w: (
            f"entrustment 武原街道执法队 (ID {w.entrustment.pk}): power_items differs "
            'from its record entry (recorded ["CF-001"], now [])'
        ),
    ),
    (
        "power item name",
        lambda w: _update(PowerItem, w.item.pk, name="改过的事项"),
        "organ_a",
        lambda w: f"power item CF-001 (ID {w.item.pk}): name differs",
    ),
    (
        "power item basis",
        lambda w: w.item.basis.remove(w.article),
        "organ_a",
        lambda w: f"power item CF-001 (ID {w.item.pk}): basis differs",
    ),
    (
        "benchmark statutory_max",
        lambda w: _update(DiscretionBenchmark, w.benchmark.pk, statutory_max=Decimal(200000)),
        "organ_a",
        lambda w: (
            f"discretion benchmark 未取得许可从事食品经营 (ID {w.benchmark.pk}): "
            'statutory_max differs from its record entry (recorded "100000", now "200000'
        ),
    ),
    (
        "benchmark band",
        lambda w: BenchmarkBand.objects.filter(
            benchmark=w.benchmark, circumstance="general"
        ).update(fine_max=Decimal(90000)),
        "organ_a",
        lambda w: (
            f"discretion benchmark 未取得许可从事食品经营 (ID {w.benchmark.pk}): bands differs"
        ),
    ),
    (
        "review entry criteria",
        lambda w: _update(ReviewCatalogueItem, w.review_entry.pk, criteria="罚款一百万元以上"),
        "organ_a",
        lambda w: f"review-catalogue entry 较大数额罚款 (ID {w.review_entry.pk}): criteria differs",
    ),
    (
        "user role",
        lambda w: _update(User, w.user.pk, role=Role.ORGAN_HEAD),
        "organ_a",
        lambda w: (
            f"user officer_z (ID {w.user.pk}): role differs from its record entry "
            '(recorded "officer", now "organ_head")'
        ),
    ),
    (
        "user active",
        lambda w: _update(User, w.user.pk, is_active=False),
        "organ_a",
        lambda w: f"user officer_z (ID {w.user.pk}): is_active differs",
    ),
    (
        "law issuing body",
        lambda w: _update(Law, w.law.pk, issuing_body="国务院"),
        "justice_city",
        lambda w: f"law 中华人民共和国食品安全法 (ID {w.law.pk}): issuing_body differs",
    ),
    (
        "law valid_from",
        lambda w: _update(Law, w.law.pk, valid_from=date(2015, 10, 1)),
        "justice_city",
        lambda w: f"law 中华人民共和国食品安全法 (ID {w.law.pk}): valid_from differs",
    ),
    (
        "article number",
        lambda w: _update(Article, w.article.pk, number="第三十六条"),
        "justice_city",
        lambda w: f"article 第三十六条 (ID {w.article.pk}): number differs",
    ),
    (
        "article text",
        lambda w: ArticleVersion.objects.filter(article=w.article).update(text="改过的条文。"),
        "justice_city",
        lambda w: f"article 第三十五条 (ID {w.article.pk}): text_sm3 differs",
    ),
]


@pytest.mark.parametrize(
    ("change", "chain", "fragment"),
    [pytest.param(c, o, f, id=name) for name, c, o, f in CHANGES],
)
def test_a_field_changed_outside_the_services_fails(world, change, chain, fragment):
    change(world)
    code, text = run_verify()
    assert code == 1, text
    assert "TAMPERED" in text, text
    assert f"organ {getattr(world, chain).pk} (" in text, text
    assert fragment(world) in text, text
    assert "changed outside the record" in text, text


@pytest.mark.parametrize(
    ("model", "attr", "chain", "fragment"),
    [
        (Officer, "spare_officer", "organ_a", "officer 李四 (ID {pk}) recorded at"),
        (Certificate, "certificate", "organ_a", "certificate 33040012345 (ID {pk}) recorded at"),
        (Entrustment, "entrustment", "organ_a", "entrustment ID {pk} recorded at"),
        (DiscretionBenchmark, "benchmark", "organ_a", "discretion benchmark 未取得许可从事"),
        (ReviewCatalogueItem, "review_entry", "organ_a", "review-catalogue entry 较大数额罚款"),
        (User, "spare_user", "organ_a", "user officer_y (ID {pk}) recorded at"),
        (Law, "spare_law", "justice_city", "law 某某条例 (ID {pk}) recorded at"),
        (Article, "spare_article", "justice_city", "article 第一百五十条 (ID {pk}) recorded at"),
    ],
)
def test_a_row_deleted_outside_the_services_fails(world, model, attr, chain, fragment):
    pk = getattr(world, attr).pk
    model.objects.filter(pk=pk).delete()
    code, text = run_verify()
    assert code == 1, text
    assert f"organ {getattr(world, chain).pk} (" in text, text
    assert fragment.format(pk=pk) in text and "was deleted" in text, text


def test_a_deleted_power_item_fails(world):
    # What protects it goes first, as an attacker would have it.
    pk = world.item.pk
    DiscretionBenchmark.objects.filter(pk=world.benchmark.pk).delete()
    PowerItem.objects.filter(pk=pk).delete()
    code, text = run_verify()
    assert code == 1, text
    assert f"organ {world.organ_a.pk} (" in text, text
    assert f"power item CF-001 (ID {pk}) recorded at" in text and "was deleted" in text, text


def test_changes_through_the_services_pass(world, admin_user, supervisor_city, organ_c, regions):
    w = world
    registry.save_officer(w.officer, actor=admin_user, post="副科长", legal_qualification=True)
    registry.change_certificate_status(
        w.certificate,
        status="suspended",
        reason="停职调查",
        effective_on=date(2026, 2, 1),
        actor=admin_user,
    )
    registry.update_entrustment(w.entrustment, power_items=[], actor=admin_user, matters="检查")
    registry.terminate_entrustment(w.entrustment, date(2026, 3, 1), actor=admin_user)
    catalogue.save_power_item(w.item, actor=admin_user, name="改名的事项", basis=[w.penalty])
    catalogue.save_benchmark(
        w.benchmark,
        actor=admin_user,
        statutory_max=Decimal(150000),
        bands_data=[{**BANDS[1], "fine_max": Decimal(120000)}],
    )
    catalogue.save_review_entry(w.review_entry, actor=admin_user, criteria="罚款二十万元以上")
    w.user.role = Role.LEGAL_REVIEWER
    save_user(w.user, actor=admin_user)
    catalogue.save_law(w.law, actor=supervisor_city, document_number="主席令第21号")
    catalogue.add_article_version(
        w.article, actor=supervisor_city, text="新文。", valid_from=date(2026, 1, 1)
    )
    catalogue.repeal_article(w.spare_article, actor=supervisor_city, on=date(2026, 2, 1))
    code, text = run_verify()
    assert code == 0, text

    # Later changes recorded in another organ's chain: an officer moved with its
    # certificate, an account moved, law text changed by another justice bureau.
    registry.save_officer(w.officer, actor=admin_user, organ=organ_c)
    registry.save_officer(w.officer, actor=admin_user, post="队长")
    registry.change_certificate_status(
        w.certificate,
        status="valid",
        reason="复职",
        effective_on=date(2026, 3, 1),
        actor=admin_user,
    )
    w.user.organ = organ_c
    save_user(w.user, actor=admin_user)
    w.user.role = Role.ORGAN_HEAD
    save_user(w.user, actor=admin_user)
    county = make_organ("海盐县司法局", regions["330424"], is_justice_bureau=True)
    reviewer = make_user("reviewer_county", Role.LEGAL_REVIEWER, organ=county)
    catalogue.save_law(w.law, actor=reviewer, issuing_body="全国人大常委会")
    catalogue.add_article_version(
        w.article, actor=reviewer, text="再新文。", valid_from=date(2026, 6, 1)
    )
    code, text = run_verify()
    assert code == 0, text


def test_not_compared(world):
    """What the record does not say is not compared: an article repealed without its
    ``article.repeal`` entry has no recorded ``repealed_on``, and an officer's ID number
    is recorded only as changed."""
    _update(Article, world.article.pk, repealed_on=date(2026, 1, 1))
    _update(Officer, world.officer.pk, id_number=_id_number(99))
    code, text = run_verify()
    assert code == 0, text


def test_queries_do_not_grow_with_the_objects(
    frozen_clock, admin_user, supervisor_city, justice_city, organ_a
):
    """Verifying organ A's chain (officers, certificates, power items, review entries,
    accounts) and the justice bureau's (law, articles) takes as many queries for one
    object of each type as for four."""
    law = catalogue.save_law(
        name="中华人民共和国食品安全法",
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 4, 29),
        actor=supervisor_city,
    )

    def add(i: int) -> None:
        article = catalogue.add_article(
            law, number=f"第{i}条", text="条文。", actor=supervisor_city
        )
        officer = _officer(organ_a, admin_user, f"执法员{i}")
        registry.issue_certificate(
            officer,
            number=f"3304000{i}",
            issuing_authority="浙江省人民政府",
            valid_from=date(2024, 1, 1),
            valid_to=date(2030, 12, 31),
            actor=admin_user,
        )
        item = _power_item(organ_a, admin_user, f"CF-{i}", [article])
        catalogue.save_review_entry(
            organ=organ_a,
            power_items=[item],
            title=f"事项{i}",
            criteria="罚款",
            category="penalty",
            valid_from=date(2024, 1, 1),
            actor=admin_user,
        )
        save_user(
            User(username=f"u{i}", full_name=f"用户{i}", role=Role.OFFICER, organ=organ_a),
            actor=admin_user,
        )

    def queries() -> list[int]:
        counts = []
        for organ in (organ_a, justice_city):
            with CaptureQueriesContext(connection) as captured:
                report = verify_chain(organ, files=False)
            assert report.problem is None, report.problem
            counts.append(len(captured))
        return counts

    add(1)
    one = queries()
    for i in range(2, 5):
        add(i)
    assert queries() == one


def test_a_moved_officers_certificate_is_compared_in_the_new_organs_chain(
    world, admin_user, organ_c
):
    """#13 item 2, F2: an officer transferred to another organ takes his certificates
    with him (``officer.transfer_in`` in the new organ's chain): a revoked certificate
    of his made valid directly in the database fails there."""
    w = world
    registry.change_certificate_status(
        w.certificate,
        status="revoked",
        reason="吊销",
        effective_on=date(2026, 2, 1),
        actor=admin_user,
    )
    registry.save_officer(w.officer, actor=admin_user, organ=organ_c)
    code, text = run_verify()
    assert code == 0, text
    _update(Certificate, w.certificate.pk, status="valid", valid_to=date(2031, 1, 1))
    code, text = run_verify()
    assert code == 1, text
    assert f"organ {organ_c.pk} (" in text, text
    assert f"certificate 33040012345 (ID {w.certificate.pk}): " in text, text
    assert "changed outside the record" in text, text


def test_a_moved_officer_is_compared_in_the_new_organs_chain(world, admin_user, organ_c):
    w = world
    registry.save_officer(w.officer, actor=admin_user, organ=organ_c)
    _update(Officer, w.officer.pk, legal_qualification=True)
    code, text = run_verify()
    assert code == 1, text
    assert f"organ {organ_c.pk} (" in text, text
    assert f"officer 张三 (ID {w.officer.pk}): legal_qualification differs" in text, text

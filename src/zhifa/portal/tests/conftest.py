"""Fixtures for the portal's tests: organ A with a published power list (a law with
articles), a discretion benchmark, officers with certificates and private data that
must never be shown, an entrusted organisation; organ B with its own list and officer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from stdnum.cn import ric

from zhifa.catalogue import services as catalogue
from zhifa.catalogue.tests import conftest as catalogue_conftest
from zhifa.core.testing import make_organ
from zhifa.registry import services as registry
from zhifa.registry.models import OfficerKind, SubjectType

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")


ID_A = make_id("33042119850312123")
ID_B = make_id("33040219900115123")
ID_AUX = make_id("33042419950430123")
#: Private values seeded into the registry: none may appear on a public page.
PRIVATE = {
    "id_a": ID_A,
    "id_b": ID_B,
    "id_aux": ID_AUX,
    "post": "科员甲岗位秘密",
    "qualification": "A20231234567890",
    "training": "内部培训课题机密",
    "exam": "内部考试名称机密",
    "reason": "因个人原因暂扣秘密理由",
    "auxiliary": "王协管",
    "username": "secret_login_name",
    "email": "secret.person@example.com",
}


# The catalogue tests' law, articles and organ A's power item, shared (not copied); organ
# B's item differs from the catalogue tests' one: here it is published.
actor = catalogue_conftest.actor
law = catalogue_conftest.law
articles = catalogue_conftest.articles
item_a = catalogue_conftest.item_a


@pytest.fixture
def item_b(organ_b, articles, actor):
    return catalogue.save_power_item(
        subject=organ_b,
        basis=[articles["第一百二十六条"]],
        code="CF-101",
        name="对安排未取得健康证明人员从事接触直接入口食品工作的行政处罚",
        category="penalty",
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        actor=actor,
    )


@pytest.fixture
def benchmark_a(item_a, articles, actor):
    return catalogue.save_benchmark(
        power_item=item_a,
        violation="未取得食品经营许可从事食品经营活动",
        penalty_article=articles["第一百二十二条"],
        statutory_range="并处五万元以上十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(100000),
        valid_from=date(2024, 1, 1),
        published=True,
        published_on=date(2024, 1, 1),
        bands_data=[
            {
                "circumstance": "no_penalty",
                "conditions": "初次违法且及时改正",
                "penalty": "不予处罚",
            },
            {
                "circumstance": "lighter",
                "conditions": "货值较小",
                "fine_min": Decimal(50000),
                "fine_max": Decimal(65000),
            },
        ],
        actor=actor,
    )


@pytest.fixture
def people(organ_a, organ_b, today, actor):
    """Officers of A and B with certificates, and private data around them."""
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_user

    account = make_user(
        PRIVATE["username"], Role.OFFICER, organ=organ_a, full_name="张执法", email=PRIVATE["email"]
    )
    a = registry.save_officer(
        organ=organ_a,
        name="张执法",
        id_number=ID_A,
        post=PRIVATE["post"],
        enforcement_fields="食品安全、价格",
        legal_qualification=True,
        legal_qualification_number=PRIVATE["qualification"],
        user=account,
        actor=actor,
    )
    registry.record_training(a, year=2026, hours=Decimal(8), topic=PRIVATE["training"], actor=actor)
    registry.record_exam(
        a,
        taken_on=today - timedelta(days=30),
        name=PRIVATE["exam"],
        score=Decimal(90),
        passed=True,
        actor=actor,
    )
    cert = registry.issue_certificate(
        a,
        number="A-0001",
        issuing_authority="嘉兴市人民政府",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    a2 = registry.save_officer(
        organ=organ_a, name="周暂停", id_number=make_id("33042119850312125"), actor=actor
    )
    cert2 = registry.issue_certificate(
        a2,
        number="A-0002",
        issuing_authority="嘉兴市人民政府",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    registry.change_certificate_status(
        cert2,
        status="suspended",
        reason=PRIVATE["reason"],
        effective_on=today - timedelta(days=1),
        actor=actor,
    )
    registry.save_officer(
        organ=organ_a,
        name=PRIVATE["auxiliary"],
        id_number=ID_AUX,
        kind=OfficerKind.AUXILIARY,
        actor=actor,
    )
    b = registry.save_officer(
        organ=organ_b, name="李执法", id_number=ID_B, enforcement_fields="特种设备", actor=actor
    )
    registry.issue_certificate(
        b,
        number="B-0001",
        issuing_authority="嘉善县人民政府",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    return {"a": a, "b": b, "cert": cert, "suspended": cert2}


@pytest.fixture
def entrusted_a(organ_a, regions, item_a, today, actor):
    """An entrusted organisation of A, with a published entrustment of item A."""
    entrusted = make_organ(
        "嘉兴市食品安全检查中心",
        regions["330400"],
        subject_type=SubjectType.ENTRUSTED,
        parent=organ_a,
    )
    registry.create_entrustment(
        actor=actor,
        entrusting_organ=organ_a,
        entrusted=entrusted,
        power_items=[item_a],
        matters="食品经营许可检查",
        valid_from=today - timedelta(days=10),
        valid_to=today + timedelta(days=355),
        instrument=ContentFile(PDF, name="w.pdf"),
        instrument_number="嘉市监委〔2026〕1号",
        published=True,
        published_on=today - timedelta(days=10),
    )
    return entrusted


@pytest.fixture
def internal_unit(organ_a, regions):
    return make_organ(
        "嘉兴市市场监督管理局办公室",
        regions["330400"],
        subject_type=SubjectType.INTERNAL_UNIT,
        parent=organ_a,
    )


@pytest.fixture
def world(people, item_a, item_b, benchmark_a, entrusted_a, internal_unit, organ_c):
    return people

"""Fixtures for the complaint tests: organ A (嘉兴市市场监督管理局) receives reports, the
city's justice bureau receives complaints; organ C (海盐县综合行政执法局) and its officer
are complained about."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.accounts.models import Role, User
from zhifa.cases.tests.conftest import BASIS, PARTY, VIOLATION, people, power_item  # noqa: F401
from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.core.testing import make_user
from zhifa.registry.models import Certificate, EnforcementSubject, Officer

__all__ = ["BASIS", "PARTY", "VIOLATION"]

FILER_NAME = "钱多多"
FILER_CONTACT = "13800138000"


@pytest.fixture
def officer_c(organ_c: EnforcementSubject) -> User:
    return make_user("officer_c", Role.OFFICER, organ=organ_c, full_name="吴刚")


@pytest.fixture
def head_c(organ_c: EnforcementSubject) -> User:
    return make_user("head_c", Role.ORGAN_HEAD, organ=organ_c, full_name="郑华")


@pytest.fixture
def officer_c_record(organ_c: EnforcementSubject, officer_c: User) -> Officer:
    officer = Officer.objects.create(
        organ=organ_c, name="吴刚", kind="officer", user=officer_c, id_number="TEST-吴刚"
    )
    Certificate.objects.create(
        officer=officer,
        number="ZJC0001",
        issuing_authority="浙江省人民政府",
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2028, 12, 31),
    )
    return officer


@pytest.fixture
def units(organ_a: EnforcementSubject, organ_c: EnforcementSubject, justice_city: Any) -> None:
    """The receiving units exist."""


def file_report(**extra: Any) -> services.Filed:
    args: dict[str, Any] = {
        "category": "food_safety",
        "region_code": "330400",
        "address": "嘉兴市南湖区某路1号",
        "description": "某饭店出售过期食品。",
        "filer_name": FILER_NAME,
        "filer_contact": FILER_CONTACT,
    }
    args.update(extra)
    return services.file_complaint(**args)


def file_conduct(officer: Officer, **extra: Any) -> services.Filed:
    args: dict[str, Any] = {
        "category": "conduct",
        "region_code": "330424",
        "address": "海盐县某镇",
        "description": "执法人员检查时态度粗暴。",
        "filer_name": FILER_NAME,
        "filer_contact": FILER_CONTACT,
        "subject_officer": officer,
    }
    args.update(extra)
    return services.file_complaint(**args)


def assign(complaint: Complaint, *users: User, by: User | None = None) -> Complaint:
    """Assign ``users`` to handle the filing as its unit's head does (``by``, else the
    unit's first active head, made when there is none)."""
    head = by or (
        User.objects.filter(role=Role.ORGAN_HEAD, organ_id=complaint.organ_id, is_active=True)
        .order_by("pk")
        .first()
    )
    if head is None:
        head = make_user(
            f"head_of_{complaint.organ_id}",
            Role.ORGAN_HEAD,
            organ=complaint.organ,
            full_name="负责人",
        )
    return services.assign(complaint, actor=head, assignees=list(users))


def fresh(c: Complaint) -> Complaint:
    return Complaint.objects.get(pk=c.pk)


@pytest.fixture
def about_the_bureau(units: None, justice_city: EnforcementSubject, today: Any) -> Any:
    """A complaint about an officer of the justice bureau itself: the bureau receives it
    and is also the organ complained about (only the supervisor handles it)."""
    officer_user = make_user("jb_officer", Role.OFFICER, organ=justice_city, full_name="李四")
    head = make_user("jb_head", Role.ORGAN_HEAD, organ=justice_city, full_name="周五")
    officer = Officer.objects.create(
        organ=justice_city, name="李四", kind="officer", user=officer_user, id_number="TEST-李四"
    )
    complaint = services.file_complaint(
        category="conduct",
        region_code="330400",
        address="嘉兴市某路某号",
        description="司法局执法人员态度粗暴。",
        filer_name=FILER_NAME,
        filer_contact=FILER_CONTACT,
        subject_officer=officer,
    ).complaint
    assert complaint.organ_id == complaint.subject_organ_id == justice_city.pk
    return complaint, officer_user, head

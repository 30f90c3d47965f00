"""Fixtures for registry tests: officers with certificates in organs A and B, valid
around the frozen ``today`` (src/zhifa/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from stdnum.cn import ric

from zhifa.registry import services
from zhifa.registry.models import OfficerKind


def make_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")


ID_A = make_id("33042119850312123")
ID_B = make_id("33040219900115123")
ID_AUX = make_id("33042419950430123")


@pytest.fixture
def person_a(organ_a, today, actor):
    officer = services.save_officer(
        organ=organ_a,
        name="张执法",
        id_number=ID_A,
        post="科员",
        enforcement_fields="食品安全、价格",
        actor=actor,
    )
    services.issue_certificate(
        officer,
        number="A-0001",
        issuing_authority="嘉兴市人民政府",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    return officer


@pytest.fixture
def person_b(organ_b, today, actor):
    officer = services.save_officer(
        organ=organ_b, name="李执法", id_number=ID_B, enforcement_fields="特种设备", actor=actor
    )
    services.issue_certificate(
        officer,
        number="B-0001",
        issuing_authority="嘉善县人民政府",
        valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    return officer


@pytest.fixture
def auxiliary_a(organ_a, actor):
    return services.save_officer(
        organ=organ_a, name="王协管", id_number=ID_AUX, kind=OfficerKind.AUXILIARY, actor=actor
    )


@pytest.fixture
def actor(supervisor_city):
    """The user the registry tests act as: the city's supervisor (who manages
    subjects, officers and certificates there)."""
    return supervisor_city

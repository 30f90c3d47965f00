"""Fixtures for case tests: organ A's power item, its officers (with users where they
act) and a helper that walks a general-procedure case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhifa.accounts.models import Role, User
from zhifa.cases import services
from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import LawLevel, PowerItem
from zhifa.core.testing import make_user
from zhifa.documents.models import IssuedNumber
from zhifa.records.models import Entry
from zhifa.registry.models import Certificate, EnforcementSubject, Officer

D = date.fromisoformat
FSL = "中华人民共和国食品安全法"


@pytest.fixture
def power_item(organ_a: EnforcementSubject, supervisor_city: User, justice_city: Any) -> PowerItem:
    law = catalogue.save_law(
        name=FSL,
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=D("2021-04-29"),
        actor=supervisor_city,
    )
    article = catalogue.add_article(
        law,
        number="第一百二十四条",
        text="第一百二十四条的条文。",
        ordinal=1,
        actor=supervisor_city,
    )
    return catalogue.save_power_item(
        subject=organ_a,
        basis=[article],
        code="CF-124",
        name="对生产经营不符合食品安全标准的食品的行政处罚",
        category="penalty",
        valid_from=D("2024-01-01"),
        published=True,
        published_on=D("2024-01-01"),
        actor=supervisor_city,
    )


def _officer(
    organ: EnforcementSubject,
    name: str,
    number: str | None,
    user: User | None = None,
    valid_to: str = "2028-12-31",
    **extra: Any,
) -> Officer:
    extra.setdefault("id_number", f"TEST-{name}")
    officer = Officer.objects.create(organ=organ, name=name, kind="officer", user=user, **extra)
    if number:
        Certificate.objects.create(
            officer=officer,
            number=number,
            issuing_authority="浙江省人民政府",
            valid_from=D("2024-01-01"),
            valid_to=D(valid_to),
        )
    return officer


@dataclass
class People:
    o1: Officer
    o2: Officer
    o3: Officer  # certificate expired in 2025
    reviewer: Officer
    head: Officer
    host: Officer
    officer_user: User
    reviewer_user: User
    head_user: User


@pytest.fixture
def people(
    organ_a: EnforcementSubject,
    officer_a: User,
    reviewer_a: User,
    head_a: User,
    frozen_clock: dt.datetime,
) -> People:
    """Organ A's officers. Every test with them runs on the frozen clock
    (src/zhifa/conftest.py): their cases are dated March to August 2026 and the guard
    (no step after today), the deadlines, the late fee and the pages judge them as of
    today."""
    host_user = make_user("host_a", Role.OFFICER, organ=organ_a, full_name="王芳")
    return People(
        o1=_officer(organ_a, "张伟", "ZJA0001", officer_a),
        o2=_officer(organ_a, "李娜", "ZJA0002"),
        o3=_officer(organ_a, "周杰", "ZJA0009", valid_to="2025-12-31"),
        reviewer=_officer(organ_a, "陈静", None, reviewer_a, legal_qualification=True),
        head=_officer(organ_a, "刘洋", None, head_a),
        host=_officer(organ_a, "王芳", "ZJA0003", host_user),
        officer_user=officer_a,
        reviewer_user=reviewer_a,
        head_user=head_a,
    )


PARTY = {"type": "organisation", "name": "嘉兴某某食品有限公司", "uscc": "91110108551385082Q"}
VIOLATION = {
    "occurred_on": "2026-03-01",
    "discovered_on": "2026-03-02",
    "harm": "ordinary",
    "first_offence": True,
}
BASIS = {
    "law": FSL,
    "article": "第一百二十四条第一款",
    "penalty_types": ["warning", "fine", "confiscation", "revoke_permit"],
    "fine_min": 50000,
    "fine_max": 500000,
}
BENCHMARK = {"circumstance": "ordinary", "fine_min": 100000, "fine_max": 200000}
FINE = [{"type": "fine", "amount": 150000}]


class Walker:
    """Adds steps with the right expected step count."""

    def __init__(self, case: Case, p: People) -> None:
        self.case, self.p = case, p

    @property
    def n(self) -> int:
        return self.case.steps.count()

    def __call__(self, fn: Any, **kw: Any) -> Any:
        kw.setdefault("actor", self.p.officer_user)
        return fn(self.case, expected_steps=self.n, **kw)

    def until_review(self) -> None:
        """Registration, investigation, prior notice, statement, legal review and the
        collective discussion (APL 57: the fine is large enough to need it)."""
        self(
            services.register_case,
            actor=self.p.head_user,
            on=D("2026-03-03"),
            by=[self.p.o1, self.p.o2],
        )
        self.investigate()
        self.notify()
        self(services.record_statement, on=D("2026-03-18"))
        self.review()
        self(services.record_collective_discussion, actor=self.p.head_user, on=D("2026-03-26"))

    def investigate(self) -> None:
        self(
            services.record_investigation,
            on=D("2026-03-04"),
            officers=[self.p.o1, self.p.o2],
            evidence=["on_site_record", "documentary", "party_statement"],
        )

    def notify(self) -> None:
        self(services.serve_prior_notice, on=D("2026-03-16"), intended=FINE)

    def review(self) -> None:
        self(
            services.record_legal_review,
            actor=self.p.reviewer_user,
            on=D("2026-03-25"),
            reviewer=self.p.reviewer,
            result="passed",
        )

    def close(self, on: str) -> Any:
        """Serve the decision on its day, the fine paid on ``on`` and the case closed by
        the head the same day (CLOSE-conditions: performed, approved)."""
        decided = self.case.steps.filter(step="decision").order_by("-index").first()
        assert decided is not None
        self(services.serve_decision, on=decided.on, method="direct", signed_by="recipient")
        fine = sum(p.get("amount", 0) for p in decided.data["penalties"] if p["type"] == "fine")
        if fine:
            self(services.record_payment, on=D(on), amount=fine)
        return self(
            services.close_case,
            actor=self.p.head_user,
            on=D(on),
            reason="performed",
            approved_by=self.p.head,
        )

    def decide(self, penalties: list[dict[str, Any]] = FINE, on: str = "2026-03-27") -> Any:
        return self(
            services.issue_decision,
            actor=self.p.head_user,
            on=D(on),
            approved_by=self.p.head,
            penalties=penalties,
        )


def open_general_case(
    organ: EnforcementSubject, power_item: PowerItem, people: People, **extra: Any
) -> Case:
    """A general-procedure case opened on 2026-03-02 by the officer (``extra``: more
    ``open_case`` arguments, e.g. the benchmark)."""
    return services.open_case(
        organ,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation=VIOLATION,
        basis=BASIS,
        **extra,
    )


SMALL_BASIS = {
    "law": "浙江省某某条例",
    "article": "第二十条",
    "penalty_types": ["warning", "fine"],
    "fine_min": 200,
    "fine_max": 2000,
}


def summary_case_noticed(
    organ: EnforcementSubject,
    power_item: Any,
    people: People,
    intended: list[dict[str, Any]],
    basis: dict[str, Any] = SMALL_BASIS,
) -> Walker:
    """A summary case investigated on the spot by o1 and o2 on 2026-03-02, its prior
    notice (``intended``) given orally: the on-the-spot decision is next."""
    case = services.open_case(
        organ,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="summary",
        power_item=power_item,
        party=PARTY,
        violation={"occurred_on": "2026-03-02", "discovered_on": "2026-03-02", "harm": "minor"},
        basis=basis,
    )
    walk = Walker(case, people)
    walk(
        services.record_investigation,
        on=D("2026-03-02"),
        officers=[people.o1, people.o2],
        evidence=["on_site_record"],
    )
    walk(
        services.serve_prior_notice,
        on=D("2026-03-02"),
        written=False,
        hearing_right_notified=False,
        intended=intended,
    )
    return walk


@pytest.fixture
def general_case(organ_a: EnforcementSubject, power_item: PowerItem, people: People) -> Case:
    return open_general_case(organ_a, power_item, people, benchmark=BENCHMARK)


@pytest.fixture
def walk(general_case: Case, people: People) -> Walker:
    return Walker(general_case, people)


def counts() -> tuple[int, ...]:
    """What a refused step must leave unchanged."""
    return (
        CaseStep.objects.count(),
        Entry.objects.count(),
        IssuedNumber.objects.count(),
        CaseOfficer.objects.count(),
    )


@contextmanager
def refused_rule(rule: str) -> Iterator[None]:
    """The block refuses with ``rule`` (ID in the message, citation, Chinese message) and
    nothing is written."""
    before = counts()
    with pytest.raises(services.RuleViolation) as exc:
        yield
    assert rule in [f["rule"] for f in exc.value.findings]
    assert rule in exc.value.messages[0]
    finding = next(f for f in exc.value.findings if f["rule"] == rule)
    assert finding["citation"].startswith("《") and finding["message"]
    assert counts() == before


def make_bands(power_item: PowerItem, actor: Any) -> None:
    """A published benchmark of the power item: lighter 50 000–100 000 yuan, general
    100 000–200 000 yuan (the article: 50 000–500 000)."""
    catalogue.save_benchmark(
        power_item=power_item,
        violation="生产经营不符合食品安全标准的食品",
        penalty_article=power_item.basis.get(),
        statutory_range="并处五万元以上五十万元以下罚款",
        statutory_min=Decimal(50000),
        statutory_max=Decimal(500000),
        valid_from=D("2024-01-01"),
        published=True,
        published_on=D("2024-01-01"),
        bands_data=[
            {
                "circumstance": "lighter",
                "conditions": "初次违法",
                "penalty": "罚款",
                "fine_min": Decimal(50000),
                "fine_max": Decimal(100000),
            },
            {
                "circumstance": "general",
                "conditions": "一般情形",
                "penalty": "罚款",
                "fine_min": Decimal(100000),
                "fine_max": Decimal(200000),
            },
        ],
        actor=actor,
    )


@pytest.fixture
def bands(power_item: PowerItem, supervisor_city: User) -> None:
    """The power item's published benchmark (``make_bands``)."""
    make_bands(power_item, supervisor_city)


def case_in(
    organ: EnforcementSubject,
    actor: User,
    power_item: PowerItem,
    party_name: str = "嘉兴某某食品有限公司",
    on: str = "2026-03-02",
) -> Case:
    """A general case opened by ``actor`` in ``organ`` (another organ than organ A gets
    its own power item on the same article as ``power_item``)."""
    item = power_item
    if organ.pk != power_item.subject_id:
        item = PowerItem.objects.filter(subject=organ, code=power_item.code).first() or (
            catalogue.save_power_item(
                subject=organ,
                basis=list(power_item.basis.all()),
                code=power_item.code,
                name=power_item.name,
                category="penalty",
                valid_from=D("2024-01-01"),
                published=True,
                published_on=D("2024-01-01"),
                actor=actor,
            )
        )
    return services.open_case(
        organ,
        actor=actor,
        on=D(on),
        procedure="general",
        power_item=item,
        party={**PARTY, "name": party_name},
        violation=VIOLATION,
        basis=BASIS,
        benchmark=BENCHMARK,
    )

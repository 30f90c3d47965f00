"""The format carries one certificate per officer: the one valid on the officer's last
act in the case, so a certificate renewed after the act does not make it look
unqualified when the case is audited later."""

from __future__ import annotations

from zhifa.cases import services
from zhifa.cases.casefile import case_file, export_document
from zhifa.registry.models import Certificate
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit

from .conftest import D, Walker


def test_a_renewed_certificate_keeps_earlier_acts_qualified(walk: Walker) -> None:
    old = walk.p.o2.certificates.get()
    old.valid_to = D("2026-12-31")
    old.save()
    Certificate.objects.create(
        officer=walk.p.o2,
        number="ZJA0102",
        issuing_authority="浙江省人民政府",
        valid_from=D("2027-01-01"),
        valid_to=D("2031-12-31"),
    )
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    later = D("2027-02-01")
    officers = {o["name"]: o for o in export_document(walk.case, later)["officers"]}
    assert officers["李娜"]["certificate"]["number"] == "ZJA0002"
    findings = audit(case_file(walk.case, later), later, database_calendar()).findings
    assert "APL-42-qualified" not in [f.rule for f in findings]

"""Accountability tests reuse the case fixtures (organ A's general case opened by
``officer_a``, its people, the city's justice bureau) and add a case whose decision a
reconsideration revoked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhifa.cases import services as case_services
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.cases.tests.conftest import D, Walker
from zhifa.complaints.models import Complaint, ComplaintKind, ComplaintStatus
from zhifa.records.models import Entry

from ..models import Matter

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk


def decided_and_served(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(case_services.serve_decision, on=D("2026-03-30"))


def remedy(walk: Walker, result: str, on: str = "2026-04-20") -> CaseStep:
    step: CaseStep = walk(
        case_services.record_remedy,
        on=D(on),
        kind="reconsideration",
        result=result,
        decided_on=D(on),
    )
    return step


@pytest.fixture
def revoked_case(walk: Walker) -> Case:
    """Organ A's case: registered and investigated by 张伟 and 李娜, reviewed by 陈静,
    discussed and decided by the head 刘洋, served, and revoked on reconsideration."""
    decided_and_served(walk)
    remedy(walk, "revoked")
    return walk.case


def counts() -> tuple[int, int]:
    return Matter.objects.count(), Entry.objects.count()


def make_complaint(case: Case, status: str = ComplaintStatus.CLOSED, **extra: Any) -> Complaint:
    now = timezone.now()
    fields: dict[str, Any] = {
        "number": f"TS{Complaint.objects.count() + 1:06d}",
        "access_code_hash": "x",
        "kind": ComplaintKind.COMPLAINT,
        "category": "other",
        "region": case.organ.region,
        "address": "嘉兴市某路1号",
        "description": "执法人员未出示证件。",
        "subject_organ": case.organ,
        "filer_name": "举报人甲",
        "filer_contact": "13800000000",
        "organ": case.organ,
        "status": status,
        "received_at": now,
        "received_on": timezone.localdate(now),
        "ack_due_on": timezone.localdate(now) + dt.timedelta(days=5),
        "ack_working_days": 5,
        "result": "经查属实。",
    }
    fields.update(extra)
    return Complaint.objects.create(**fields)

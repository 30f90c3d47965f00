"""Review tests reuse the case fixtures (organ A's power item, officers, a general
case and its walker) and add a case ready for review."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.accounts.models import Role, User
from zhifa.cases import services as case_services
from zhifa.cases.models import CaseOfficer, CaseStep
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.cases.tests.conftest import D, Walker
from zhifa.core.testing import make_user
from zhifa.documents.models import IssuedNumber
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject
from zhifa.review import services
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest

# The case fixtures, shared with the case tests.
power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk

OPINION = (
    "经审核，本案主体适格、事实清楚、证据确凿、程序合法、适用法律正确、裁量适当，同意拟处理意见。"
)


def all_ok(**problems: str) -> dict[str, dict[str, Any]]:
    """A checklist with every item OK except ``problems`` (code → comment)."""
    return {
        code: {"ok": code not in problems, "comment": problems.get(code, "")}
        for code in CHECKLIST_CODES
    }


@pytest.fixture
def ready(walk: Walker) -> Walker:
    """A general case registered, investigated, notified, with the party's statement:
    ready for legal review."""
    walk(
        case_services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.notify()
    walk(case_services.record_statement, on=D("2026-03-18"))
    return walk


@pytest.fixture
def submitted(ready: Walker) -> ReviewRequest:
    return services.submit_for_review(
        ready.case, actor=ready.p.officer_user, on=D("2026-03-20"), note="拟罚款十五万元。"
    )


@pytest.fixture
def reviewer_b(organ_b: EnforcementSubject) -> User:
    return make_user("reviewer_b", Role.LEGAL_REVIEWER, organ=organ_b, full_name="吴敏")


def state(review: ReviewRequest) -> tuple[Any, ...]:
    """What a refused review must leave unchanged."""
    review.refresh_from_db()
    return (
        review.status,
        review.reviewer_id,
        review.reviewed_on,
        review.checklist,
        review.opinion,
        CaseStep.objects.count(),
        Entry.objects.count(),
        IssuedNumber.objects.count(),
        CaseOfficer.objects.count(),
    )


def complete(review: ReviewRequest, actor: User, **kw: Any) -> ReviewRequest:
    kw.setdefault("on", D("2026-03-25"))
    kw.setdefault("checklist", all_ok())
    kw.setdefault("opinion", OPINION)
    kw.setdefault("result", "passed")
    kw.setdefault("expected_steps", review.case.steps.count())
    return services.complete_review(review, actor=actor, **kw)

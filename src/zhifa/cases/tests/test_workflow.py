"""The next steps a case page offers, and the case search (Chinese substring)."""

from __future__ import annotations

import pytest

from zhifa.cases import services
from zhifa.cases.filters import filter_cases
from zhifa.cases.models import Case
from zhifa.cases.policy import next_steps
from zhifa.cases.workflow import procedural_next_steps

from .conftest import D, People, Walker


def test_general_case_is_registered_first() -> None:
    # REG-decision: a case source is registered or refused (不予立案).
    assert procedural_next_steps("general", [], suspended=False) == [
        "registered",
        "registration_refused",
    ]


def test_a_refused_case_source_offers_nothing() -> None:
    assert procedural_next_steps("general", ["registration_refused"], suspended=False) == []


def test_prior_notice_opens_the_party_s_rights_and_the_decision() -> None:
    offered = procedural_next_steps(
        "general", ["registered", "investigation", "prior_notice"], suspended=False
    )
    assert {"statement", "waiver", "hearing_requested", "legal_review", "decision"} <= set(offered)
    before = procedural_next_steps("general", ["registered", "investigation"], suspended=False)
    assert "decision" not in before and "statement" not in before


def test_hearing_steps_follow_in_order() -> None:
    base = ["registered", "prior_notice", "hearing_requested"]
    assert "hearing_notice" in procedural_next_steps("general", base, suspended=False)
    assert "hearing" not in procedural_next_steps("general", base, suspended=False)
    assert "hearing" in procedural_next_steps("general", [*base, "hearing_notice"], False)


def test_open_seizure_offers_its_end_and_extension() -> None:
    offered = procedural_next_steps("general", ["registered", "seizure"], suspended=False)
    assert {"seizure_extended", "seizure_ended"} <= set(offered) and "seizure" not in offered
    ended = procedural_next_steps("general", ["registered", "seizure", "seizure_ended"], False)
    assert "seizure" in ended and "seizure_ended" not in ended


def test_after_decision_service_then_execution() -> None:
    decided = ["registered", "prior_notice", "decision"]
    assert procedural_next_steps("general", decided, False)[0] == "served"
    assert "paid" not in procedural_next_steps("general", decided, False)
    served = [*decided, "served"]
    assert {"paid", "deferral_approved", "demand", "closed"} <= set(
        procedural_next_steps("general", served, False)
    )
    assert "court_application" in procedural_next_steps("general", [*served, "demand"], False)


def test_suspended_or_closed_case_offers_nothing() -> None:
    assert procedural_next_steps("general", ["registered"], suspended=True) == []
    assert procedural_next_steps("general", ["registered", "closed"], suspended=False) == []


def test_summary_case_needs_no_registration() -> None:
    offered = procedural_next_steps("summary", [], suspended=False)
    assert "registered" not in offered and "prior_notice" in offered


@pytest.mark.django_db
def test_next_steps_are_those_of_the_user_s_role(walk: Walker, people: People) -> None:
    case = walk.case
    assert next_steps(case, people.officer_user) == []
    assert next_steps(case, people.head_user) == ["registered", "registration_refused"]
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    walk.investigate()
    walk.notify()
    officer = next_steps(case, people.officer_user)
    assert "decision" not in officer and "legal_review" not in officer and "statement" in officer
    assert "decision" in next_steps(case, people.head_user)
    # APL 56: the preservation of evidence is approved by the organ head.
    assert "preservation" not in officer and "preservation" in next_steps(case, people.head_user)
    assert next_steps(case, people.reviewer_user) == ["legal_review"]
    services.suspend_case(case, actor=people.head_user, on=D("2026-03-17"), reason="等待检验结果")
    assert next_steps(case, people.head_user) == []


@pytest.mark.django_db
def test_search_finds_chinese_substrings(general_case: Case, people: People) -> None:
    cases = Case.objects.all()
    assert list(filter_cases(cases, q="某某食品")) == [general_case]
    assert list(filter_cases(cases, q="食品安全标准")) == [general_case]  # power item name
    assert list(filter_cases(cases, q=general_case.case_id[-4:])) == [general_case]
    assert list(filter_cases(cases, q="餐饮")) == []
    assert list(filter_cases(cases, status="closed")) == []
    assert list(filter_cases(cases, procedure="general", q=" 嘉兴 ")) == [general_case]

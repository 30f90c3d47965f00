"""The party's own acts: statement and defence, hearing request (through the guarded path,
recorded as the party's), consent to electronic service and the rating; and its read
model (periods from the engine, money) — issue #16 item 6."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services as cases
from zhifa.cases.tests.conftest import D, People, Walker
from zhifa.party import queries, services
from zhifa.party.models import ConductRating, PartyAccess, ServiceConsent
from zhifa.records.models import Entry
from zhifa.rules.engine import RULES

from .conftest import decided, notify

pytestmark = pytest.mark.django_db


def _access(walk: Walker) -> PartyAccess:
    services.reissue_code(walk.case, actor=walk.p.officer_user)
    return PartyAccess.objects.select_related("case__organ", "principal").get(case=walk.case)


def test_the_party_files_its_statement_as_the_statement_step(
    notified_walk: Walker, today: dt.date
) -> None:
    access = _access(notified_walk)
    step = services.file_statement(access, statement="我方已整改，请求从轻处罚。", today=today)
    assert step.step == "statement" and step.on == today
    assert step.actor_id == access.principal_id
    assert step.data["content"] == {"statement": "我方已整改，请求从轻处罚。"}
    entry = Entry.objects.get(action="case.statement")
    assert entry.actor_id == access.principal_id
    assert entry.actor_label == f"party:{notified_walk.case.pk}"
    view = queries.party_view(access, today)
    assert [s.step for s in view.steps if s.by_party] == ["statement"]


def test_an_empty_or_bad_statement_names_the_field_and_writes_nothing(
    notified_walk: Walker, today: dt.date
) -> None:
    access = _access(notified_walk)
    before = notified_walk.n
    for text in ("  ", "a\x00b", "长" * (services.STATEMENT_MAX + 1)):
        with pytest.raises(services.PartyRefusal) as refused:
            services.file_statement(access, statement=text, today=today)
        assert refused.value.field == "statement"
    assert notified_walk.n == before


def test_the_party_requests_a_hearing_within_the_engines_window(
    notified_walk: Walker, today: dt.date
) -> None:
    access = _access(notified_walk)
    window = services.hearing_window(notified_walk.case, today)
    assert window is not None and window.status == "open" and window.start == D("2026-11-20")
    step = services.request_hearing(access, today=today)
    assert step.step == "hearing_requested" and step.actor_id == access.principal_id
    notified_walk.case.refresh_from_db()
    assert notified_walk.case.status == "hearing"


def test_a_late_hearing_request_is_refused_with_the_rule(walk: Walker, today: dt.date) -> None:
    notify(walk, on="2026-11-10")
    access = _access(walk)
    before = walk.n
    view = queries.party_view(access, today)
    assert not view.may_request_hearing and "APL-64-hearing-request" in view.hearing_refusal
    with pytest.raises(services.PartyRefusal) as refused:
        services.request_hearing(access, today=today)
    assert refused.value.rule == "APL-64-hearing-request"
    assert refused.value.citation == RULES["APL-64-hearing-request"].citation
    window = services.hearing_window(walk.case, today)
    assert window is not None and window.due.isoformat() in refused.value.text
    assert walk.n == before


def test_no_hearing_request_when_the_notice_offers_none(walk: Walker, today: dt.date) -> None:
    notify(walk, intended=[{"type": "warning"}], hearing_right_notified=False)
    access = _access(walk)
    with pytest.raises(services.PartyRefusal) as refused:
        services.request_hearing(access, today=today)
    assert refused.value.rule == "APL-64-hearing-request"


def test_the_guard_refuses_the_party_on_another_case(
    notified_walk: Walker, other_case: Any, today: dt.date
) -> None:
    """The party's acting user is refused on any case but its own (the policy's party
    resolver), whatever the caller passes."""
    from django.core.exceptions import PermissionDenied

    access = _access(notified_walk)
    with pytest.raises(PermissionDenied):
        cases.record_statement(
            other_case,
            actor=access.principal,
            on=today,
            expected_steps=other_case.steps.count(),
        )


def test_the_party_takes_only_its_own_steps(notified_walk: Walker, today: dt.date) -> None:
    from django.core.exceptions import PermissionDenied

    access = _access(notified_walk)
    with pytest.raises(PermissionDenied):
        cases.record_waiver(
            notified_walk.case,
            actor=access.principal,
            on=today,
            expected_steps=notified_walk.n,
        )


def test_after_the_decision_the_statement_is_refused_by_the_order(
    walk: Walker, today: dt.date
) -> None:
    decided(walk)
    access = _access(walk)
    before = walk.n
    with pytest.raises(services.PartyRefusal) as refused:
        services.file_statement(access, statement="迟到的陈述", today=today)
    assert refused.value.rule == "" and refused.value.text
    assert walk.n == before


def test_the_decided_case_shows_payment_late_fee_and_remedies_from_the_engine(
    walk: Walker, today: dt.date
) -> None:
    decided(walk)
    walk(cases.record_payment, on=D("2026-04-01"), amount=50000)
    access = _access(walk)
    view = queries.party_view(access, today)
    audited = cases.case_audit(walk.case, today)
    facts = audited.payments
    assert facts is not None and view.money is not None
    assert view.money.fine == facts.fine == Decimal("150000")
    assert view.money.paid == Decimal("50000")
    assert view.money.late_fee == facts.late_fee and view.money.late_fee is not None
    assert view.money.outstanding == facts.outstanding
    assert [(p.on, p.amount) for p in view.money.payments] == [(D("2026-04-01"), Decimal("50000"))]
    rules = [d.rule for d in view.deadlines]
    assert "APL-67-payment" in rules and rules.count("REMEDY-periods") == 2
    payment = next(d for d in view.deadlines if d.rule == "APL-67-payment")
    engine = next(d for d in audited.deadlines if d.rule == "APL-67-payment")
    assert payment.due == engine.due.due and payment.citation == RULES["APL-67-payment"].citation
    reconsideration = next(d for d in view.deadlines if d.rule == "REMEDY-periods")
    # 60 calendar days from service on 2026-03-27 (ARL 20), counted by the engine
    assert reconsideration.start == D("2026-03-27")
    assert reconsideration.due == D("2026-05-26") and reconsideration.status == "ended"
    assert view.decided and view.may_rate
    assert not view.may_state and not view.may_request_hearing


def test_the_notified_case_shows_the_hearing_window_and_no_money(
    notified_walk: Walker, today: dt.date
) -> None:
    view = queries.party_view(_access(notified_walk), today)
    assert [d.rule for d in view.deadlines] == ["APL-64-hearing-request"]
    assert view.deadlines[0].status == "open"
    assert view.money is None and view.may_state and view.may_request_hearing
    assert not view.decided and not view.may_rate
    assert [o.name for o in view.officers] == [notified_walk.p.o1.name, notified_walk.p.o2.name]
    assert all(o.certificate for o in view.officers)


def test_no_rating_before_the_decision(notified_walk: Walker, today: dt.date) -> None:
    access = _access(notified_walk)
    with pytest.raises(services.PartyRefusal):
        services.rate_conduct(access, score=5, comment="", today=today, decided=False)


def test_the_rating_is_kept_once_without_officers(walk: Walker, today: dt.date) -> None:
    decided(walk)
    access = _access(walk)
    for bad in (0, 6, True):
        with pytest.raises(ValidationError) as invalid:
            services.rate_conduct(access, score=bad, comment="", today=today, decided=True)
        assert "score" in invalid.value.message_dict
    rating = services.rate_conduct(
        access, score=4, comment="办案人员态度很好", today=today, decided=True
    )
    assert (rating.case_id, rating.organ_id, rating.score) == (
        walk.case.pk,
        walk.case.organ_id,
        4,
    )
    assert not any("officer" in f.name for f in ConductRating._meta.get_fields())
    with pytest.raises(services.PartyRefusal):
        services.rate_conduct(access, score=1, comment="", today=today, decided=True)
    assert ConductRating.objects.count() == 1
    entry = Entry.objects.get(action="party.rating")
    assert entry.actor_id == access.principal_id and "办案人员" not in entry.payload


def test_consent_to_electronic_service_is_recorded(notified_walk: Walker, today: dt.date) -> None:
    access = _access(notified_walk)
    with pytest.raises(ValidationError) as invalid:
        services.give_consent(access, signed_name=" ", address="a@b.cn", agreed=True, today=today)
    assert set(invalid.value.message_dict) == {"signed_name"}
    with pytest.raises(ValidationError) as invalid:
        services.give_consent(
            access, signed_name="张三", address="a@b.cn", agreed=False, today=today
        )
    assert set(invalid.value.message_dict) == {"agree"}  # no consent without the tick
    assert not ServiceConsent.objects.exists()
    consent = services.give_consent(
        access, signed_name="张三", address="zhangsan@example.cn", agreed=True, today=today
    )
    assert ServiceConsent.objects.get() == consent and services.has_consent(notified_walk.case)
    entry = Entry.objects.get(action="party.consent")
    assert entry.actor_id == access.principal_id


def test_an_electronic_service_without_consent_is_still_the_engines_refusal(
    walk: Walker, people: People
) -> None:
    """The engine reads the consent from the served step's ``electronic_consent`` (the
    format has no case-level consent): without it the service is refused, APL-61-service."""
    from zhifa.cases.tests.conftest import refused_rule

    walk.until_review()
    walk.decide(on="2026-03-27")
    with refused_rule("APL-61-service"):
        walk(cases.serve_decision, on=D("2026-03-27"), method="electronic", signed_by="recipient")


def test_the_party_files_at_most_a_bounded_number_of_steps(
    notified_walk: Walker, today: dt.date, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "MAX_PARTY_STEPS", 2)
    access = _access(notified_walk)
    services.file_statement(access, statement="一", today=today)
    services.file_statement(access, statement="二", today=today)
    with pytest.raises(services.PartyRefusal):
        services.file_statement(access, statement="三", today=today)
    with pytest.raises(services.PartyRefusal):
        services.request_hearing(access, today=today)
    assert notified_walk.case.steps.filter(actor=access.principal).count() == 2


def test_the_organs_record_verifies_after_the_partys_acts(walk: Walker, today: dt.date) -> None:
    """The party's entries (codes, statement, consent, rating) keep the organ's chain and
    its domain checks whole (``zhifa records verify``)."""
    from zhifa.cases.documents import render_document
    from zhifa.documents.models import DocumentType
    from zhifa.records.verification import verify_chain

    notify(walk, on="2026-11-20")
    render_document(walk.case, DocumentType.PRIOR_NOTICE, actor=walk.p.officer_user)
    access = _access(walk)
    services.file_statement(access, statement="陈述", today=today)
    services.request_hearing(access, today=today)
    services.give_consent(access, signed_name="张三", address="a@b.cn", agreed=True, today=today)
    report = verify_chain(walk.case.organ, files=False)
    assert report.problem is None, report.problem
    assert report.steps == walk.n

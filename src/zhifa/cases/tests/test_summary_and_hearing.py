"""The summary procedure (decided on the spot) and the hearing path of the general one."""

from __future__ import annotations

from zhifa.cases import services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import Case, CaseStatus
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit_document

from .conftest import (
    FINE,
    PARTY,
    SMALL_BASIS,
    D,
    People,
    Walker,
    refused_rule,
    summary_case_noticed,
)


def test_a_summary_case_on_the_spot(
    organ_a: EnforcementSubject, power_item: object, people: People
) -> None:
    walk = summary_case_noticed(
        organ_a, power_item, people, [{"type": "warning"}, {"type": "fine", "amount": 1000}]
    )
    case = walk.case
    decision = walk(
        services.issue_decision,
        on=D("2026-03-02"),
        approved_by=people.o1,  # the officer decides on the spot (APL 51–52)
        penalties=[{"type": "warning"}, {"type": "fine", "amount": 1000}],
    )
    assert decision.document_number == "嘉市监罚〔2026〕1号"
    walk(services.serve_decision, on=D("2026-03-02"), method="on_the_spot")
    walk(services.record_payment, on=D("2026-03-05"), amount=1000)
    walk(services.mark_disclosed, on=D("2026-03-06"))
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-03-09"), approved_by=walk.p.head)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    result = audit_document(export_document(case, D("2026-04-01")), calendar=database_calendar())
    assert [f.rule for f in result.findings if f.severity == "error"] == []


def test_a_summary_fine_too_large_for_the_summary_procedure_is_refused(
    organ_a: EnforcementSubject, power_item: object, people: People
) -> None:
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="summary",
        power_item=power_item,  # type: ignore[arg-type]
        party=PARTY,
        violation={"occurred_on": "2026-03-02", "discovered_on": "2026-03-02"},
        basis=dict(SMALL_BASIS, fine_max=5000),
    )
    walk = Walker(case, people)
    walk(
        services.record_investigation,
        on=D("2026-03-02"),
        officers=[people.o1, people.o2],
        evidence=["on_site_record"],
    )
    walk(services.serve_prior_notice, on=D("2026-03-02"), written=False, intended=[])
    with refused_rule("APL-51-summary"):
        walk(
            services.issue_decision,
            on=D("2026-03-02"),
            approved_by=people.o1,
            penalties=[{"type": "fine", "amount": 4000}],
        )


def _until_hearing_requested(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.notify()
    walk(services.request_hearing, on=D("2026-03-18"))


def test_the_hearing_path(walk: Walker) -> None:
    _until_hearing_requested(walk)
    notice = walk(
        services.notify_hearing, on=D("2026-03-19"), hearing_on=D("2026-03-30")
    )  # the 7th working day after service
    assert notice.document_number == "嘉市监听通〔2026〕1号"
    walk(services.hold_hearing, actor=walk.p.host.user, on=D("2026-03-30"), host=walk.p.host)
    walk(
        services.record_legal_review,
        actor=walk.p.reviewer_user,
        on=D("2026-04-01"),
        reviewer=walk.p.reviewer,
        result="passed",
    )
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-04-02"))
    walk.decide(on="2026-04-03")
    case: Case = walk.case
    result = audit_document(export_document(case, D("2026-04-03")), calendar=database_calendar())
    assert [f.rule for f in result.findings if f.severity == "error"] == []


def test_a_hearing_notice_too_late_for_the_hearing_date_is_refused(walk: Walker) -> None:
    _until_hearing_requested(walk)
    with refused_rule("APL-64-hearing-notice"):
        walk(services.notify_hearing, on=D("2026-03-19"), hearing_on=D("2026-03-23"))


def test_deciding_before_the_requested_hearing_is_refused(walk: Walker) -> None:
    _until_hearing_requested(walk)
    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    with refused_rule("APL-64-hearing-request"):
        walk.decide(FINE)

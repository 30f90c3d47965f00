"""Whole cases walked through the web pages only (issue #6 item 8): a general case from
its opening to its closure, and a summary case decided on the spot. The legal review
is recorded through the service (its page belongs to the review app)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import CaseStatus
from zhifa.core.testing import client_for
from zhifa.records.verification import verify_chain
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit_document

from .conftest import D, People, make_bands
from .test_ui_support import open_case, step_ok

pytestmark = pytest.mark.django_db

ALL_ELEMENTS = list(services.ALL_ELEMENTS)


def test_a_general_case_through_the_pages(
    organ_a: Any, power_item: Any, people: People, supervisor_city: Any
) -> None:
    make_bands(power_item, supervisor_city)
    officer, head = client_for(people.officer_user), client_for(people.head_user)
    case = open_case(officer, power_item)
    assert case.case_id == "嘉市监案源〔2026〕1号" and case.source == "inspection"

    step_ok(head, case, "registered", on="2026-03-03", by=[people.o1.pk, people.o2.pk])
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk, people.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record", "documentary", "party_statement"],
    )
    notice = step_ok(
        officer,
        case,
        "prior_notice",
        on="2026-03-16",
        written="on",
        hearing_right_notified="on",
        penalty_type_1="fine",
        penalty_amount_1="150000",
    )
    assert notice.document_number == "嘉市监罚告〔2026〕1号"
    assert notice.data["intended"] == [{"type": "fine", "amount": 150000}]
    step_ok(officer, case, "statement", on="2026-03-18")
    services.record_legal_review(
        case,
        actor=people.reviewer_user,
        on=D("2026-03-25"),
        reviewer=people.reviewer,
        result="passed",
        expected_steps=case.steps.count(),
    )
    step_ok(head, case, "collective_discussion", on="2026-03-26")
    decision = step_ok(
        head,
        case,
        "decision",
        on="2026-03-27",
        outcome="penalty",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        circumstance="general",
        elements=ALL_ELEMENTS,
        cites_full_name_and_article="on",
    )
    assert decision.document_number == "嘉市监罚〔2026〕1号"
    assert decision.data["approved_by"] == f"O{people.head.pk}"
    step_ok(officer, case, "served", on="2026-03-30", method="direct", signed_by="recipient")
    # Published by the platform (zhifa.disclosure): the page offers no tick-box.
    assert officer.get(reverse("cases:step", args=[case.pk, "disclosed"])).status_code == 404
    services.publish_decision(
        case, actor=people.head_user, on=D("2026-04-01"), expected_steps=case.steps.count()
    )
    step_ok(officer, case, "paid", on="2026-04-03", amount="150000")
    # CLOSE-conditions: the head approves and records the closure, with its reason.
    step_ok(client_for(people.head_user), case, "closed", on="2026-04-10", reason="performed")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.benchmark == {
        "circumstance": "ordinary",
        "fine_min": 100000.0,
        "fine_max": 200000.0,
        "reason_outside_band": None,
    }
    assert [s.step for s in case.steps.order_by("index")] == [
        "registered",
        "investigation",
        "prior_notice",
        "statement",
        "legal_review",
        "collective_discussion",
        "decision",
        "served",
        "disclosed",
        "paid",
        "closed",
    ]
    report = verify_chain(organ_a, files=False)
    assert report.problem is None and report.length >= 12
    result = audit_document(export_document(case, D("2026-05-01")), calendar=database_calendar())
    assert [f.rule for f in result.findings if f.severity == "error"] == []

    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert "嘉市监罚〔2026〕1号" in page and "结案" in page
    assert "没有可由您办理的环节" in page  # a closed case offers no step


def test_a_summary_case_through_the_pages(organ_a: Any, power_item: Any, people: People) -> None:
    officer = client_for(people.officer_user)
    case = open_case(
        officer,
        power_item,
        procedure="summary",
        source="monitoring",
        harm="minor",
        occurred_on="2026-03-02",
        law="浙江省某某条例",
        article="第二十条",
        penalty_types=["warning", "fine"],
        fine_min="200",
        fine_max="2000",
    )
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-02",
        officers=[people.o1.pk, people.o2.pk],
        evidence=["on_site_record"],
    )
    step_ok(
        officer,
        case,
        "prior_notice",
        on="2026-03-02",
        penalty_type_1="warning",
        penalty_type_2="fine",
        penalty_amount_2="1000",
    )
    decision = step_ok(
        officer,
        case,
        "decision",
        on="2026-03-02",
        outcome="penalty",
        penalty_type_1="warning",
        penalty_type_2="fine",
        penalty_amount_2="1000",
        elements=ALL_ELEMENTS,
        cites_full_name_and_article="on",
    )
    assert decision.document_number == "嘉市监罚〔2026〕1号"
    assert decision.data["approved_by"] == f"O{people.o1.pk}"  # decided on the spot
    step_ok(officer, case, "served", on="2026-03-02", method="on_the_spot", signed_by="recipient")
    step_ok(officer, case, "paid", on="2026-03-05", amount="1000")
    services.publish_decision(
        case, actor=people.officer_user, on=D("2026-03-06"), expected_steps=case.steps.count()
    )
    step_ok(officer, case, "closed", on="2026-03-09", reason="performed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.procedure == "summary"
    result = audit_document(export_document(case, D("2026-04-01")), calendar=database_calendar())
    assert [f.rule for f in result.findings if f.severity == "error"] == []

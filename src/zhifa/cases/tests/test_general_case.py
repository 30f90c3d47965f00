"""A full general-procedure case through the service layer, from its source to its
closure: the record verifies and the audit of its export finds no error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from zhifa.cases import services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import CaseStatus
from zhifa.documents.models import IssuedNumber
from zhifa.records.models import Entry
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit_document, validate_document

from .conftest import D, Walker


def test_a_general_case_from_source_to_closure(walk: Walker) -> None:
    case = walk.case
    # The source number was issued on entry; the registration issues the case number.
    assert case.case_id == "嘉市监案源〔2026〕1号" and case.registration_number == ""
    walk.until_review()
    assert case.registration_number == "嘉市监立〔2026〕1号"
    decision = walk.decide()
    assert decision.document_number == "嘉市监罚〔2026〕1号"
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.mark_disclosed, on=D("2026-04-01"))
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-04-10"), approved_by=walk.p.head)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert [s.step for s in case.steps.all()] == [
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
    actions = list(
        Entry.objects.filter(object_id=str(case.pk), action__startswith="case.").values_list(
            "action", flat=True
        )
    )
    assert actions[0] == "case.open" and actions[-1] == "case.closed" and len(actions) == 12
    assert IssuedNumber.objects.filter(text="嘉市监罚告〔2026〕1号").exists()

    document = export_document(case, as_of=D("2026-05-01"))
    validate_document(document)
    result = audit_document(document, calendar=database_calendar())
    assert [f for f in result.findings if f.severity == "error"] == []
    assert {d.rule: d.status(result.as_of) for d in result.deadlines}[
        "APL-60-decision-deadline"
    ] == "met"
    call_command("records", "verify")  # exits 1 (SystemExit) when a chain is broken


def test_a_closed_case_takes_no_more_steps(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk.close("2026-04-10")
    with pytest.raises(ValidationError) as refused:
        walk(services.mark_disclosed, on=D("2026-04-11"))
    assert refused.value.code == "closed"

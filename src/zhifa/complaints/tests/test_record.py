"""The record: every state change is an entry in the receiving unit's chain, in the
same transaction; ``zhifa records verify`` finds a filing changed or forged outside the
services."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintStatus
from zhifa.records.tests.test_tamper_suite import run_verify

from .conftest import assign, file_report, fresh

pytestmark = pytest.mark.django_db


def test_changes_through_the_services_verify(units: None, officer_a: Any, today: Any) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    services.accept(c, actor=officer_a)
    services.close(fresh(c), actor=officer_a, result="已处理。")
    services.dispute(fresh(c), reason="未解决")
    code, text = run_verify()
    assert code == 0, text


def test_a_status_changed_outside_the_services_fails(
    units: None, officer_a: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    services.reject(c, actor=officer_a, reasons="不属于本机关职责。")
    Complaint.objects.filter(pk=c.pk).update(status=ComplaintStatus.ACCEPTED)
    code, text = run_verify()
    assert code == 1, text
    assert "complaint" in text and c.number in text and "status" in text, text


def test_a_result_rewritten_outside_the_services_fails(
    units: None, officer_a: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    services.accept(c, actor=officer_a)
    services.close(fresh(c), actor=officer_a, result="已处理。")
    Complaint.objects.filter(pk=c.pk).update(result="另一个结果")
    code, text = run_verify()
    assert code == 1 and "result" in text, text


def test_a_failed_state_change_writes_nothing(
    units: None, officer_a: Any, officer_b: Any, today: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    from zhifa.records.models import Entry

    c = file_report().complaint
    before = Entry.objects.count()
    with pytest.raises(PermissionDenied):
        services.close(c, actor=officer_b, result="x")
    assert Entry.objects.count() == before and fresh(c).status == ComplaintStatus.RECEIVED


def test_a_reassigned_filing_moves_chains_and_verifies(
    units: None, officer_a: Any, officer_b: Any, organ_b: Any, supervisor_city: Any, today: Any
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from zhifa.records.models import Entry

    c = file_report().complaint
    assign(c, officer_a)
    with pytest.raises(PermissionDenied):
        services.reassign(c, actor=officer_a, organ=organ_b, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.reassign(c, actor=supervisor_city, organ=c.organ, reason="x")
    assert "organ" in exc.value.message_dict
    services.reassign(c, actor=supervisor_city, organ=organ_b, reason="属嘉善县管辖。")
    c = fresh(c)
    assert c.organ == organ_b and c.ack_due_on.isoformat() == "2026-12-01"
    assert Entry.objects.filter(organ=officer_a.organ_id, action="complaint.reassign_out").exists()
    assert Entry.objects.filter(organ=organ_b.pk, action="complaint.reassign_in").exists()
    assert not c.assignments.exists()  # the new unit's head assigns
    assign(c, officer_b)
    services.accept(c, actor=officer_b)
    with pytest.raises(PermissionDenied):
        services.close(fresh(c), actor=officer_a, result="x")
    code, text = run_verify()
    assert code == 0, text


def test_never_to_the_organ_complained_about(
    units: None, officer_c_record: Any, organ_c: Any, supervisor_city: Any, today: Any
) -> None:
    from django.core.exceptions import ValidationError

    from .conftest import file_conduct

    c = file_conduct(officer_c_record).complaint
    with pytest.raises(ValidationError) as exc:
        services.reassign(c, actor=supervisor_city, organ=organ_c, reason="x")
    assert "organ" in exc.value.message_dict

"""A filer whose filing was merged into another follows that one's result and may
dispute it once: the filing merged into goes to the supervisor's second look (or the
dispute joins the one pending); both filers are told, neither learns the other's words
or name; the record holds both entries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services
from zhifa.complaints.models import ComplaintStatus, NoteKind
from zhifa.core.testing import client_for
from zhifa.records.models import Entry
from zhifa.records.tests.test_tamper_suite import run_verify

from .conftest import assign, file_report, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(units: None, head_a: Any, officer_a: Any, today: Any) -> Any:
    """``first`` (filed by 甲某) is handled; ``second`` (乙某) was merged into it; the
    result is given."""
    first = file_report(description="南湖区某饭店出售过期食品，已多次发现。", filer_name="甲某")
    second = file_report(description="南湖区某饭店出售过期食品，多次发现。", filer_name="乙某")
    for filed in (first, second):
        assign(filed.complaint, officer_a, by=head_a)
    services.merge(second.complaint, actor=officer_a, into=first.complaint)
    services.accept(fresh(first.complaint), actor=officer_a)
    services.close(fresh(first.complaint), actor=officer_a, result="已责令整改。")
    return first, second


def _follow(filed: Any) -> str:
    keys = {"number": filed.complaint.number, "code": filed.access_code}
    return Client().post(reverse("complaints:follow"), keys).content.decode()


def test_the_merged_filer_disputes_the_result_once_and_both_filers_are_told(
    merged: Any, supervisor_city: Any
) -> None:
    first, second = merged
    page = _follow(second)
    assert 'name="dispute"' in page and first.complaint.number in page
    keys = {"number": second.complaint.number, "code": second.access_code}
    done = Client().post(reverse("complaints:dispute"), {**keys, "reason": "乙某说：饭店仍在卖。"})
    assert done.status_code == 200
    a, b = fresh(first.complaint), fresh(second.complaint)
    assert a.status == ComplaintStatus.DISPUTED and a.disputed_on is None
    assert b.status == ComplaintStatus.MERGED and b.disputed_on is not None
    assert b.dispute_reason == "乙某说：饭店仍在卖。"
    # Once.
    again = Client().post(reverse("complaints:dispute"), {**keys, "reason": "再说一次"})
    assert again.status_code == 400 and fresh(second.complaint).dispute_reason.startswith("乙某")
    # Both told; neither sees the other's name or words.
    told_first = _follow(first)
    assert "合并办理的另一投诉举报人认为办理结果未解决问题" in told_first
    assert "乙某" not in told_first and 'name="dispute"' not in told_first
    told_second = _follow(second)
    assert "由执法监督机关复查" in told_second and "甲某" not in told_second
    # The supervisor reads the reason on the filing merged into, and reopens it.
    desk = client_for(supervisor_city)
    detail = desk.get(reverse("complaints:detail", args=[a.pk])).content.decode()
    assert (
        'id="merged-filings"' in detail and "饭店仍在卖" in detail and 'id="review-form"' in detail
    )
    desk.post(
        reverse("complaints:act", args=[a.pk, "review"]), {"decision": "reopen", "note": "请复查。"}
    )
    assert fresh(first.complaint).status == ComplaintStatus.ACCEPTED
    assert "请复查。" in _follow(second)  # the second look is told to the merged filer too
    assert 'name="dispute"' not in _follow(second)
    entries = {
        (e.object_id, e.action)
        for e in Entry.objects.filter(action__in=[services.DISPUTE, services.DISPUTE_JOINED])
    }
    assert entries == {(str(b.pk), services.DISPUTE), (str(a.pk), services.DISPUTE_JOINED)}
    code, text = run_verify()
    assert code == 0, text


def test_a_merged_filers_dispute_joins_a_pending_second_look(merged: Any) -> None:
    first, second = merged
    services.dispute(fresh(first.complaint), reason="甲某认为仍未解决")
    services.dispute(fresh(second.complaint), reason="乙某也认为仍未解决")
    a = fresh(first.complaint)
    assert a.status == ComplaintStatus.DISPUTED and a.dispute_reason == "甲某认为仍未解决"
    joined = Entry.objects.get(action=services.DISPUTE_JOINED)
    assert json.loads(joined.payload)["joined"] is True
    assert a.notes.filter(kind=NoteKind.DISPUTE_JOINED).count() == 1


def test_no_dispute_before_a_result_nor_after_it_was_confirmed(
    units: None, head_a: Any, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    first = file_report(description="南湖区某饭店出售过期食品，已多次发现。")
    second = file_report(description="南湖区某饭店出售过期食品，多次发现。")
    for filed in (first, second):
        assign(filed.complaint, officer_a, by=head_a)
    services.merge(second.complaint, actor=officer_a, into=first.complaint)
    with pytest.raises(ValidationError) as exc:
        services.dispute(fresh(second.complaint), reason="x")
    assert exc.value.code == "not_closed"
    services.accept(fresh(first.complaint), actor=officer_a)
    services.close(fresh(first.complaint), actor=officer_a, result="已处理。")
    services.dispute(fresh(first.complaint), reason="甲某认为仍未解决")
    services.review(
        fresh(first.complaint), actor=supervisor_city, decision="confirm", note="维持。"
    )
    with pytest.raises(ValidationError) as exc:
        services.dispute(fresh(second.complaint), reason="x")
    assert exc.value.code == "reviewed"
    api = Client().post(
        "/api/v1/public/complaints/dispute",
        json.dumps({"number": second.complaint.number, "code": second.access_code, "reason": "x"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and fresh(second.complaint).disputed_on is None

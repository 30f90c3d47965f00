"""Filing, routing, numbering, the access code, attachments and each state change with
its record entry."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.cases.models import CaseSource, CaseStatus
from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintAttachment, ComplaintStatus
from zhifa.records.models import Entry

from .conftest import (
    BASIS,
    FILER_CONTACT,
    FILER_NAME,
    PARTY,
    VIOLATION,
    assign,
    file_conduct,
    file_report,
    fresh,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_report_goes_to_the_competent_organ_with_number_code_and_clock(
    units: None, organ_a: Any, today: Any
) -> None:
    filed = file_report()
    c = filed.complaint
    assert c.organ == organ_a and c.kind == "report"
    assert c.number == f"330400-{today.year}-000001"
    assert file_report().complaint.number == f"330400-{today.year}-000002"
    assert c.status == ComplaintStatus.RECEIVED
    assert c.ack_due_on.isoformat() == "2026-12-01"
    assert [r[0] for r in c.ack_rules] == ["JL-complaint-ack"]
    # The code is shown once and stored hashed.
    assert len(filed.access_code) == 12 and filed.access_code not in c.access_code_hash
    assert services.find_by_code(c.number, filed.access_code) == c
    assert services.find_by_code(c.number, filed.access_code.lower()) == c
    assert services.find_by_code(c.number, "0" * 12) is None
    assert services.find_by_code("330400-2026-999999", filed.access_code) is None
    assert services.find_by_code(c.number, "") is None


def test_the_record_holds_no_identity_of_the_filer(units: None, today: Any) -> None:
    c = file_report().complaint
    entry = Entry.objects.get(object_type="complaints.complaint", object_id=str(c.pk))
    assert (
        entry.action == "complaint.file" and entry.actor_label == "system:complaints.public-filing"
    )
    assert FILER_NAME not in entry.payload and FILER_CONTACT not in entry.payload
    assert "filer_hmac" in entry.payload and "filer_sm3" not in entry.payload


def test_a_consumer_dispute_names_the_sector_rules(units: None, today: Any) -> None:
    c = file_report(category="consumer_dispute").complaint
    assert [r[0] for r in c.ack_rules] == [
        "JL-complaint-ack",
        "COMPLAINT-sector",
        "NA-promised-deadline",
    ]
    assert c.ack_working_days == 5


def test_a_complaint_goes_to_the_justice_bureau_of_the_region(
    units: None, justice_city: Any, officer_c_record: Any, organ_c: Any, today: Any
) -> None:
    c = file_conduct(officer_c_record).complaint
    assert c.organ == justice_city and c.kind == "complaint"
    assert c.subject_organ == organ_c and c.subject_officer == officer_c_record
    assert c.number.startswith("330424-")


def test_a_report_without_a_matching_organ_goes_to_the_justice_bureau(
    units: None, justice_city: Any, today: Any
) -> None:
    assert file_report(category="other").complaint.organ == justice_city


def test_no_receiving_unit_is_an_error_on_region(regions: Any, today: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        file_report()
    assert "region" in exc.value.message_dict
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"region_code": "999999"}, "region"),
        ({"address": "  "}, "address"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"description": "a\x00b"}, "description"),
        ({"filer_contact": "1" * 129}, "filer_contact"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    units: None, today: Any, extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        file_report(**extra)
    assert field in exc.value.message_dict
    assert not Complaint.objects.exists() and not Entry.objects.exists()


def test_a_report_names_no_organ_complained_about(units: None, organ_c: Any, today: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        file_report(subject_organ=organ_c)
    assert "subject_organ" in exc.value.message_dict


def test_attachments_are_sniffed_sized_and_stored_by_digest(units: None, today: Any) -> None:
    photo = SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg")
    c = file_report(attachments=[photo]).complaint
    attachment = ComplaintAttachment.objects.get(complaint=c)
    assert attachment.content_type == "image/png"  # the content, not the claim
    assert len(attachment.sm3) == 64 and attachment.size == len(PNG)
    entry = Entry.objects.get(object_id=str(c.pk))
    assert attachment.sm3 in entry.payload


def test_a_file_that_is_not_what_it_claims_is_refused(units: None, today: Any) -> None:
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        file_report(attachments=[fake])
    assert list(exc.value.message_dict) == ["attachments"]  # the field the filer used
    assert exc.value.message_dict["attachments"][0].startswith("scan.pdf: ")
    assert not Complaint.objects.exists()


def test_too_many_or_too_large_attachments_are_refused(
    units: None, today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [SimpleUploadedFile(f"{i}.png", PNG) for i in range(4)]
    with pytest.raises(ValidationError) as exc:
        file_report(attachments=files)
    assert "attachments" in exc.value.message_dict
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        file_report(attachments=[io.BytesIO(PNG)])
    assert list(exc.value.message_dict) == ["attachments"]  # the field, not the checker's
    assert not Complaint.objects.exists()


def test_accept_progress_close_dispute_and_reopen(
    units: None, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    services.accept(c, actor=officer_a)
    c = fresh(c)
    assert c.status == ComplaintStatus.ACCEPTED and c.acknowledged_on == today
    services.add_progress(c, actor=officer_a, text="已派员现场核查。")
    services.close(c, actor=officer_a, result="经查属实，已责令整改。")
    c = fresh(c)
    assert c.status == ComplaintStatus.CLOSED
    services.dispute(c, reason="问题仍然存在。")
    c = fresh(c)
    assert c.status == ComplaintStatus.DISPUTED
    with pytest.raises(PermissionDenied):
        services.review(c, actor=officer_a, decision="reopen", note="x")
    services.review(c, actor=supervisor_city, decision="reopen", note="请重新核查。")
    c = fresh(c)
    assert c.status == ComplaintStatus.ACCEPTED
    services.close(c, actor=officer_a, result="复查后已处罚。")
    with pytest.raises(ValidationError) as exc:
        services.dispute(fresh(c), reason="还是不行")
    assert exc.value.code == "disputed"  # once only
    actions = list(
        Entry.objects.filter(object_id=str(c.pk)).order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "complaint.file",
        "complaint.assign",
        "complaint.accept",
        "complaint.progress",
        "complaint.close",
        "complaint.dispute",
        "complaint.reopen",
        "complaint.close",
    ]
    assert [n.kind for n in c.notes.all()] == [
        "accepted",
        "progress",
        "result",
        "dispute",
        "reopened",
        "result",
    ]


def test_the_supervisor_confirms(
    units: None, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    services.accept(c, actor=officer_a)
    services.close(fresh(c), actor=officer_a, result="已处理。")
    services.dispute(fresh(c), reason="不满意")
    services.review(fresh(c), actor=supervisor_city, decision="confirm", note="处理得当。")
    assert fresh(c).status == ComplaintStatus.CONFIRMED


def test_reject_needs_reasons_and_happens_once(units: None, officer_a: Any, today: Any) -> None:
    c = file_report().complaint
    assign(c, officer_a)
    with pytest.raises(ValidationError) as exc:
        services.reject(c, actor=officer_a, reasons=" ")
    assert "reasons" in exc.value.message_dict
    services.reject(c, actor=officer_a, reasons="不属于本机关职责。")
    c = fresh(c)
    assert c.status == ComplaintStatus.REJECTED and c.rejection_reasons
    with pytest.raises(ValidationError):
        services.accept(c, actor=officer_a)


def test_another_organ_may_not_act(units: None, officer_b: Any, officer_c: Any, today: Any) -> None:
    c = file_report().complaint
    for user in (officer_b, officer_c):
        with pytest.raises(PermissionDenied):
            services.accept(c, actor=user)
    assert fresh(c).status == ComplaintStatus.RECEIVED


def test_an_accepted_report_becomes_a_case_source_linked_both_ways(
    units: None, organ_a: Any, power_item: Any, people: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, people.officer_user)
    services.accept(c, actor=people.officer_user)
    args = {
        "on": today,
        "procedure": "summary",  # forced to general: a source awaits registration
        "power_item": power_item,
        "party": PARTY,
        "violation": {**VIOLATION, "discovered_on": today.isoformat()},
        "basis": BASIS,
    }
    case = services.enter_case(fresh(c), actor=people.officer_user, arguments=args)
    assert case.status == CaseStatus.AWAITING_REGISTRATION
    assert case.source == CaseSource.REPORT and case.organ == organ_a
    assert fresh(c).case == case and case.complaint_source == fresh(c)
    with pytest.raises(ValidationError):
        services.enter_case(fresh(c), actor=people.officer_user, arguments=args)


def test_a_merge_chain_ends_on_one_filing_and_every_filer_is_told(
    units: None, officer_a: Any, today: Any
) -> None:
    a = file_report().complaint
    b = file_report(description="同一家饭店出售过期食品。").complaint
    c = file_report(description="该饭店出售过期食品，已多次。").complaint
    for filing in (a, b, c):
        assign(filing, officer_a)
    services.merge(a, actor=officer_a, into=b)
    services.merge(fresh(b), actor=officer_a, into=c)
    assert fresh(a).merged_into_id == c.pk and fresh(b).merged_into_id == c.pk
    assert not Complaint.objects.filter(merged_into=b).exists()
    told = list(fresh(a).notes.order_by("pk").values_list("text", flat=True))
    assert any(c.number in text for text in told) and any(b.number in text for text in told)
    assert fresh(c).notes.filter(kind="merged").count() == 1
    actions = list(
        Entry.objects.filter(object_id=str(a.pk)).order_by("seq").values_list("action", flat=True)
    )
    assert actions.count(services.MERGE) == 2  # the re-pointing is in a's own chain


def test_description_likeness_is_sensible_and_bounded() -> None:
    from zhifa.complaints import duplicates

    def alike(first: str, second: str) -> float:
        return duplicates.likeness(duplicates._bigrams(first), duplicates._bigrams(second))

    assert alike(
        "南湖区某饭店出售过期食品，已多次发现。", "南湖区某饭店出售过期食品，多次发现。"
    ) >= (duplicates.SIMILAR)
    assert (
        alike("南湖区某饭店出售过期食品。", "超市价格标签与收银价格不一致。") < duplicates.SIMILAR
    )
    assert alike("", "某饭店") == 0.0 and alike("店", "店") == 1.0
    # A crafted long description is compared on its first COMPARED characters only.
    long = "".join(chr(0x4E00 + i) for i in range(5000))
    assert len(duplicates._bigrams(long)) == duplicates.COMPARED - 1

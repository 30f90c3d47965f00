"""Supervision notices (SUP-notice): issued by a supervisor, numbered per region and year,
rendered and recorded; replied to by the organ (late after the deadline), accepted or
returned; bad input refused naming the field with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.testing import make_organ
from zhifa.documents.rendering import open_stored_pdf
from zhifa.records.models import Entry
from zhifa.supervision import notices
from zhifa.supervision.models import Notice, NoticeReply, NoticeStatus

from .notice_fixtures import issued, notice_kwargs

pytestmark = pytest.mark.django_db
__all__ = ["issued"]


def test_a_notice_is_numbered_rendered_and_recorded(
    issued: Notice, general_case: Case, today: dt.date
) -> None:
    assert issued.number == f"嘉司监通〔{today.year}〕1号"
    assert issued.status == NoticeStatus.AWAITING_REPLY
    assert issued.issuer_name == "嘉兴市司法局"
    assert list(issued.cases.all()) == [general_case]
    pdf = open_stored_pdf(issued.storage_name, issued.sm3)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert notices.is_intact(issued)
    entry = Entry.objects.get(action=notices.ISSUE_ACTION)
    assert entry.organ_id == issued.organ_id and entry.object_id == str(issued.pk)
    assert _body(entry)["digest"] == issued.digest
    assert _body(entry)["sm3"] == issued.sm3
    assert _body(entry)["cases"] == [general_case.pk]


def test_numbers_follow_per_kind_and_year(
    issued: Notice, supervisor_city: User, organ_b: Any, today: dt.date
) -> None:
    second = notices.issue_notice(
        actor=supervisor_city, organ=organ_b, **notice_kwargs(today, pattern="多起案件超期未结")
    )
    suggestion = notices.issue_notice(
        actor=supervisor_city,
        organ=organ_b,
        **notice_kwargs(today, kind="suggestion", pattern="多起案件超期未结"),
    )
    assert second.number == f"嘉司监通〔{today.year}〕2号"
    assert suggestion.number == f"嘉司监建〔{today.year}〕1号"


def test_the_reply_is_numbered_rendered_recorded_and_accepted(
    issued: Notice, head_a: User, supervisor_city: User
) -> None:
    upload = SimpleUploadedFile(
        "整改台账.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    reply = notices.submit_reply(issued, actor=head_a, text="已逐案补正。", uploads=[upload])
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.REPLIED
    assert reply.number == issued.number + "-复1" and not reply.late
    assert reply.attachments[0]["name"] == "整改台账.pdf"
    assert open_stored_pdf(reply.storage_name, reply.sm3) is not None
    entry = Entry.objects.get(action=notices.REPLY_ACTION)
    assert _body(entry)["reply"] == reply.pk and _body(entry)["late"] is False
    notices.accept_reply(issued, actor=supervisor_city)
    issued.refresh_from_db()
    reply.refresh_from_db()
    assert issued.status == NoticeStatus.CLOSED and reply.decision == "accepted"
    assert Entry.objects.filter(action=notices.ACCEPT_ACTION).count() == 1


def test_a_returned_reply_is_answered_again_and_a_late_one_is_marked(
    issued: Notice, head_a: User, supervisor_city: User, time_machine: Any
) -> None:
    notices.submit_reply(issued, actor=head_a, text="已整改。")
    with pytest.raises(ValidationError) as refused:
        notices.return_reply(issued, actor=supervisor_city, reasons="  ")
    assert "reasons" in refused.value.message_dict
    notices.return_reply(issued, actor=supervisor_city, reasons="未附整改材料。")
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.RETURNED
    time_machine.move_to(dt.datetime.combine(issued.deadline, dt.time(12)) + dt.timedelta(days=1))
    second = notices.submit_reply(issued, actor=head_a, text="补充整改材料。")
    assert second.attempt == 2 and second.late
    assert second.number.endswith("-复2")
    first = NoticeReply.objects.get(notice=issued, attempt=1)
    assert first.decision == "returned" and first.reasons == "未附整改材料。"


def test_bad_input_names_the_field_and_writes_nothing(
    supervisor_city: User, general_case: Case, organ_c: Any, justice_city: Any, today: dt.date
) -> None:
    cases: list[Any]
    for field, kwargs, cases in (
        ("deadline", {"deadline": today}, [general_case]),
        ("deadline", {"deadline": "2026-13-01"}, [general_case]),
        ("findings", {"findings": " "}, [general_case]),
        ("rectification", {"rectification": "\u200b"}, [general_case]),
        ("kind", {"kind": "order"}, [general_case]),
        ("pattern", {}, []),
        ("cases", {}, [999_999]),
        ("cases", {}, ["1"]),
    ):
        with pytest.raises(ValidationError) as refused:
            notices.issue_notice(
                actor=supervisor_city,
                organ=general_case.organ,
                cases=cases,
                **notice_kwargs(today, **kwargs),
            )
        assert field in refused.value.message_dict, (field, refused.value)
    # A case of another organ is not the organ's.
    with pytest.raises(ValidationError) as refused:
        notices.issue_notice(
            actor=supervisor_city, organ=organ_c, cases=[general_case], **notice_kwargs(today)
        )
    assert "cases" in refused.value.message_dict
    assert not Notice.objects.exists() and not Entry.objects.filter(action__startswith="notice.")


def test_only_a_supervisor_of_the_region_issues(
    officer_a: User,
    head_a: User,
    supervisor_county_c: User,
    general_case: Case,
    justice_city: Any,
    today: dt.date,
) -> None:
    for user in (officer_a, head_a):
        with pytest.raises(PermissionDenied):
            notices.issue_notice(actor=user, organ=general_case.organ, **notice_kwargs(today))
    make_organ("海盐县司法局", supervisor_county_c.region, is_justice_bureau=True)
    with pytest.raises(ValidationError) as refused:
        notices.issue_notice(
            actor=supervisor_county_c,
            organ=general_case.organ,
            **notice_kwargs(today, pattern="x问题"),
        )
    assert "organ" in refused.value.message_dict


def test_only_the_organ_replies_and_only_the_region_reviews(
    issued: Notice, officer_b: User, supervisor_county_c: User, officer_a: User, head_a: User
) -> None:
    with pytest.raises(PermissionDenied):
        notices.submit_reply(issued, actor=officer_b, text="x")
    with pytest.raises(PermissionDenied):
        notices.submit_reply(issued, actor=supervisor_county_c, text="x")
    with pytest.raises(notices.NotOpen):
        notices.accept_reply(issued, actor=_supervisor_of(issued))
    notices.submit_reply(issued, actor=head_a, text="已整改。")
    with pytest.raises(notices.NotOpen):
        notices.submit_reply(issued, actor=head_a, text="again")
    with pytest.raises(PermissionDenied):
        notices.accept_reply(issued, actor=supervisor_county_c)
    with pytest.raises(PermissionDenied):
        notices.accept_reply(issued, actor=officer_a)


def _body(entry: Entry) -> dict[str, Any]:
    return dict(json.loads(entry.payload))


def _supervisor_of(notice: Notice) -> User:
    return User.objects.get(pk=notice.issued_by_id)


def test_a_bad_attachment_is_refused_at_files(issued: Notice, head_a: User) -> None:
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        notices.submit_reply(issued, actor=head_a, text="已整改。", uploads=[bad])
    assert "files" in refused.value.message_dict
    many = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(notices.MAX_FILES + 1)]
    with pytest.raises(ValidationError) as refused:
        notices.submit_reply(issued, actor=head_a, text="已整改。", uploads=many)
    assert "files" in refused.value.message_dict
    assert not NoticeReply.objects.exists()

"""``zhifa records verify`` holds supervision notices and their replies to their entries
(SUP-notice): made through the services they pass; a field changed in the database, a
case added behind the record, an altered document, a forged row fail, naming it."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.accounts.models import User
from zhifa.records import evidence_files
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.supervision import notices
from zhifa.supervision.models import Notice, NoticeReply

from .notice_fixtures import issued

pytestmark = pytest.mark.django_db
__all__ = ["issued"]


@pytest.fixture
def answered(issued: Notice, head_a: User, supervisor_city: User) -> NoticeReply:
    notices.submit_reply(issued, actor=head_a, text="已整改。")
    notices.return_reply(issued, actor=supervisor_city, reasons="材料不全。")
    reply = notices.submit_reply(issued, actor=head_a, text="补充材料。")
    notices.accept_reply(issued, actor=supervisor_city)
    return reply


def test_notices_and_replies_made_by_the_services_pass(answered: NoticeReply) -> None:
    code, text = run_verify()
    assert code == 0, text


@pytest.mark.parametrize(
    "change",
    [
        {"findings": "没有问题。"},
        {"rectification": "无"},
        {"deadline": "2099-01-01"},
        {"status": "awaiting_reply"},
        {"number": "假〔2026〕1号"},
        {"digest": "0" * 64},
    ],
)
def test_a_notice_changed_outside_the_services_fails(
    answered: NoticeReply, change: dict[str, Any]
) -> None:
    notice = answered.notice
    Notice.objects.filter(pk=notice.pk).update(**change)
    code, text = run_verify()
    assert code == 1, text
    assert f"supervision notice {Notice.objects.get(pk=notice.pk).number}" in text, text


def test_a_case_added_behind_the_record_fails(answered: NoticeReply, people: Any) -> None:
    from zhifa.cases.tests.conftest import open_general_case

    notice = answered.notice
    case = notice.cases.get()
    other = open_general_case(case.organ, case.power_item, people)
    notice.cases.add(other)
    code, text = run_verify()
    assert code == 1, text
    assert "supervision notice" in text, text


@pytest.mark.parametrize(
    "change", [{"text": "另一个答复。"}, {"late": True}, {"decision": "returned"}]
)
def test_a_reply_changed_outside_the_services_fails(
    answered: NoticeReply, change: dict[str, Any]
) -> None:
    NoticeReply.objects.filter(pk=answered.pk).update(**change)
    code, text = run_verify()
    assert code == 1, text
    assert f"reply to a supervision notice {answered.number}" in text, text


def test_an_altered_document_fails(answered: NoticeReply) -> None:
    notice = answered.notice
    storage = evidence_files.evidence_storage()
    with storage.open(notice.storage_name, "wb") as handle:
        handle.write(b"%PDF-1.4 forged")
    code, text = run_verify()
    assert code == 1, text


def test_rows_without_their_entry_fail(answered: NoticeReply) -> None:
    forged = NoticeReply.objects.get(pk=answered.pk)
    forged.pk = None
    forged.attempt = 9
    forged.number = "伪造-复9"
    forged.save()
    code, text = run_verify()
    assert code == 1, text
    assert "伪造-复9" in text or f"{forged.pk}" in text, text


@pytest.mark.parametrize("field", ["reasons", "reviewed_by", "reviewed_at"])
@pytest.mark.parametrize("attempt", [1, 2])
def test_a_review_changed_outside_the_services_fails(
    answered: NoticeReply, field: str, attempt: int, supervisor_county_c: User
) -> None:
    """The supervisor's review (issue #17 review, item 2): the returned reply's reasons,
    and who reviewed either reply and when, are held to the review's entry."""
    import datetime as dt

    reply = NoticeReply.objects.get(notice=answered.notice, attempt=attempt)
    change: dict[str, Any] = {
        "reasons": {"reasons": "改过的理由。"},
        "reviewed_by": {"reviewed_by": supervisor_county_c},
        "reviewed_at": {"reviewed_at": reply.reviewed_at + dt.timedelta(days=1)},
    }[field]
    NoticeReply.objects.filter(pk=reply.pk).update(**change)
    code, text = run_verify()
    assert code == 1, text
    assert f"reply to a supervision notice {reply.number}" in text, text


def test_a_review_added_to_an_unreviewed_reply_fails(
    issued: Notice, head_a: User, supervisor_city: User
) -> None:
    reply = notices.submit_reply(issued, actor=head_a, text="已整改。")
    NoticeReply.objects.filter(pk=reply.pk).update(reasons="假理由", reviewed_by=supervisor_city)
    code, text = run_verify()
    assert code == 1, text
    assert reply.number in text, text

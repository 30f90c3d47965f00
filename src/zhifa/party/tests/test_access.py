"""The party's access: codes printed on served documents, re-issue, sign-in (wrong code,
another case's code, lockout, constant-time comparison) — issue #16 item 6."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from zhifa.cases.documents import render_document
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import People, Walker
from zhifa.documents.models import DocumentType
from zhifa.party import services
from zhifa.party.models import AccessCode, PartyAccess
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db


def test_rendering_the_prior_notice_prints_a_new_code_that_signs_in(
    notified_walk: Walker, people: People
) -> None:
    case = notified_walk.case
    document = render_document(case, DocumentType.PRIOR_NOTICE, actor=people.officer_user)
    assert document.kind == DocumentType.PRIOR_NOTICE
    row = AccessCode.objects.get(access__case=case)
    assert row.document_kind == DocumentType.PRIOR_NOTICE
    assert len(row.digest) == 64
    entry = Entry.objects.filter(action="party.code").get()
    assert entry.actor_label == "system:party.access-code"
    assert "digest" not in entry.payload and row.digest not in entry.payload
    # the context the template is filled with carries a code that works
    step = case.steps.get(step="prior_notice")
    line = services.access_line(case, step)["party_access"]
    assert line["number"] == case.registration_number
    assert line["url"].endswith("/party/")
    access, _code = services.sign_in(case.registration_number, line["code"])
    assert access.case_id == case.pk
    # both codes stay valid: only a re-issue revokes
    assert AccessCode.objects.filter(access=access, revoked_at__isnull=True).count() == 2


def test_the_code_is_stored_as_a_digest_only(notified_walk: Walker, people: People) -> None:
    code = services.reissue_code(notified_walk.case, actor=people.officer_user)
    row = AccessCode.objects.get()
    assert code not in row.digest and row.digest == services.digest(code)


def test_a_code_for_case_a_never_opens_case_b(
    notified_walk: Walker, other_case: Case, people: People
) -> None:
    code_a = services.reissue_code(notified_walk.case, actor=people.officer_user)
    services.reissue_code(other_case, actor=people.officer_user)
    with translation.override("en"), pytest.raises(services.SignInFailed) as wrong:
        services.sign_in(other_case.registration_number, code_a)
    assert wrong.value.message == "The case number or the access code is wrong."
    access, _ = services.sign_in(notified_walk.case.registration_number, code_a)
    assert access.case_id == notified_walk.case.pk


def test_wrong_code_and_unknown_number_give_the_same_answer(
    notified_walk: Walker, people: People
) -> None:
    services.reissue_code(notified_walk.case, actor=people.officer_user)
    messages = []
    for number, code in (
        (notified_walk.case.registration_number, "0000-0000-0000"),
        ("嘉市监立〔2099〕999号", "0000-0000-0000"),
        (notified_walk.case.registration_number, "not a code"),
        ("", ""),
    ):
        with pytest.raises(services.SignInFailed) as failed:
            services.sign_in(number, code)
        messages.append(failed.value.message)
        assert failed.value.locked_until is None
    assert len(set(messages)) == 1


def test_the_comparison_is_constant_time(
    notified_walk: Walker, people: People, monkeypatch: Any
) -> None:
    """Every active code of the candidate cases is compared with hmac.compare_digest
    (never ==) under each configured key, and an unknown number makes as many."""
    services.reissue_code(notified_walk.case, actor=people.officer_user)
    calls: list[tuple[str, str]] = []
    real = services.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(services.hmac, "compare_digest", spy)
    with pytest.raises(services.SignInFailed):
        services.sign_in(notified_walk.case.registration_number, "ZZZZ-ZZZZ-ZZZZ")
    assert len(calls) == 2  # the current key and the legacy one (SECRET_KEY)
    with pytest.raises(services.SignInFailed):
        services.sign_in("no such number", "ZZZZ-ZZZZ-ZZZZ")
    assert len(calls) == 4  # as many for a number no case has


def test_after_reissue_the_old_code_fails(notified_walk: Walker, people: People) -> None:
    case = notified_walk.case
    old = services.reissue_code(case, actor=people.officer_user)
    services.sign_in(case.registration_number, old)
    new = services.reissue_code(case, actor=people.head_user)
    with pytest.raises(services.SignInFailed):
        services.sign_in(case.registration_number, old)
    access, _ = services.sign_in(case.registration_number, new)
    assert access.case_id == case.pk
    entry = Entry.objects.filter(action="party.code_reissued").last()
    assert entry is not None and entry.actor_id == people.head_user.pk


def test_the_code_is_read_as_printed(notified_walk: Walker, people: People) -> None:
    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    services.sign_in(case.registration_number, services.display(code).lower())
    services.sign_in(" " + case.registration_number + " ", code)


def test_repeated_failures_lock_the_case(notified_walk: Walker, people: People) -> None:
    case = notified_walk.case
    code = services.reissue_code(case, actor=people.officer_user)
    for _i in range(services.MAX_FAILURES):
        with pytest.raises(services.SignInFailed):
            services.sign_in(case.registration_number, "0000-0000-0000")
    with pytest.raises(services.SignInFailed) as locked:
        services.sign_in(case.registration_number, code)  # even the right code
    assert locked.value.locked_until is not None
    assert PartyAccess.objects.get(case=case).locked_until is not None
    # the organ's re-issue lifts the lock
    fresh = services.reissue_code(case, actor=people.officer_user)
    services.sign_in(case.registration_number, fresh)


def test_only_the_case_organs_officers_reissue(
    notified_walk: Walker, people: People, officer_b: Any, reviewer_a: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    for user in (officer_b, reviewer_a):
        with pytest.raises(PermissionDenied):
            services.reissue_code(notified_walk.case, actor=user)
    assert not AccessCode.objects.exists()


def test_the_party_user_cannot_sign_in_as_staff(notified_walk: Walker, people: People) -> None:
    from django.test import Client
    from django.urls import reverse

    services.reissue_code(notified_walk.case, actor=people.officer_user)
    principal = PartyAccess.objects.get().principal
    assert not principal.is_active and not principal.has_usable_password()
    client = Client()
    client.post(reverse("accounts:login"), {"username": principal.username, "password": "x"})
    assert "_auth_user_id" not in client.session

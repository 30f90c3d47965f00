"""Submitting a case for legal review (提请法制审核)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts.models import Role
from zhifa.core.testing import make_user
from zhifa.records.models import Entry
from zhifa.review import services
from zhifa.review.models import ReviewRequest, ReviewStatus

from .conftest import D


def test_submitting_puts_the_case_in_the_queue_and_records_it(ready) -> None:
    review = services.submit_for_review(
        ready.case, actor=ready.p.officer_user, on=D("2026-03-20"), note="  拟罚款十五万元。 "
    )
    assert review.status == ReviewStatus.PENDING
    assert review.note == "拟罚款十五万元。"
    assert review.submitted_by == ready.p.officer_user
    entry = Entry.objects.get(action="review.submit")
    assert entry.object_type == "cases.case" and entry.object_id == str(ready.case.pk)
    payload = json.loads(entry.payload)
    assert payload["request"] == review.pk and payload["note"] == "拟罚款十五万元。"


def test_a_second_pending_request_is_refused(submitted, ready) -> None:
    before = (ReviewRequest.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(
            ready.case, actor=ready.p.officer_user, on=D("2026-03-21"), note="再次提交"
        )
    assert exc.value.code == "pending"
    assert (ReviewRequest.objects.count(), Entry.objects.count()) == before


def test_an_empty_note_is_refused_naming_the_field(ready) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(
            ready.case, actor=ready.p.officer_user, on=D("2026-03-20"), note="  "
        )
    assert list(exc.value.message_dict) == ["note"]
    assert not ReviewRequest.objects.exists()


def test_a_decided_case_cannot_be_submitted(walk) -> None:
    walk.until_review()
    walk.decide()
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(
            walk.case, actor=walk.p.officer_user, on=D("2026-03-28"), note="拟处理意见"
        )
    assert exc.value.code == "decided"
    assert not ReviewRequest.objects.exists()


def test_a_closed_case_cannot_be_submitted(walk) -> None:
    walk.until_review()
    walk.decide()
    walk.close("2026-04-10")
    with pytest.raises(ValidationError):
        services.submit_for_review(
            walk.case, actor=walk.p.officer_user, on=D("2026-04-11"), note="拟处理意见"
        )
    assert not ReviewRequest.objects.exists()


def test_only_officers_of_the_cases_organ_submit(ready, officer_b, reviewer_a) -> None:
    for actor in (officer_b, reviewer_a):
        with pytest.raises(PermissionDenied):
            services.submit_for_review(
                ready.case, actor=actor, on=D("2026-03-20"), note="拟处理意见"
            )
    assert not ReviewRequest.objects.exists()
    assert not Entry.objects.filter(action="review.submit").exists()


def test_an_organ_head_may_submit(ready, organ_a) -> None:
    head = make_user("head_a2", Role.ORGAN_HEAD, organ=organ_a)
    review = services.submit_for_review(
        ready.case, actor=head, on=D("2026-03-20"), note="拟处理意见"
    )
    assert review.is_pending

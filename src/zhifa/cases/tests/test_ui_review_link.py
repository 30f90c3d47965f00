"""The case page offers "Submit for legal review" (review app) to the organ's officers
once the prior notice is served and while the case is undecided with no pending request,
and shows the review's status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.core.testing import client_for
from zhifa.review import services as review_services

from .conftest import D, Walker

pytestmark = pytest.mark.django_db


def test_the_submit_link_appears_after_the_prior_notice_until_a_request_is_pending(
    walk: Walker,
) -> None:
    case = walk.case
    submit = reverse("review:submit", args=[case.pk])
    detail = reverse("cases:detail", args=[case.pk])
    officer = client_for(walk.p.officer_user)
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    assert submit not in officer.get(detail).content.decode()  # no prior notice yet
    walk.notify()
    assert submit in officer.get(detail).content.decode()
    assert submit not in client_for(walk.p.reviewer_user).get(detail).content.decode()

    review_services.submit_for_review(
        case, actor=walk.p.officer_user, on=D("2026-03-20"), note="请审核拟处罚决定"
    )
    page = officer.get(detail).content.decode()
    assert submit not in page
    assert "review-pending" in page and "待审核" in page

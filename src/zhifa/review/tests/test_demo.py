"""The review demo submits open cases with a prior notice, and copes with none."""

from __future__ import annotations

import io

from zhifa.review import demo
from zhifa.review.models import ReviewRequest, ReviewStatus


def test_without_candidate_cases_the_demo_says_so(organ_a) -> None:
    out = io.StringIO()
    demo.load(out)
    assert "none submitted" in out.getvalue()
    assert not ReviewRequest.objects.exists()


def test_the_demo_submits_a_notified_case_once(ready) -> None:
    out = io.StringIO()
    demo.load(out)
    review = ReviewRequest.objects.get()
    assert review.case == ready.case and review.status == ReviewStatus.PENDING
    assert review.submitted_by.organ_id == ready.case.organ_id
    assert "1 cases submitted" in out.getvalue()
    demo.load(io.StringIO())  # idempotent: the pending request is not repeated
    assert ReviewRequest.objects.count() == 1


def test_the_demo_leaves_cases_without_a_prior_notice(walk) -> None:
    demo.load(io.StringIO())
    assert not ReviewRequest.objects.exists()


def test_the_demo_links_a_reviewer_account_to_its_qualified_officer(
    organ_a, reviewer_a, supervisor_city
) -> None:
    from zhifa.registry.demo import demo_id_number
    from zhifa.registry.models import Officer

    officer = Officer.objects.create(
        organ=organ_a,
        name="陈静",
        kind="officer",
        legal_qualification=True,
        id_number=demo_id_number("33042119870611123"),
    )
    demo.load(io.StringIO())
    officer.refresh_from_db()
    assert officer.user == reviewer_a

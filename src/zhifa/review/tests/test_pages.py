"""The review pages: the queue, the review form, the submission page; scope and roles."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases.models import CaseStep
from zhifa.core.testing import client_for, make_user
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest, ReviewStatus

from .conftest import OPINION, complete, state


def form_data(**problems: str) -> dict[str, Any]:
    # The steps the page showed (the tests' one case).
    data: dict[str, Any] = {
        "opinion": OPINION,
        "result": "passed",
        "expected_steps": CaseStep.objects.count(),
    }
    for code in CHECKLIST_CODES:
        data[f"{code}_ok"] = "problem" if code in problems else "ok"
        data[f"{code}_comment"] = problems.get(code, "")
    return data


def test_the_queue_lists_pending_requests_with_the_decision_deadline(submitted, ready) -> None:
    response = client_for(ready.p.reviewer_user).get(reverse("review:queue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert ready.case.number in text and ready.case.party_name in text
    assert "2026-03-20" in text  # submitted on
    assert "2026-06-01" in text  # APL 60: 90 days from registration (2026-03-03)
    assert reverse("review:detail", args=[submitted.pk]) in text


def test_the_queue_is_the_reviewers_home_section(submitted, ready) -> None:
    response = client_for(ready.p.reviewer_user).get(reverse("core:home"))
    assert reverse("review:queue") in response.content.decode()


def test_the_queue_of_another_organ_does_not_show_the_request(submitted, reviewer_b) -> None:
    response = client_for(reviewer_b).get(reverse("review:queue"))
    assert response.status_code == 200
    assert submitted.case.number not in response.content.decode()


def test_a_completed_request_leaves_the_pending_queue(submitted, ready) -> None:
    complete(submitted, ready.p.reviewer_user)
    client = client_for(ready.p.reviewer_user)
    assert ready.case.number not in client.get(reverse("review:queue")).content.decode()
    shown = client.get(reverse("review:queue") + "?status=passed").content.decode()
    assert ready.case.number in shown


def test_the_review_page_shows_the_case_and_its_steps(submitted, ready) -> None:
    response = client_for(ready.p.reviewer_user).get(reverse("review:detail", args=[submitted.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/cases/{ready.case.pk}/" in text
    assert "拟罚款十五万元。" in text
    assert text.count('name="evidence_ok"') == 2  # OK / problem
    for code in CHECKLIST_CODES:
        assert f'name="{code}_comment"' in text


def test_the_reviewer_passes_the_case_on_the_page(submitted, ready) -> None:
    client = client_for(ready.p.reviewer_user)
    url = reverse("review:detail", args=[submitted.pk])
    response = client.post(url, form_data())
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.PASSED
    assert CaseStep.objects.filter(case=ready.case, step="legal_review").exists()
    assert 'name="opinion"' not in client.get(url).content.decode()  # read-only now


def test_a_problem_without_comment_on_the_page_names_the_field(submitted, ready) -> None:
    before = state(submitted)
    data = form_data(evidence="x")
    data["evidence_comment"] = ""
    response = client_for(ready.p.reviewer_user).post(
        reverse("review:detail", args=[submitted.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"evidence_comment"}
    assert state(submitted) == before


def test_a_suspected_crime_on_the_page_warns_about_the_transfer(submitted, ready) -> None:
    data = form_data(crime="可能构成犯罪。")
    data.update(opinion="本案涉嫌犯罪，应移送司法机关。", result="failed")
    response = client_for(ready.p.reviewer_user).post(
        reverse("review:detail", args=[submitted.pk]), data, follow=True
    )
    text = response.content.decode()
    assert "APL-27-transfer" in text


def test_an_officer_cannot_complete_on_the_page(submitted, ready) -> None:
    before = state(submitted)
    response = client_for(ready.p.officer_user).post(
        reverse("review:detail", args=[submitted.pk]), form_data()
    )
    assert response.status_code == 403
    assert state(submitted) == before


def test_organ_bs_reviewer_gets_404(submitted, reviewer_b) -> None:
    client = client_for(reviewer_b)
    url = reverse("review:detail", args=[submitted.pk])
    assert client.get(url).status_code == 404
    before = state(submitted)
    assert client.post(url, form_data()).status_code == 404
    assert state(submitted) == before


def test_the_officer_submits_on_the_page(ready) -> None:
    client = client_for(ready.p.officer_user)
    url = reverse("review:submit", args=[ready.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "拟罚款十五万元。"})
    review = ReviewRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:detail", args=[review.pk])
    again = client.post(url, {"note": "再次提交"})
    assert again.status_code == 200
    assert "already waiting" in again.content.decode() or "已在等待" in again.content.decode()
    assert ReviewRequest.objects.count() == 1


def test_an_empty_note_on_the_page_names_the_field(ready) -> None:
    response = client_for(ready.p.officer_user).post(
        reverse("review:submit", args=[ready.case.pk]), {"note": ""}
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not ReviewRequest.objects.exists()


def test_organ_bs_officer_cannot_submit_organ_as_case(ready, officer_b) -> None:
    client = client_for(officer_b)
    url = reverse("review:submit", args=[ready.case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "x"}).status_code == 404
    assert not ReviewRequest.objects.exists()


def test_a_reviewer_cannot_submit(ready) -> None:
    url = reverse("review:submit", args=[ready.case.pk])
    assert client_for(ready.p.reviewer_user).post(url, {"note": "x"}).status_code == 403
    assert not ReviewRequest.objects.exists()


def test_the_history_shows_earlier_reviews(submitted, ready, organ_a) -> None:
    complete(
        submitted,
        ready.p.reviewer_user,
        result="returned",
        checklist={
            **{c: {"ok": True, "comment": ""} for c in CHECKLIST_CODES},
            "facts": {"ok": False, "comment": "违法所得未查清"},
        },
        opinion="退回补充调查：违法所得未查清。",
    )
    head = make_user("head_a3", Role.ORGAN_HEAD, organ=organ_a)
    client = client_for(head)
    response = client.post(reverse("review:submit", args=[ready.case.pk]), {"note": "补充完毕"})
    new = ReviewRequest.objects.get(status=ReviewStatus.PENDING)
    assert response["Location"] == reverse("review:detail", args=[new.pk])
    text = client_for(ready.p.reviewer_user).get(response["Location"]).content.decode()
    assert "退回补充调查：违法所得未查清。" in text
    assert reverse("review:detail", args=[submitted.pk]) in text


def test_the_review_page_s_steps_are_in_words_and_numbered_from_1(submitted, ready) -> None:
    """Issue #10: the step table said "法制审核 (passed)" and numbered the steps from 0
    under "#", while the case page numbers them from 1 under 序号."""
    complete(submitted, ready.p.reviewer_user)
    text = (
        client_for(ready.p.reviewer_user)
        .get(reverse("review:detail", args=[submitted.pk]))
        .content.decode()
    )
    table = text.split("<h3>办案环节</h3>", 1)[1].split("</table>", 1)[0]
    assert "<th>序号</th>" in table and "<th>#</th>" not in table
    assert "(passed)" not in table and "法制审核（审核通过）" in table
    numbers = [int(n) for n in re.findall(r"<tr><td[^>]*>(\d+)</td>", table)]
    assert numbers == list(range(1, ready.case.steps.count() + 1)), numbers


def test_the_approvals_page_says_pending_for_a_case_submitted_for_review(submitted, ready):
    """Issue #10: the organ head's approvals page said 未审核 for a case already
    submitted for legal review."""
    head = client_for(ready.p.head_user)
    html = head.get(reverse("cases:approvals")).content.decode()
    ready.case.refresh_from_db()
    row = re.search(
        r"<tr><td[^>]*><a[^>]*>" + re.escape(ready.case.number) + r".*?</tr>", html, re.S
    )
    assert row is not None, html
    assert "待审核" in row.group(0) and "未审核" not in row.group(0)
    complete(submitted, ready.p.reviewer_user)
    html = head.get(reverse("cases:approvals")).content.decode()
    assert "待审核" not in html and "通过" in html


def _shown_by_its_case_number(html: str, case: Any) -> None:
    """A registered case is shown by its case number (立案号), never by the source
    number (案源号) it keeps as ``case_id``."""
    assert case.registration_number and case.registration_number != case.case_id
    assert case.registration_number in html
    assert case.case_id not in html


def test_the_review_pages_show_the_case_number(submitted, ready) -> None:
    case = ready.case
    case.refresh_from_db()
    reviewer = client_for(ready.p.reviewer_user)
    for url in (reverse("review:queue"), reverse("review:detail", args=[submitted.pk])):
        response = reviewer.get(url)
        assert response.status_code == 200, url
        _shown_by_its_case_number(response.content.decode(), case)
    listed = reviewer.get("/api/v1/review/requests").json()
    assert [r["case_number"] for r in listed["items"]] == [case.registration_number]


def test_the_submit_page_shows_the_case_number(ready) -> None:
    case = ready.case
    case.refresh_from_db()
    response = client_for(ready.p.officer_user).get(reverse("review:submit", args=[case.pk]))
    assert response.status_code == 200
    _shown_by_its_case_number(response.content.decode(), case)


def test_the_review_page_names_the_discretion_band_in_chinese(submitted, ready) -> None:
    # It showed the file's value: "裁量基准 ordinary 100000–200000 元" (demo: lighter
    # 50000.0–65000.0).
    ready.case.benchmark = {"circumstance": "lighter", "fine_min": 50000.0, "fine_max": 65000.0}
    ready.case.save(update_fields=["benchmark"])
    client = client_for(ready.p.reviewer_user)
    text = client.get(reverse("review:detail", args=[submitted.pk])).content.decode()
    assert "从轻处罚 50000–65000 元" in text
    assert "lighter" not in text and "50000.0" not in text

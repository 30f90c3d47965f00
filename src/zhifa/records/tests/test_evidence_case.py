"""Evidence belongs to a case of the user's organ (issue #10 item 5): the upload page
refuses evidence without a case, shows the case it attaches to, confirms the upload
with a message, and the evidence list names each item's case."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import client_for
from zhifa.records.models import Entry, Evidence

from .files import upload

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case

pytestmark = pytest.mark.django_db
ADD = reverse("records:evidence_add")


def form_data(user: Any, **extra: Any) -> dict[str, Any]:
    return {
        "file": upload(),
        "kind": "photo",
        "title": "现场照片",
        "collected_by": [user.pk],
        "collected_at": "2026-11-20T09:30",
        "location": "嘉兴市南湖区",
        **extra,
    }


def nothing_written(settings: Any) -> bool:
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return (
        files == []
        and not Evidence.objects.exists()
        and not Entry.objects.filter(action="evidence.add").exists()
    )


@pytest.fixture
def other_case(organ_b: Any, officer_b: Any, power_item: Any) -> Case:
    return cases_conftest.case_in(organ_b, officer_b, power_item, party_name="嘉善某某餐饮店")


def test_evidence_without_a_case_is_refused_on_the_case_field(
    general_case: Case, people: Any, settings: Any
) -> None:
    user = people.officer_user
    response = client_for(user).post(ADD, form_data(user))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["case"]
    assert "选择证据所属的案件" in response.content.decode()
    assert nothing_written(settings)


def test_the_form_offers_the_organs_cases_only(
    general_case: Case, other_case: Case, people: Any
) -> None:
    page = client_for(people.officer_user).get(ADD).content.decode()
    assert 'name="case"' in page
    assert f'<option value="{general_case.pk}">{general_case.case_id} 嘉兴某某食品有限公司' in page
    assert other_case.case_id not in page and "嘉善某某餐饮店" not in page


def test_reached_from_the_case_page_the_form_shows_the_case(
    general_case: Case, people: Any
) -> None:
    client = client_for(people.officer_user)
    case_page = client.get(reverse("cases:detail", args=[general_case.pk])).content.decode()
    link = f"{ADD}?case={general_case.pk}"
    assert f'href="{link}"' in case_page
    page = client.get(link).content.decode()
    assert "附加到案件" in page
    assert general_case.case_id in page and general_case.party_name in page
    assert f'<input type="hidden" name="case" value="{general_case.pk}"' in page


def test_the_upload_says_so_and_lands_on_the_case(general_case: Case, people: Any) -> None:
    user = people.officer_user
    client = client_for(user)
    response = client.post(f"{ADD}?case={general_case.pk}", form_data(user, case=general_case.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[general_case.pk])
    evidence = Evidence.objects.get()
    assert (evidence.object_type, evidence.object_id) == ("cases.case", str(general_case.pk))
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert notices == [f"证据“现场照片”已附加到案件 {general_case}。"]
    page = client.get(response["Location"]).content.decode()
    assert f"证据“现场照片”已附加到案件 {general_case}。" in page


def test_the_evidence_list_names_the_case(general_case: Case, people: Any) -> None:
    user = people.officer_user
    client = client_for(user)
    client.post(ADD, form_data(user, case=general_case.pk))
    page = client.get(reverse("records:evidence_list")).content.decode()
    assert "<th>案件</th>" in page
    url = reverse("cases:detail", args=[general_case.pk])
    assert f'<a href="{url}">{general_case}</a>' in page


def test_another_organs_case_cannot_be_chosen(
    general_case: Case, other_case: Case, people: Any, settings: Any
) -> None:
    user = people.officer_user
    client = client_for(user)
    assert client.get(f"{ADD}?case={other_case.pk}").status_code == 404
    assert client.post(f"{ADD}?case={other_case.pk}", form_data(user)).status_code == 404
    response = client.post(ADD, form_data(user, case=other_case.pk))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["case"]
    assert nothing_written(settings)


@pytest.mark.parametrize("value", ["x", "0", "99999999999999999999"])
def test_a_malformed_case_in_the_address_is_not_found(
    general_case: Case, people: Any, value: str
) -> None:
    assert client_for(people.officer_user).get(f"{ADD}?case={value}").status_code == 404


def test_the_collectors_are_the_organ_s_officers_by_name_and_post(
    people: Any, general_case: Case, frozen_clock: Any
) -> None:
    """Issue #10: the upload form listed collectors by login name (刘洋（head）), offered
    the legal reviewer, preselected no one and left the collection time empty."""
    people.head.post = "副局长"
    people.head.save()
    html = client_for(people.officer_user).get(ADD).content.decode()
    select = html.split('name="collected_by"', 1)[1].split("</select>", 1)[0]
    options = {
        int(pk): (label, bool(selected))
        for pk, selected, label in re.findall(
            r'<option value="(\d+)"( selected)?>([^<]*)</option>', select
        )
    }
    assert options[people.officer_user.pk] == ("张伟（执法人员）", True)
    assert options[people.head_user.pk] == ("刘洋（副局长）", False)
    assert people.reviewer_user.pk not in options  # a legal reviewer collects no evidence
    assert all(
        "（" + u.username + "）" not in html for u in (people.head_user, people.officer_user)
    )
    assert 'name="collected_at" value="2026-11-24T10:00"' in html

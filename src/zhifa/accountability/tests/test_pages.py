"""The pages: the supervisor of the region opens, sees and concludes a matter; the head
of the organ concerned sees it without the complaint; everyone else gets nothing (403 or
404); the portal shows a matter only once concluded, with the officers' names masked and
no personal data of the party."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accountability import services
from zhifa.accountability.models import Matter, MatterStatus
from zhifa.accounts.models import Role
from zhifa.cases.models import Case
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry

from .conftest import counts, make_complaint

pytestmark = pytest.mark.django_db

CONCLUSION = {
    "substantiated": "yes",
    "stages": ["investigation", "decision"],
    "finding": "调查取证不充分，决定认定事实不清。",
    "measures": ["fault_accountability", "corrected"],
    "measure_note": "责令书面检查。",
    "public_summary": "调查取证不充分、认定事实不清，对承办人员进行过错追究。",
}


def _opened(case: Case, supervisor) -> Matter:
    complaint = make_complaint(case)
    matter, _ = services.open_matter(
        case, ground="complaint", actor=supervisor, complaint=complaint, reasons="投诉属实。"
    )
    return matter


def _post_conclusion(client, matter: Matter, **changes):
    data = {**CONCLUSION, **changes}
    return client.post(reverse("accountability:conclude", args=[matter.pk]), data)


def test_the_supervisor_opens_a_matter_by_hand(revoked_case: Case, supervisor_city) -> None:
    client = client_for(supervisor_city)
    url = reverse("accountability:open")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"case": revoked_case.number, "ground": "remedy", "reasons": "复议撤销。"},
    )
    matter = Matter.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{matter.pk}/")
    assert matter.opened_by == supervisor_city and matter.remedy_step is not None
    # Once per case and ground: the second time leads to the same matter.
    again = client.post(url, {"case": revoked_case.number, "ground": "remedy", "reasons": "x"})
    assert again.status_code == 302 and Matter.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"case": "NO-SUCH", "ground": "remedy", "reasons": "r"}, "case"),
        ({"ground": "complaint", "complaint": "NOPE", "reasons": "r"}, "complaint"),
        ({"ground": "evaluation", "reasons": "r"}, "evaluation_ref"),
        ({"ground": "remedy", "reasons": ""}, "reasons"),
        ({"ground": "bogus", "reasons": "r"}, "ground"),
    ],
)
def test_the_open_form_names_the_field(
    revoked_case: Case, supervisor_city, data: dict, field: str
) -> None:
    data.setdefault("case", revoked_case.number)
    before = counts()
    response = client_for(supervisor_city).post(reverse("accountability:open"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert counts() == before


def test_another_regions_supervisor_cannot_open_on_the_case(
    revoked_case: Case, supervisor_county_c
) -> None:
    response = client_for(supervisor_county_c).post(
        reverse("accountability:open"),
        {"case": revoked_case.number, "ground": "remedy", "reasons": "r"},
    )
    assert response.status_code == 400 and "case" in response.context["form"].errors
    assert not Matter.objects.exists()


def test_scope_of_the_pages(
    revoked_case: Case, supervisor_city, supervisor_county_c, head_a, reviewer_a, officer_b
) -> None:
    matter = _opened(revoked_case, supervisor_city)
    detail = reverse("accountability:detail", args=[matter.pk])
    listing = reverse("accountability:list")
    # The supervisor of the region sees it, the complaint's number too, and may conclude.
    page = client_for(supervisor_city).get(detail)
    assert page.status_code == 200
    assert matter.complaint.number in page.content.decode() and page.context["form"] is not None
    # The head of the organ concerned sees it (JL 七(二)), not the complaint, no form.
    page = client_for(head_a).get(detail)
    assert page.status_code == 200
    assert matter.complaint.number not in page.content.decode()
    assert "举报人甲" not in page.content.decode() and page.context["form"] is None
    assert matter in client_for(head_a).get(listing).context["matters"]
    # Another region's supervisor and another organ's head: nothing.
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=officer_b.organ, full_name="周强")
    for user in (supervisor_county_c, head_b):
        assert client_for(user).get(detail).status_code == 404
        assert list(client_for(user).get(listing).context["matters"]) == []
        assert _post_conclusion(client_for(user), matter).status_code == 404
    # The organ's other users: no list, no matter.
    for user in (reviewer_a, officer_b):
        assert client_for(user).get(listing).status_code == 403
        assert client_for(user).get(detail).status_code == 404
    # The head may not conclude.
    assert _post_conclusion(client_for(head_a), matter).status_code == 403
    # The public: nothing before conclusion.
    public = Client()
    assert public.get(reverse("accountability:public_detail", args=[matter.pk])).status_code == 404
    listing_text = public.get(reverse("accountability:public_list")).content.decode()
    assert revoked_case.number not in listing_text
    bad = reverse("accountability:detail", args=["x1"])
    assert client_for(supervisor_city).get(bad).status_code == 404


def test_conclusion_with_bad_input_names_the_field(revoked_case: Case, supervisor_city) -> None:
    matter = _opened(revoked_case, supervisor_city)
    client = client_for(supervisor_city)
    cases = [
        ({"substantiated": ""}, "substantiated"),
        ({"stages": []}, "stages"),
        ({"stages": ["nowhere"]}, "stages"),
        ({"measures": []}, "measures"),
        ({"measures": ["flogging"]}, "measures"),
        ({"persons": ["O999999"]}, "persons"),
        ({"finding": ""}, "finding"),
        ({"public_summary": "嘉兴某某食品有限公司调查不充分。"}, "public_summary"),
        ({"public_summary": "张伟调查不充分。"}, "public_summary"),
        ({"substantiated": "no", "measures": ["corrected"]}, "measures"),
    ]
    before = counts()
    for changes, field in cases:
        response = _post_conclusion(client, matter, **changes)
        assert response.status_code == 400, changes
        assert field in response.context["form"].errors, (changes, response.context["form"].errors)
    assert counts() == before
    assert Matter.objects.get().status == MatterStatus.OPEN


def test_concluded_and_published_with_names_masked(
    revoked_case: Case, supervisor_city, people
) -> None:
    matter = _opened(revoked_case, supervisor_city)
    client = client_for(supervisor_city)
    o1_ref = f"O{people.o1.pk}"
    response = _post_conclusion(client, matter, persons=[o1_ref])
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CONCLUDED and matter.substantiated is True
    assert matter.persons == [{"ref": o1_ref, "name": "张伟", "officer": people.o1.pk}]
    assert matter.stages == ["investigation", "decision"]
    entry = Entry.objects.filter(object_id=str(matter.pk), action=services.CONCLUDE_ACTION).get()
    assert entry.actor_id == supervisor_city.pk
    # Concluded once: a second conclusion is refused at ``status``.
    again = _post_conclusion(client, matter)
    assert again.status_code in (400, 403)
    public = Client()
    listing = public.get(reverse("accountability:public_list")).content.decode()
    assert revoked_case.number in listing
    page = public.get(reverse("accountability:public_detail", args=[matter.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张某" in text and "张伟" not in text
    for private in (revoked_case.party_name, revoked_case.party_uscc, "举报人甲", "责令书面检查"):
        assert private not in text
    assert "过错追究" in text and revoked_case.organ.name in text


def test_the_conclusion_and_its_entry_are_one_transaction(
    revoked_case: Case, supervisor_city
) -> None:
    from unittest import mock

    from django.core.exceptions import ValidationError

    matter = _opened(revoked_case, supervisor_city)
    with (
        mock.patch.object(services, "record_change", side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        services.conclude_matter(
            matter,
            actor=supervisor_city,
            substantiated=False,
            finding="经查不属实。",
            public_summary="经查不属实。",
        )
    assert Matter.objects.get().status == MatterStatus.OPEN
    with pytest.raises(ValidationError) as exc:
        services.conclude_matter(
            matter, actor=supervisor_city, substantiated="maybe", finding="f", public_summary="s"
        )
    assert "substantiated" in exc.value.message_dict


def test_the_case_page_links_the_matter_for_whom_may_see_it(
    revoked_case: Case, supervisor_city, head_a, reviewer_a
) -> None:
    services.open_from_remedies()
    matter = Matter.objects.get()
    url = reverse("accountability:detail", args=[matter.pk])
    case_page = reverse("cases:detail", args=[revoked_case.pk])
    assert url in client_for(supervisor_city).get(case_page).content.decode()
    assert url in client_for(head_a).get(case_page).content.decode()
    assert url not in client_for(reviewer_a).get(case_page).content.decode()


def test_the_matters_record_timeline(revoked_case: Case, supervisor_city, reviewer_a) -> None:
    matter = _opened(revoked_case, supervisor_city)
    url = reverse("records:timeline", args=["accountability.matter", matter.pk])
    page = client_for(supervisor_city).get(url)
    assert page.status_code == 200
    assert [r["entry"].action for r in page.context["rows"]] == [services.OPEN_ACTION]
    # The organ's other users read nothing of it.
    assert client_for(reviewer_a).get(url).status_code == 404

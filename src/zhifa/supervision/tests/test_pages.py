"""The interference pages: the link on the case page, the form (errors at their field),
the record with the rule and its citation, the acknowledgement, the home page's section."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.rules.engine.interference import INTERFERENCE
from zhifa.supervision.models import Acknowledgement, Interference

from .conftest import record_kwargs

pytestmark = pytest.mark.django_db


def form(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values = record_kwargs(frozen_clock, **kw)
    values["occurred_at"] = values["occurred_at"].strftime("%Y-%m-%dT%H:%M")
    return values


def test_the_case_page_links_the_form_for_the_organs_users(
    general_case: Any, officer_a: Any, supervisor_city: Any
) -> None:
    add = reverse("supervision:interference_add", kwargs={"case_pk": general_case.pk})
    case_page = reverse("cases:detail", kwargs={"pk": general_case.pk})
    assert add in client_for(officer_a).get(case_page).content.decode()
    assert add not in client_for(supervisor_city).get(case_page).content.decode()


def test_record_on_the_page(general_case: Any, officer_a: Any, frozen_clock: dt.datetime) -> None:
    client = client_for(officer_a)
    url = reverse("supervision:interference_add", kwargs={"case_pk": general_case.pk})
    page = client.get(url).content.decode()
    assert INTERFERENCE.id in page and INTERFERENCE.citation in page
    data = form(frozen_clock)
    data["file"] = SimpleUploadedFile("note.txt", "请关照。".encode(), "text/plain")
    response = client.post(url, data)
    record = Interference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "supervision:interference_detail", kwargs={"pk": record.pk}
    )
    detail = client.get(response["Location"]).content.decode()
    assert "钱某" in detail and INTERFERENCE.citation in detail
    download = client.get(reverse("supervision:interference_attachment", kwargs={"pk": record.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "请关照。".encode()


def test_the_form_shows_errors_at_their_field(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    url = reverse("supervision:interference_add", kwargs={"case_pk": general_case.pk})
    response = client_for(officer_a).post(url, form(frozen_clock, person_username="nobody"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"person_username"}
    future = (frozen_clock + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(officer_a).post(url, {**form(frozen_clock), "occurred_at": future})
    assert response.context["form"].errors.keys() == {"occurred_at"}
    assert not Interference.objects.exists()


def test_acknowledge_on_the_page(recorded: Interference, head_a: Any) -> None:
    client = client_for(head_a)
    detail = reverse("supervision:interference_detail", kwargs={"pk": recorded.pk})
    assert 'id="acknowledge"' in client.get(detail).content.decode()
    url = reverse("supervision:interference_acknowledge", kwargs={"pk": recorded.pk})
    assert client.post(url, {"note": " "}).status_code == 400
    assert client.post(url, {"note": "已阅，已谈话提醒。"}).status_code == 302
    assert Acknowledgement.objects.get().note == "已阅，已谈话提醒。"
    page = client.get(detail).content.decode()
    assert "已阅，已谈话提醒。" in page and 'id="acknowledge"' not in page


def test_the_list_and_the_home_section(recorded: Interference, supervisor_city: Any) -> None:
    client = client_for(supervisor_city)
    listing = client.get(reverse("supervision:interference_list"))
    assert listing.context["waiting"] == 1 and listing.context["internal"] == 1
    assert client.get(reverse("supervision:interference_list") + "?year=abc").context["year_error"]
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("supervision:interference_list") in home


def test_a_correction_on_the_page(
    recorded: Interference, officer_a: Any, frozen_clock: Any
) -> None:
    client = client_for(officer_a)
    url = reverse("supervision:interference_add", kwargs={"case_pk": recorded.case_id})
    page = client.get(url, {"corrects": recorded.pk})
    assert page.context["form"].initial["person_name"] == "钱某"
    response = client.post(
        url + f"?corrects={recorded.pk}", form(frozen_clock, person_position="分管副局长")
    )
    assert response.status_code == 302
    assert Interference.objects.get(corrects=recorded).person_position == "分管副局长"
    assert client.get(url, {"corrects": "abc"}).status_code == 404


def test_the_list_and_the_api_take_a_fixed_number_of_queries(
    recorded: Interference,
    general_case: Any,
    officer_a: Any,
    supervisor_city: Any,
    frozen_clock: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.supervision import services

    client = client_for(supervisor_city)
    urls = [reverse("supervision:interference_list"), "/api/v1/supervision/interference"]

    def measure() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = measure()
    for _ in range(3):
        services.record_interference(general_case, actor=officer_a, **record_kwargs(frozen_clock))
    assert measure() == before

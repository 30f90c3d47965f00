"""The findings of the walk of issue #16 on the interference pages: the form presets no
answer (who and how are picked by the officer), a record is named by its case and time
(never a bare ``#id``), the list says who acknowledged and who is pending, and the case
page tells those who may see them that records exist for the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.core.testing import client_for
from zhifa.supervision import services
from zhifa.supervision.models import Interference

from .conftest import record_kwargs

pytestmark = pytest.mark.django_db

LIST = "/supervision/interference/"


def _form(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values = record_kwargs(frozen_clock, **kw)
    values["occurred_at"] = values["occurred_at"].strftime("%Y-%m-%dT%H:%M")
    return values


def test_the_list_url() -> None:
    assert reverse("supervision:interference_list") == LIST


def test_the_form_presets_neither_who_nor_how(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    url = reverse("supervision:interference_add", kwargs={"case_pk": general_case.pk})
    client = client_for(officer_a)
    page = client.get(url)
    form = page.context["form"]
    for name in ("source", "method"):
        assert form.fields[name].required
        assert next(iter(form.fields[name].choices)) == ("", "—")
        html = str(form[name])
        # the empty choice is the one selected: nothing is preset
        assert '<option value="" selected>—</option>' in html, html[:300]
    data = _form(frozen_clock)
    del data["source"]
    data["method"] = ""
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"source", "method"}
    assert not Interference.objects.exists()
    assert client.post(url, _form(frozen_clock)).status_code == 302


def test_the_api_refuses_a_record_without_who_or_how(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    data = record_kwargs(frozen_clock)
    data["occurred_at"] = data["occurred_at"].isoformat()
    for field in ("source", "method"):
        response = client_for(officer_a).post(
            f"/api/v1/cases/{general_case.pk}/interference", {**data, field: ""}
        )
        assert response.status_code == 400, response.json()
        assert [e["path"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert not Interference.objects.exists()


def test_a_record_is_named_by_its_case_and_time(
    recorded: Interference, officer_a: Any, head_a: Any, frozen_clock: dt.datetime
) -> None:
    when = timezone.localtime(recorded.occurred_at).strftime("%Y-%m-%d %H:%M")
    assert recorded.label == f"{recorded.case.number} · {when}" == str(recorded)
    correction = services.record_interference(
        recorded.case,
        actor=officer_a,
        corrects=recorded,
        **record_kwargs(frozen_clock, person_username="deputy_a", person_position="局长"),
    )
    client = client_for(head_a)
    for record, other in ((recorded, correction), (correction, recorded)):
        page = client.get(reverse("supervision:interference_detail", args=[record.pk]))
        html = page.content.decode()
        assert f'<small id="record-label">{record.label}</small>' in html
        assert f"#{record.pk}<" not in html and f"#{other.pk}<" not in html
        assert other.label in html  # "corrected by" / "corrects", by their names
    form = client_for(officer_a).get(
        reverse("supervision:interference_add", args=[correction.case_id])
        + f"?corrects={correction.pk}"
    )
    assert correction.label in form.content.decode()


def _ack_cell(html: str) -> str:
    start = html.index('class="acks"')
    return html[start : html.index("</td>", start)]


def test_the_list_says_who_acknowledged_and_who_is_pending(
    recorded: Interference, head_a: Any, supervisor_city: Any, officer_a: Any
) -> None:
    head = client_for(head_a)
    cell = _ack_cell(head.get(LIST).content.decode())
    assert "机关负责人：" in cell and "执法监督人员：" in cell
    assert cell.count("待阅知") == 2 and "请您阅知" in cell
    services.acknowledge(recorded, actor=head_a, note="已阅，已谈话提醒。")
    cell = _ack_cell(head.get(LIST).content.decode())
    assert "机关负责人：<strong>已阅知</strong> (刘洋)" in cell
    assert cell.count("待阅知") == 1 and "请您阅知" not in cell
    supervisor_cell = _ack_cell(client_for(supervisor_city).get(LIST).content.decode())
    assert "请您阅知" in supervisor_cell and "已阅知" in supervisor_cell
    services.acknowledge(recorded, actor=supervisor_city, note="已阅。")
    cell = _ack_cell(client_for(officer_a).get(LIST).content.decode())
    assert "待阅知" not in cell and "(赵敏)" in cell and "(刘洋)" in cell


def test_the_case_page_shows_the_records_to_those_who_may_see_them(
    recorded: Interference,
    head_a: Any,
    supervisor_city: Any,
    supervisor_county_c: Any,
    deputy: Any,
    colleague: Any,
) -> None:
    case_page = reverse("cases:detail", args=[recorded.case_id])
    link = f"{LIST}?case={recorded.case_id}"
    for user in (head_a, supervisor_city):
        html = client_for(user).get(case_page).content.decode()
        assert 'id="case-interference-count"' in html and "本案有干预记录1条" in html, user
        assert link in html and "其中1条待您阅知" in html
        listed = client_for(user).get(link)
        assert listed.status_code == 200 and listed.context["case"] == recorded.case
        assert [r["record"] for r in listed.context["rows"]] == [recorded]
    # the named deputy head and a colleague not on the case see no block
    for user in (deputy, colleague):
        page = client_for(user).get(case_page)
        html = page.content.decode()
        assert page.status_code == 200, user
        assert 'id="case-interference-count"' not in html and link not in html
        assert client_for(user).get(link).context["rows"] == []
    # a case outside the user's scope, a malformed id: not found
    assert client_for(supervisor_county_c).get(link).status_code == 404
    assert client_for(head_a).get(f"{LIST}?case=x").status_code == 404


def test_a_case_without_records_shows_only_the_recording_link(
    general_case: Any, officer_a: Any, head_a: Any
) -> None:
    case_page = reverse("cases:detail", args=[general_case.pk])
    add = reverse("supervision:interference_add", args=[general_case.pk])
    officer = client_for(officer_a).get(case_page).content.decode()
    assert add in officer and 'id="case-interference-count"' not in officer
    head = client_for(head_a).get(case_page).content.decode()
    assert 'id="case-interference-count"' not in head

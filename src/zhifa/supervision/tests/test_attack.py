"""Adversarial checks of the interference records (issue #16 item 5, attack pass): a
correction naming a user must not leave the record it corrects visible to that user,
an acknowledgement changed in the database fails ``records verify``, bad uploads and odd
text are clear errors naming the field (never a 500)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.supervision import policy, services
from zhifa.supervision.models import Acknowledgement, Interference

from .conftest import record_kwargs, when

pytestmark = pytest.mark.django_db


def _api_form(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values = record_kwargs(frozen_clock, **kw)
    values["occurred_at"] = values["occurred_at"].isoformat()
    return values


def test_a_correction_naming_a_user_hides_the_corrected_record_from_them(
    general_case: Any, officer_a: Any, deputy: Any, frozen_clock: dt.datetime
) -> None:
    # The officer first names the deputy head only as text, then corrects the record to
    # name the deputy's platform account: the deputy must see neither.
    first = services.record_interference(
        general_case, actor=officer_a, **record_kwargs(frozen_clock)
    )
    services.record_interference(
        general_case,
        actor=officer_a,
        corrects=first,
        **record_kwargs(frozen_clock, person_username="deputy_a"),
    )
    assert not policy.may_see(deputy, first)
    client = client_for(deputy)
    detail = reverse("supervision:interference_detail", kwargs={"pk": first.pk})
    assert client.get(detail).status_code == 404
    listed = client.get("/api/v1/supervision/interference").json()
    assert [r["id"] for r in listed["items"]] == []
    assert "打电话要求" not in client.get(reverse("supervision:interference_list")).content.decode()


def test_a_changed_acknowledgement_fails_verification(recorded: Interference, head_a: Any) -> None:
    ack = services.acknowledge(recorded, actor=head_a, note="已阅，将约谈。")
    Acknowledgement.objects.filter(pk=ack.pk).update(note="已阅。")
    code, text = run_verify()
    assert code == 1 and f"(ID {ack.pk}): note_sm3 differs" in text, text


def test_a_deleted_acknowledgement_fails_verification(recorded: Interference, head_a: Any) -> None:
    ack = services.acknowledge(recorded, actor=head_a, note="已阅。")
    Acknowledgement.objects.filter(pk=ack.pk).delete()
    code, text = run_verify()
    assert code == 1 and f"ID {ack.pk} recorded at" in text and "was deleted" in text, text


def test_an_acknowledgement_verifies_until_changed_naming_it(
    recorded: Interference, head_a: Any, deputy: Any
) -> None:
    ack = services.acknowledge(recorded, actor=head_a, note="已阅。")
    assert run_verify()[0] == 0
    Acknowledgement.objects.filter(pk=ack.pk).update(role="supervisor")
    code, text = run_verify()
    who = f"acknowledgement of interference record {recorded.pk} (ID {ack.pk})"
    assert code == 1 and f"{who}: role differs" in text, text
    Acknowledgement.objects.filter(pk=ack.pk).update(role=ack.role, actor=deputy)
    code, text = run_verify()
    assert code == 1 and f"{who}: actor differs" in text, text


def test_an_acknowledgement_added_outside_the_record_fails_verification(
    recorded: Interference, deputy: Any, frozen_clock: dt.datetime
) -> None:
    Acknowledgement.objects.create(
        interference=recorded,
        actor=deputy,
        role="organ_head",
        note="已阅。",
        acknowledged_at=frozen_clock,
    )
    code, text = run_verify()
    assert code == 1 and "has no record entry" in text, text


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        ("empty.txt", b"", "text/plain"),
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20, "image/jpeg"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_file(
    general_case: Any,
    officer_a: Any,
    frozen_clock: dt.datetime,
    name: str,
    content: bytes,
    claimed: str,
) -> None:
    client = client_for(officer_a)
    data = _api_form(frozen_clock)
    data["file"] = SimpleUploadedFile(name, content, claimed)
    response = client.post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 400, response.content
    paths = [e["path"] for e in response.json()["errors"]]
    assert "body.file" in paths, response.json()
    assert not Interference.objects.exists()


def test_a_huge_upload_is_refused_naming_the_file(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime, settings: Any
) -> None:
    from zhifa.records import evidence_files

    limit = evidence_files.max_bytes("document")
    client = client_for(officer_a)
    data = _api_form(frozen_clock)
    data["file"] = SimpleUploadedFile("big.txt", b"a" * (limit + 1), "text/plain")
    response = client.post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 400, response.content[:300]
    assert "body.file" in [e["path"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("request", "a\x00b"),
        ("request", "x" * 5001),
        ("person_name", "张\x07三"),
        ("response", "   "),
        ("person_username", "nobody\x00"),
        ("occurred_at", "0001-01-01T00:00:00"),
        ("occurred_at", "not a time"),
        ("source", "<script>"),
    ],
)
def test_odd_text_is_refused_naming_the_field(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime, field: str, value: str
) -> None:
    client = client_for(officer_a)
    data = _api_form(frozen_clock)
    data[field] = value
    response = client.post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 400, response.content[:300]
    paths = [e["path"] for e in response.json()["errors"]]
    # The form layer names `form.<field>`, the service `body.<field>` (as records' API).
    assert {f"body.{field}", f"form.{field}"} & set(paths), response.json()


def test_emoji_is_kept_and_the_record_verifies(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    client = client_for(officer_a)
    data = _api_form(frozen_clock, request="请关照😀 مرحبا")
    response = client.post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code == 201, response.content[:300]
    code, text = run_verify()
    assert code == 0, text


def test_acknowledging_twice_on_the_page_is_a_clear_error(
    recorded: Interference, head_a: Any
) -> None:
    client = client_for(head_a)
    url = reverse("supervision:interference_acknowledge", kwargs={"pk": recorded.pk})
    assert client.post(url, {"note": "已阅。"}).status_code == 302
    again = client.post(url, {"note": "已阅。"})
    assert again.status_code == 400
    assert Acknowledgement.objects.count() == 1


def test_nobody_outside_sees_the_attachment(
    general_case: Any,
    officer_a: Any,
    deputy: Any,
    colleague: Any,
    supervisor_city: Any,
    frozen_clock: dt.datetime,
    people: Any,
) -> None:
    data = _api_form(frozen_clock, person_username="deputy_a")
    data["file"] = SimpleUploadedFile("note.txt", "请关照。".encode(), "text/plain")
    made = client_for(officer_a).post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    url = reverse("supervision:interference_attachment", kwargs={"pk": pk})
    assert client_for(officer_a).get(url).status_code == 200
    assert client_for(supervisor_city).get(url).status_code == 200
    for user in (deputy, colleague):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(f"/api/v1/supervision/interference/{pk}").status_code == 404
        ack = client_for(user).post(
            f"/api/v1/supervision/interference/{pk}/acknowledgements",
            {"note": "x"},
            content_type="application/json",
        )
        assert ack.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/interference/99999999999999999999/",
        "/supervision/interference/99999999999999999999/attachment/",
        "/supervision/cases/99999999999999999999/interference/new/",
        "/api/v1/supervision/interference/99999999999999999999",
    ],
)
def test_a_huge_id_is_404_or_400(officer_a: Any, url: str) -> None:
    assert client_for(officer_a).get(url).status_code in (400, 404)


def test_a_head_who_is_an_officer_of_the_case_cannot_correct_anothers_record(
    recorded: Interference, head_a: Any, general_case: Any, frozen_clock: dt.datetime
) -> None:
    client = client_for(head_a)
    data = _api_form(frozen_clock, corrects=recorded.pk, person_name="别人")
    response = client.post(f"/api/v1/cases/{general_case.pk}/interference", data)
    assert response.status_code in (400, 403, 404), response.content[:300]
    assert Interference.objects.count() == 1


def test_a_correction_of_a_record_naming_a_user_is_hidden_from_them_too(
    recorded: Interference, officer_a: Any, deputy: Any, general_case: Any, frozen_clock: Any
) -> None:
    # The first record named the deputy head; its correction (a changed time, the
    # username left out) tells the same attempt: the deputy sees neither.
    correction = services.record_interference(
        general_case,
        actor=officer_a,
        corrects=recorded,
        **record_kwargs(frozen_clock, occurred_at=when(frozen_clock, 4)),
    )
    assert not policy.may_see(deputy, recorded)
    assert not policy.may_see(deputy, correction)
    assert policy.visible(deputy).count() == 0

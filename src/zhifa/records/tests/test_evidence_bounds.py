"""Evidence input the attack of issue #10 (follow-up) found unchecked: a recording's
duration has an upper bound (24 hours) on the page, the API and the service, and the
upload page reached from a case attaches to that case whatever ``case`` is posted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import client_for
from zhifa.records.models import Entry, Evidence
from zhifa.records.services import add_evidence

from .files import MP3, evidence_kwargs, upload

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case

# The evidence is collected on 20 November 2026 (tests/files.py): no collection time may be
# later than now, so the clock is frozen after it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]
ADD = reverse("records:evidence_add")
MAX_DURATION_SECONDS = 24 * 60 * 60  # records.models.MAX_DURATION_SECONDS, documented
TOO_LONG = [str(MAX_DURATION_SECONDS + 1), "3000000000", "99999999999999999999"]


def recording(user: Any, **extra: Any) -> dict[str, Any]:
    return {
        "file": upload(MP3, "talk.mp3"),
        "kind": "audio",
        "title": "询问录音",
        "collected_by": [user.pk],
        "collected_at": "2026-11-20T09:30",
        "location": "嘉兴市南湖区",
        **extra,
    }


def nothing_stored() -> bool:
    return not Evidence.objects.exists() and not Entry.objects.filter(action="evidence.add")


@pytest.mark.parametrize("duration", TOO_LONG)
def test_the_page_refuses_a_duration_over_24_hours(
    general_case: Case, people: Any, duration: str
) -> None:
    user = people.officer_user
    response = client_for(user).post(
        ADD, recording(user, case=general_case.pk, duration_seconds=duration)
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["duration_seconds"]
    assert "24 小时" in response.content.decode()
    assert nothing_stored()


def test_the_page_takes_24_hours(general_case: Case, people: Any) -> None:
    user = people.officer_user
    data = recording(user, case=general_case.pk, duration_seconds=MAX_DURATION_SECONDS)
    assert client_for(user).post(ADD, data).status_code == 302
    assert Evidence.objects.get().duration_seconds == MAX_DURATION_SECONDS


@pytest.mark.parametrize("duration", TOO_LONG)
def test_the_api_refuses_a_duration_over_24_hours_naming_the_field(
    officer_a: Any, duration: str
) -> None:
    data = {
        "kind": "video",
        "title": "执法记录仪视频",
        "collected_by": [officer_a.username],
        "collected_at": "2026-11-20T09:30:00+08:00",
        "location": "嘉兴市南湖区",
        "file": upload(MP3, "talk.mp3"),
        "duration_seconds": duration,
    }
    response = client_for(officer_a).post("/api/v1/records/evidence", data)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == ["body.duration_seconds"]
    assert "24 小时" in errors[0]["message"]
    assert nothing_stored()


def test_the_service_refuses_a_duration_over_24_hours(officer_a: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        add_evidence(
            **evidence_kwargs(
                officer_a,
                upload=upload(MP3, "talk.mp3"),
                original_name="talk.mp3",
                kind="audio",
                duration_seconds=MAX_DURATION_SECONDS + 1,
            )
        )
    assert list(exc.value.message_dict) == ["duration_seconds"]
    assert nothing_stored()


def test_the_page_reached_from_a_case_attaches_to_that_case(
    general_case: Case, people: Any, power_item: Any
) -> None:
    user = people.officer_user
    second = cases_conftest.case_in(general_case.organ, user, power_item, party_name="嘉兴某某超市")
    response = client_for(user).post(
        f"{ADD}?case={general_case.pk}", recording(user, case=second.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[general_case.pk])
    evidence = Evidence.objects.get()
    assert (evidence.object_type, evidence.object_id) == ("cases.case", str(general_case.pk))
    entry = Entry.objects.get(action="evidence.add")
    assert entry.object_id == str(general_case.pk)


def test_the_documented_bound_is_the_models() -> None:
    from zhifa.records import models

    assert models.MAX_DURATION_SECONDS == MAX_DURATION_SECONDS

"""The services write the record and its entry in one transaction; bad input names the
field and writes nothing; a record is never changed (corrections, acknowledgements);
the evaluation counts."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.records.models import Entry
from zhifa.supervision import services
from zhifa.supervision.models import Acknowledgement, Interference

from .conftest import record_kwargs, when

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Interference.objects.count(), Acknowledgement.objects.count(), Entry.objects.count()


def test_the_record_and_its_entry(
    recorded: Interference, justice_city: Any, deputy: Any, frozen_clock: dt.datetime
) -> None:
    assert recorded.recorded_in == justice_city  # the bureau's chain, not the organ's
    assert recorded.person_user == deputy
    assert recorded.occurred_at == when(frozen_clock)
    assert abs(recorded.recorded_at - frozen_clock) < dt.timedelta(minutes=1)
    assert services.is_intact(recorded)
    entry = Entry.objects.get(object_type="supervision.interference", object_id=str(recorded.pk))
    assert entry.organ_id == justice_city.pk and entry.action == services.RECORD_ACTION
    payload = json.loads(entry.payload)
    assert payload == {
        "case": recorded.case_id,
        "organ": recorded.organ_id,
        "corrects": None,
        "digest": recorded.digest,
        "attachment_sm3": "",
    }
    # The names and the text are not in the chain: only their digest.
    assert "钱某" not in entry.payload and "从轻" not in entry.payload
    assert not Entry.objects.filter(organ=recorded.organ, object_type="supervision.interference")


def test_without_a_justice_bureau_the_organs_chain(
    general_case: Any, officer_a: Any, justice_city: Any, frozen_clock: dt.datetime
) -> None:
    justice_city.active = False
    justice_city.save()
    record = services.record_interference(
        general_case, actor=officer_a, **record_kwargs(frozen_clock)
    )
    assert record.recorded_in == general_case.organ
    assert Entry.objects.get(object_id=str(record.pk), object_type="supervision.interference")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "tomorrow"),
        ("occurred_at", dt.datetime(1900, 1, 1, tzinfo=dt.UTC)),
        ("occurred_at", "2026-11-24"),
        ("source", "neighbour"),
        ("method", "telepathy"),
        ("person_name", "   "),
        ("person_name", "钱" * 65),
        ("person_unit", "a\x00b"),
        ("request", ""),
        ("response", "\u200b"),
        ("person_username", "nobody"),
        ("person_username", "officer_a"),
        ("person_username", "a\x00b"),
        ("person_username", "u" * 151),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime, field: str, value: Any
) -> None:
    if value == "tomorrow":
        value = frozen_clock + dt.timedelta(hours=1)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.record_interference(
            general_case, actor=officer_a, **record_kwargs(frozen_clock, **{field: value})
        )
    assert list(caught.value.message_dict) == [field]
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.txt"),
        (b"MZ\x90\x00" + b"\x00" * 64, "a.pdf"),
        (b"text", "a/b.txt"),
        (b"text", "x" * 252 + ".txt"),
    ],
)
def test_a_bad_attachment_names_the_file(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime, content: bytes, name: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.record_interference(
            general_case,
            actor=officer_a,
            upload=io.BytesIO(content),
            original_name=name,
            **record_kwargs(frozen_clock),
        )
    assert list(caught.value.message_dict) == ["file"]
    assert counts() == before


def test_an_attachment_is_stored_with_its_digest(
    general_case: Any, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    text = "短信截图说明：请关照一下。".encode()
    record = services.record_interference(
        general_case,
        actor=officer_a,
        upload=io.BytesIO(text),
        original_name="短信.txt",
        **record_kwargs(frozen_clock, method="message"),
    )
    assert record.attachment_size == len(text) and len(record.attachment_sm3) == 64
    assert record.attachment_type == "text/plain"
    entry = Entry.objects.get(object_id=str(record.pk), object_type="supervision.interference")
    assert json.loads(entry.payload)["attachment_sm3"] == record.attachment_sm3


def test_an_officer_not_of_the_case_may_not_record(
    general_case: Any, colleague: Any, officer_b: Any, frozen_clock: dt.datetime
) -> None:
    before = counts()
    for user in (colleague, officer_b):
        with pytest.raises(PermissionDenied):
            services.record_interference(general_case, actor=user, **record_kwargs(frozen_clock))
    assert counts() == before


def test_a_correction_is_a_new_record(
    recorded: Interference, officer_a: Any, frozen_clock: dt.datetime
) -> None:
    digest = recorded.digest
    fixed = services.record_interference(
        recorded.case,
        actor=officer_a,
        corrects=recorded,
        **record_kwargs(frozen_clock, person_position="分管副局长"),
    )
    recorded.refresh_from_db()
    assert recorded.digest == digest and recorded.person_position == "副局长"
    assert fixed.corrects == recorded and services.is_intact(fixed)
    with pytest.raises(ValidationError) as caught:  # only the latest is corrected
        services.record_interference(
            recorded.case, actor=officer_a, corrects=recorded, **record_kwargs(frozen_clock)
        )
    assert list(caught.value.message_dict) == ["corrects"]
    figures = services.interference_counts(recorded.organ, 2026)
    assert figures["records"] == 1  # the correction replaces what it corrects


def test_acknowledgements(
    recorded: Interference, head_a: Any, supervisor_city: Any, officer_a: Any, deputy: Any
) -> None:
    before = Entry.objects.count()
    ack = services.acknowledge(recorded, actor=head_a, note="已阅，已对相关人员进行提醒谈话。")
    assert ack.role == "organ_head"
    entry = Entry.objects.latest("pk")
    assert entry.action == services.ACKNOWLEDGE_ACTION
    assert entry.organ_id == recorded.recorded_in_id and "提醒" not in entry.payload
    assert Entry.objects.count() == before + 1
    with pytest.raises(services.AlreadyAcknowledged):
        services.acknowledge(recorded, actor=head_a, note="再次确认。")
    for user in (officer_a, deputy):
        with pytest.raises(PermissionDenied):
            services.acknowledge(recorded, actor=user, note="……")
    with pytest.raises(ValidationError) as caught:
        services.acknowledge(recorded, actor=supervisor_city, note="  ")
    assert list(caught.value.message_dict) == ["note"]
    by_supervisor = services.acknowledge(recorded, actor=supervisor_city, note="已登记，纳入考核。")
    assert by_supervisor.role == "supervisor"
    assert Acknowledgement.objects.count() == 2


def test_interference_counts(
    recorded: Interference,
    general_case: Any,
    officer_a: Any,
    head_a: Any,
    supervisor_city: Any,
    frozen_clock: dt.datetime,
) -> None:
    services.record_interference(
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, source="outsider", method="in_person"),
    )
    services.record_interference(  # last year: not counted in 2026
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, occurred_at=dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC)),
    )
    services.acknowledge(recorded, actor=head_a, note="已阅。")
    figures = services.interference_counts(general_case.organ, 2026)
    assert figures == {
        "organ": general_case.organ_id,
        "year": 2026,
        "records": 2,
        "internal": 1,
        "cases": 1,
        "by_source": {"internal_leader": 1, "internal_staff": 0, "other_organ": 0, "outsider": 1},
        "by_method": {"in_person": 1, "phone": 1, "message": 0, "letter": 0, "other": 0},
        "acknowledged_by_head": 1,
        "acknowledged_by_supervisor": 0,
    }
    assert services.interference_counts(general_case.organ, 2025)["records"] == 1


def test_an_altered_record_no_longer_holds(recorded: Interference, head_a: Any) -> None:
    from django.urls import reverse

    from zhifa.core.testing import client_for

    Interference.objects.filter(pk=recorded.pk).update(person_name="别人")
    recorded.refresh_from_db()
    assert not services.is_intact(recorded)
    page = client_for(head_a).get(
        reverse("supervision:interference_detail", kwargs={"pk": recorded.pk})
    )
    assert 'id="not-intact"' in page.content.decode()

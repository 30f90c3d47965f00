"""append_entry(): one chain per organ, SM3 links, real actors, canonical payloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from zhifa.records.canonical import GENESIS_HASH, entry_content, format_time, link_hash, sm3_hex
from zhifa.records.models import Chain, Entry
from zhifa.records.services import ObjectRef, RecordError, append_entry

CASE = ObjectRef("cases.case", "7")


@pytest.mark.django_db
class TestAppend:
    def test_entries_form_one_chain_per_organ(self, officer_a, officer_b, organ_a, organ_b, record):
        a = record(officer_a, organ_a, 3)
        b = record(officer_b, organ_b, 2)
        assert [e.seq for e in a] == [1, 2, 3]
        assert [e.seq for e in b] == [1, 2]
        assert a[0].prev_hash == GENESIS_HASH and b[0].prev_hash == GENESIS_HASH
        assert a[1].prev_hash == a[0].entry_hash and a[2].prev_hash == a[1].entry_hash
        chain = Chain.objects.get(organ=organ_a)
        assert (chain.length, chain.head_hash) == (3, a[2].entry_hash)

    def test_hash_covers_content_and_previous_hash(self, officer_a, organ_a, record):
        first, second = record(officer_a, organ_a, 2)
        second.refresh_from_db()
        content = entry_content(
            organ=organ_a.pk,
            seq=2,
            recorded_at=format_time(second.recorded_at),
            actor=officer_a.pk,
            actor_label="officer_a",
            action="test.step",
            object_type="cases.case",
            object_id="1",
            payload='{"step":1}',
        )
        assert second.content_digest == sm3_hex(content)
        assert second.entry_hash == link_hash(first.entry_hash, sm3_hex(content))

    def test_payload_is_stored_as_canonical_json(self, officer_a, organ_a):
        with transaction.atomic():
            entry = append_entry(
                actor=officer_a,
                organ=organ_a,
                action="case.register",
                obj=CASE,
                payload={
                    "z": 1,
                    "amount": Decimal("2000.50"),
                    "when": dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC),
                    "on": dt.date(2026, 1, 2),
                    "party": "嘉兴某公司",
                },
            )
        assert entry.payload == (
            '{"amount":"2000.50","on":"2026-01-02","party":"嘉兴某公司",'
            '"when":"2026-01-02T10:00:00.000000Z","z":1}'
        )

    def test_records_the_object_by_model_label(self, officer_a, organ_a):
        with transaction.atomic():
            entry = append_entry(actor=officer_a, organ=organ_a, action="organ.view", obj=organ_a)
        assert (entry.object_type, entry.object_id) == (
            "registry.enforcementsubject",
            str(organ_a.pk),
        )

    def test_system_task_is_named(self, organ_a):
        with transaction.atomic():
            entry = append_entry(
                actor=None, organ=organ_a, action="deadline.warn", obj=CASE, system_task="deadlines"
            )
        assert entry.actor_id is None and entry.actor_label == "system:deadlines"

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"actor": None}, "real user"),
            ({"action": "Bad Action"}, "Invalid action"),
            ({"payload": {"x": float("nan")}}, "canonical"),
            ({"payload": {"x": object()}}, "canonical"),
            ({"payload": ["not", "a", "mapping"]}, "mapping"),
            ({"obj": ObjectRef("nodot", "1")}, "object reference"),
            ({"system_task": "deadlines"}, "not both"),
            ({"payload": {"text": "x" * 70_000}}, "larger than 65536 bytes"),
        ],
    )
    def test_refuses_bad_calls_and_writes_nothing(self, officer_a, organ_a, kwargs, message):
        call = {"actor": officer_a, "organ": organ_a, "action": "case.register", "obj": CASE}
        call.update(kwargs)
        with pytest.raises(RecordError, match=message), transaction.atomic():
            append_entry(**call)
        assert not Entry.objects.exists()

    def test_entry_rolls_back_with_the_change_it_records(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 1)
        with pytest.raises(RuntimeError), transaction.atomic():
            append_entry(actor=officer_a, organ=organ_a, action="case.register", obj=CASE)
            raise RuntimeError("the recorded change failed")
        assert Entry.objects.count() == 1
        assert Chain.objects.get(organ=organ_a).length == 1
        assert record(officer_a, organ_a, 1)[0].seq == 2


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction(officer_a, organ_a):
    with pytest.raises(TransactionManagementError, match="inside the transaction"):
        append_entry(actor=officer_a, organ=organ_a, action="case.register", obj=CASE)
    assert not Entry.objects.exists()


def test_entry_content_is_the_canonical_json_of_the_whole_document():
    from zhifa.records.canonical import canonical_json

    fields: dict[str, Any] = {
        "organ": 3,
        "seq": 12,
        "recorded_at": "2026-11-22T06:31:25.000123Z",
        "actor": None,
        "actor_label": "system:checkpoint",
        "action": "case.register",
        "object_type": "cases.case",
        "object_id": "案-1",
    }
    payload = {"b": [1, 2.5, "乙"], "a": {"z": None, "y": True}}
    spliced = entry_content(**fields, payload=canonical_json(payload))
    assert spliced == canonical_json({**fields, "payload": payload}).encode()

"""The trace-back (错案倒查, JL 七(一)) lists the stages and persons the case's steps and
record show, with their dates and record entries."""

from __future__ import annotations

import json

import pytest

from zhifa.accountability.trace import responsible_persons, trace_back
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import D
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db


def test_the_trace_back_names_who_registered_investigated_reviewed_and_decided(
    revoked_case: Case,
) -> None:
    rows = trace_back(revoked_case)
    got = [(r.stage, r.on, [p.name for p in r.persons], r.entered_by) for r in rows]
    assert got == [
        ("registration", D("2026-03-03"), ["张伟", "李娜"], "刘洋"),
        ("investigation", D("2026-03-04"), ["张伟", "李娜"], "张伟"),
        ("legal_review", D("2026-03-25"), ["陈静"], "陈静"),
        ("collective_discussion", D("2026-03-26"), [], "刘洋"),
        ("decision", D("2026-03-27"), ["刘洋"], "刘洋"),
    ]
    for row in rows:
        entry = Entry.objects.get(organ_id=row.entry_organ, seq=row.entry_seq)
        assert entry.action == f"case.{row.step}"
        assert json.loads(entry.payload)["index"] == row.index
    assert sorted(p.name for p in responsible_persons(rows).values()) == [
        "刘洋",
        "张伟",
        "李娜",
        "陈静",
    ]


def test_a_case_with_no_stage_yet_traces_to_nothing(general_case: Case) -> None:
    assert trace_back(general_case) == []

"""After the decision: a deferral moves the payment deadline, the demand is numbered;
preservation and its decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.cases import services

from .conftest import D, Walker


def test_deferral_and_demand(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    with pytest.raises(PermissionDenied):
        walk(services.approve_deferral, on=D("2026-04-02"), until=D("2026-06-30"))
    walk(
        services.approve_deferral,
        actor=walk.p.head_user,
        on=D("2026-04-02"),
        until=D("2026-06-30"),
    )
    due = {d.rule: d.due.due for d in services.deadlines(walk.case, D("2026-05-01"))}
    assert due["APL-67-payment"] == D("2026-06-30")
    demand = walk(services.serve_demand, on=D("2026-07-02"))
    assert demand.document_number == "嘉市监催〔2026〕1号"


def test_preservation_is_decided(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    # APL 56: 经行政机关负责人批准，可以先行登记保存 — the organ head's steps.
    with pytest.raises(PermissionDenied):
        walk(services.record_preservation, on=D("2026-03-04"), items=3)
    walk(services.record_preservation, actor=walk.p.head_user, on=D("2026-03-04"), items=3)
    walk(services.decide_preservation, actor=walk.p.head_user, on=D("2026-03-10"))
    assert [s.step for s in walk.case.steps.all()][-2:] == ["preservation", "preservation_decided"]

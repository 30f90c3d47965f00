"""Two users acting on the same case at once: exactly one succeeds, the other gets a
clear conflict error (the case row is locked and the expected step count checked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from zhifa.cases import services
from zhifa.cases.models import CaseStep

from .conftest import FINE, D, Walker, counts


def test_a_stale_step_count_is_a_conflict(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    before = counts()
    with pytest.raises(services.CaseConflict) as conflict:
        services.record_statement(
            walk.case, actor=walk.p.officer_user, on=D("2026-03-04"), expected_steps=0
        )
    assert conflict.value.code == "conflict"
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_two_users_at_once_exactly_one_succeeds(walk: Walker) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking between parallel users is tested on PostgreSQL (CI's second run)")
    walk.until_review()
    seen = walk.n
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def act(fn: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            fn()
            outcomes.append("ok")
        except services.CaseConflict:
            outcomes.append("conflict")
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    decide = lambda: services.issue_decision(  # noqa: E731
        walk.case,
        actor=walk.p.head_user,
        on=D("2026-03-27"),
        approved_by=walk.p.head,
        penalties=FINE,
        expected_steps=seen,
    )
    discuss = lambda: services.record_collective_discussion(  # noqa: E731
        walk.case, actor=walk.p.head_user, on=D("2026-03-27"), expected_steps=seen
    )
    threads = [threading.Thread(target=act, args=(f,)) for f in (decide, discuss)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["conflict", "ok"]
    assert CaseStep.objects.filter(case=walk.case).count() == seen + 1

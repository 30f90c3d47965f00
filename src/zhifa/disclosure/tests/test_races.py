"""Two workers at once on one publication (PostgreSQL: SELECT … FOR UPDATE on the
publication row): a withdrawal run twice, or a withdrawal beside a take-down after
credit repair, changes the publication once — one record entry, one log leaf, one case
step. Runs in the PostgreSQL pass (scripts/test-postgres.sh this file)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import D, Walker
from zhifa.disclosure import services
from zhifa.disclosure.models import EndKind, Publication, PublicationStatus
from zhifa.records.models import Entry
from zhifa.transparency.models import LogEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises every write transaction")


@pytest.fixture
def to_withdraw(walk: Walker) -> Publication:
    walk.until_review()
    walk.decide()
    published = services.publish(Publication.objects.get(case=walk.case), on=D("2026-03-30"))
    assert published.status == PublicationStatus.PUBLISHED
    walk(
        case_services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-03"),
        how="revoked",
        reason="复议机关撤销原处罚决定",
    )
    return Publication.objects.get(pk=published.pk)


def _together(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released at once; their results or exceptions."""
    start = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[i] = action()
        except BaseException as exc:  # the loser's refusal is a result here
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _ended(publication: Publication) -> tuple[int, int]:
    ends = Entry.objects.filter(
        action__in=[services.WITHDRAW, services.TAKE_DOWN], object_id=str(publication.pk)
    ).count()
    leaves = LogEntry.objects.filter(
        source=services.LOG_SOURCE, object_id=str(publication.pk)
    ).count()
    return ends, leaves


def test_two_workers_withdrawing_at_once_withdraw_once(to_withdraw: Publication) -> None:
    results = _together(
        lambda: services.withdraw(Publication(pk=to_withdraw.pk), on=D("2026-04-07")),
        lambda: services.withdraw(Publication(pk=to_withdraw.pk), on=D("2026-04-07")),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert _ended(to_withdraw) == (1, 2)  # one withdrawal; the published leaf and its end
    assert to_withdraw.case.steps.filter(step="disclosure_withdrawn").count() == 1


def test_a_withdrawal_beside_a_credit_repair_take_down_ends_it_once(
    to_withdraw: Publication, walk: Walker
) -> None:
    results = _together(
        lambda: services.withdraw(Publication(pk=to_withdraw.pk), on=D("2026-04-07")),
        lambda: services.take_down(
            Publication(pk=to_withdraw.pk),
            on=D("2026-04-07"),
            kind=EndKind.CREDIT_REPAIR,
            reason="信用修复申请已获批准",
            actor=walk.p.head_user,
        ),
    )
    assert _ended(to_withdraw) == (1, 2), results
    final = Publication.objects.get(pk=to_withdraw.pk)
    assert final.status in (PublicationStatus.WITHDRAWN, PublicationStatus.TAKEN_DOWN)

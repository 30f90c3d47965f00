"""A case file exported without a day speaks for today in the site's time zone
(Asia/Shanghai), like every other "today" of the platform — not the day of the
process's own time zone (Django sets that to the site's only where the OS lets it)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from time_machine import TimeMachineFixture

from zhifa.cases.casefile import case_file, export_document

from .conftest import D, Walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def process_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own time zone is UTC (as on a host where Django cannot set it)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_export_without_a_day_is_as_of_the_site_s_today(
    walk: Walker, time_machine: TimeMachineFixture, process_in_utc: None, capsys: Any
) -> None:
    walk.until_review()
    # 23:30 UTC on 31 December 2026 is already 1 January 2027 in Asia/Shanghai.
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False)
    assert dt.date.today() == D("2026-12-31") and timezone.localdate() == D("2027-01-01")
    assert export_document(walk.case)["as_of"] == "2027-01-01"
    assert case_file(walk.case).as_of == D("2027-01-01")
    call_command("cases", "export", walk.case.case_id)
    assert json.loads(capsys.readouterr().out)["as_of"] == "2027-01-01"


def test_the_export_takes_the_case_number_users_see(walk: Walker, capsys: Any, today: Any) -> None:
    """``zhifa cases export`` takes the source number or, once registered, the case
    number (立案号) that every page shows; an unknown one is named in the error."""
    from django.core.management import CommandError

    walk.until_review()
    walk.case.refresh_from_db()
    assert walk.case.registration_number
    call_command("cases", "export", walk.case.registration_number)
    assert json.loads(capsys.readouterr().out)["case_id"] == walk.case.case_id
    with pytest.raises(CommandError, match="source number or case number"):
        call_command("cases", "export", "嘉市监立〔1999〕9号")

"""``zhifa records verify`` holds the interference records to their entries: a record
made through the services passes; a field changed in the database (bypassing the
services), the stored digest, or a row without its entry fails, naming the record."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.supervision import services
from zhifa.supervision.models import Interference

pytestmark = pytest.mark.django_db


def test_records_made_by_the_services_pass(recorded: Interference, head_a: Any) -> None:
    services.acknowledge(recorded, actor=head_a, note="已阅。")
    code, text = run_verify()
    assert code == 0, text


@pytest.mark.parametrize(
    "change",
    [{"person_name": "别人"}, {"request": "无"}, {"digest": "0" * 64}, {"case_id": None}],
)
def test_a_change_outside_the_services_fails(
    recorded: Interference, change: dict[str, Any], general_case: Any, people: Any
) -> None:
    if "case_id" in change:
        from zhifa.cases.tests.conftest import open_general_case

        other = open_general_case(general_case.organ, general_case.power_item, people)
        change = {"case_id": other.pk}
    Interference.objects.filter(pk=recorded.pk).update(**change)
    code, text = run_verify()
    assert code == 1, text
    assert f"interference record {recorded.pk} (ID {recorded.pk})" in text, text


def test_a_row_without_its_entry_fails(recorded: Interference) -> None:
    forged = Interference.objects.get(pk=recorded.pk)
    forged.pk = None
    forged.save()
    code, text = run_verify()
    assert code == 1, text
    assert f"interference record {forged.pk}" in text, text

"""An independent review of ``records verify`` on officer flags (JL-evaluation): an
officer flagged in one organ and moved to another before or after the flag was carried
out raises no false alarm, and a flag changed in the database afterwards is found."""

from __future__ import annotations

import pytest

from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.registry import services as registry
from zhifa.registry.models import OfficerFlag, OfficerFlagMeasure

from .test_annual import flagged_officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("carried_out_before_the_move", [False, True])
def test_a_flag_of_an_officer_who_moved_is_still_held_to_its_entries(
    frozen_clock, supervisor_city, organ_c, organ_b, today, carried_out_before_the_move
):
    wang, flag = flagged_officer(organ_c, supervisor_city, today)
    carry = {
        "measure": OfficerFlagMeasure.REMOVED_FROM_POSTS,
        "effective_on": today,
        "note": "调离",
        "actor": supervisor_city,
    }
    if carried_out_before_the_move:
        registry.carry_out_flag(flag, **carry)
    registry.save_officer(wang, actor=supervisor_city, organ=organ_b)
    if not carried_out_before_the_move:
        registry.carry_out_flag(flag, **carry)
    code, text = run_verify()
    assert code == 0, text
    OfficerFlag.objects.filter(pk=flag.pk).update(note="未调离")
    code, text = run_verify()
    assert code == 1 and "officer flag" in text and "note" in text, text
    OfficerFlag.objects.filter(pk=flag.pk).update(note="调离", reason="伪造")
    code, text = run_verify()
    assert code == 1 and "officer flag" in text and "reason" in text, text

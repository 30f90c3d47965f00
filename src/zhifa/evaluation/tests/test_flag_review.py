"""An independent review of ``records verify`` on officer flags (JL-evaluation): an
officer flagged in one organ and moved to another before or after the flag was carried
out raises no false alarm, and a flag changed in the database afterwards is found."""

from __future__ import annotations

import pytest

from zhifa.accounts.models import Role
from zhifa.core.testing import make_user
from zhifa.evaluation import grading
from zhifa.evaluation.models import Grade
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.registry import services as registry
from zhifa.registry.models import OfficerFlag, OfficerFlagMeasure

from .test_annual import YEAR, _id_number

pytestmark = pytest.mark.django_db


def _flagged(organ, supervisor, today):
    head = make_user("head_flag_review", Role.ORGAN_HEAD, organ=organ)
    wang = registry.save_officer(
        actor=supervisor, organ=organ, name="王强", id_number=_id_number(78)
    )
    for y in (YEAR - 1, YEAR):
        grading.record_grade(
            head, year=y, officer=wang, grade=Grade.FAIL, assessment="差", today=today
        )
    return wang, OfficerFlag.objects.get(officer=wang)


@pytest.mark.parametrize("carried_out_before_the_move", [False, True])
def test_a_flag_of_an_officer_who_moved_is_still_held_to_its_entries(
    frozen_clock, supervisor_city, organ_c, organ_b, today, carried_out_before_the_move
):
    wang, flag = _flagged(organ_c, supervisor_city, today)
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

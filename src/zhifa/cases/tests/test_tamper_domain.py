"""The tamper suite (issue 13), domain rows: a case or a step edited directly in the
database no longer matches what its record entries say, and ``zhifa records verify``
fails naming the case and the step. (The record's own gaps are in
``records/tests/test_tamper_suite.py``.)"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep
from zhifa.records.tests.attacker import raw

from .conftest import D, Walker

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, out.getvalue()


def assert_tampered(fragment: str) -> str:
    code, text = verify()
    assert code == 1, text
    assert "TAMPERED" in text and fragment in text, text
    return text


def _decided(walk: Walker) -> CaseStep:
    walk.until_review()
    walk.decide()
    return walk.case.steps.get(step="decision")


def _archived(walk: Walker) -> Case:
    _decided(walk)
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.mark_disclosed, on=D("2026-04-01"))
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-04-10"), approved_by=walk.p.head)
    services.archive_case(walk.case, actor=walk.p.officer_user, on=D("2026-04-13"))
    walk.case.refresh_from_db()
    return walk.case


def test_an_untampered_case_passes(walk: Walker) -> None:
    _archived(walk)
    code, text = verify()
    assert code == 0, text
    steps = walk.case.steps.count()
    assert f"1 case(s) and {steps} step(s) as recorded" in text


def test_a_fine_changed_in_a_step(walk: Walker) -> None:
    step = _decided(walk)
    data = dict(step.data)
    assert data["penalties"] == [{"type": "fine", "amount": 150000}]
    data["penalties"] = [{"type": "fine", "amount": 1500}]
    raw("UPDATE cases_casestep SET data=%s WHERE id=%s", [json.dumps(data), step.pk])
    assert_tampered(
        f"case {walk.case.case_id} step {step.index} (decision) differs from its record entry"
    )


def test_a_step_date_changed(walk: Walker) -> None:
    step = _decided(walk)
    raw('UPDATE cases_casestep SET "on"=%s WHERE id=%s', ["2026-03-28", step.pk])
    assert_tampered(f"step {step.index} (decision) differs from its record entry")


def test_a_step_deleted(walk: Walker) -> None:
    _decided(walk)
    # (the decision's publication refers to the decision step: the discussion before it)
    step = walk.case.steps.get(step="collective_discussion")
    raw("DELETE FROM cases_casestep WHERE id=%s", [step.pk])
    assert_tampered(f"case ID {walk.case.pk} step {step.index} recorded at")


def test_the_party_of_an_archived_case_changed(walk: Walker) -> None:
    case = _archived(walk)
    raw("UPDATE cases_case SET party_name=%s WHERE id=%s", ["某某替身公司", case.pk])
    assert_tampered(f"case {case.case_id} (ID {case.pk}) differs from its case.open entry")


def test_the_case_number_of_an_archived_case_changed(walk: Walker) -> None:
    case = _archived(walk)
    raw(
        "UPDATE cases_case SET registration_number=%s WHERE id=%s",
        ["嘉市监立〔2026〕99号", case.pk],
    )
    assert_tampered(f"case {case.case_id}: what the case owns (its party")


def test_the_archive_digest_changed(walk: Walker) -> None:
    case = _archived(walk)
    raw("UPDATE cases_case SET archive_digest=%s WHERE id=%s", ["0" * 64, case.pk])
    assert_tampered(f"case {case.case_id}: archive_digest differs from the digest recorded")


def test_an_archived_case_unarchived(walk: Walker) -> None:
    case = _archived(walk)
    raw(
        "UPDATE cases_case SET archived_on=NULL, archived_by_id=NULL, archive_digest=''"
        " WHERE id=%s",
        [case.pk],
    )
    assert_tampered(f"case ID {case.pk} was archived at")


# --- lawful changes after archiving (#13 item 2, F1): not a false alarm ------------------


def test_an_organ_renamed_after_archiving_passes(walk: Walker) -> None:
    from zhifa.registry.services import amend_subject

    case = _archived(walk)
    amend_subject(case.organ, actor=walk.p.head_user, name="嘉兴市市场监督管理局（新）")
    code, text = verify()
    assert code == 0, text


def test_a_power_item_created_after_archiving_passes(walk: Walker, justice_city: Any) -> None:
    from zhifa.catalogue import services as catalogue

    case = _archived(walk)
    assert case.power_item is not None
    catalogue.save_power_item(
        subject=case.organ,
        basis=list(case.power_item.basis.all()),
        code="CF-999",
        name="另一项行政处罚",
        category="penalty",
        valid_from=D("2024-01-01"),
        actor=walk.p.reviewer_user,
    )
    code, text = verify()
    assert code == 0, text


def test_a_users_role_changed_after_archiving_passes(walk: Walker) -> None:
    from zhifa.accounts.models import Role
    from zhifa.accounts.services import save_user

    case = _archived(walk)
    user = walk.p.head_user
    user.role = Role.OFFICER
    save_user(user, actor=walk.p.head_user)
    code, text = verify()
    assert code == 0, text
    # The whole file as archived differs now (the head is no longer the organ head):
    # what the old comparison flagged.
    from zhifa.cases.apps import _archived_file_digest

    case.refresh_from_db()
    assert _archived_file_digest(case) != case.archive_digest


def test_an_officer_of_an_archived_case_changed(walk: Walker) -> None:
    case = _archived(walk)
    row = case.case_officers.filter(officer__isnull=False).order_by("pk").first()
    assert row is not None
    raw("UPDATE cases_caseofficer SET officer_id=%s WHERE id=%s", [walk.p.o3.pk, row.pk])
    assert_tampered(f"case {case.case_id} officer {row.ref} ({row.role}) is not one")


# --- an open case's own rows (#13 item 2, F4) -------------------------------------------


def test_the_party_of_an_open_case_changed(walk: Walker) -> None:
    _decided(walk)
    raw("UPDATE cases_case SET party_name=%s WHERE id=%s", ["某某替身公司", walk.case.pk])
    assert_tampered(f"case {walk.case.case_id} (ID {walk.case.pk}) differs from its case.open")


def test_the_power_item_of_an_open_case_changed(walk: Walker) -> None:
    _decided(walk)
    raw("UPDATE cases_case SET power=%s WHERE id=%s", ["CF-999", walk.case.pk])
    assert_tampered(f"case {walk.case.case_id} (ID {walk.case.pk}) differs from its case.open")


def test_the_status_of_an_open_case_changed(walk: Walker) -> None:
    _decided(walk)
    raw("UPDATE cases_case SET status=%s WHERE id=%s", ["closed", walk.case.pk])
    assert_tampered(f"case {walk.case.case_id} (ID {walk.case.pk}): status closed is not what")


def test_an_officer_of_an_open_case_changed(walk: Walker) -> None:
    _decided(walk)
    row = walk.case.case_officers.order_by("pk").first()
    assert row is not None
    raw("UPDATE cases_caseofficer SET officer_id=%s WHERE id=%s", [walk.p.o3.pk, row.pk])
    assert_tampered(f"case {walk.case.case_id} officer {row.ref} ({row.role}) is not one")


def test_an_officer_of_an_open_case_deleted(walk: Walker) -> None:
    _decided(walk)
    row = walk.case.case_officers.order_by("pk").last()
    assert row is not None
    raw("DELETE FROM cases_caseofficer WHERE id=%s", [row.pk])
    assert_tampered(f"officer {row.ref} ({row.role}) named by its steps was deleted")

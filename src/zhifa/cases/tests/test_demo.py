"""The demo cases: loaded by ``zhifa demo`` with the other apps' demos, through the
guarded service path, in every status, with overdue deadlines and warnings; the
record verifies and a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.models import Case, CaseStatus, CaseStep, Transfer
from zhifa.cases.services import deadlines
from zhifa.records.models import Entry
from zhifa.registry.demo import organs as demo_organs


@pytest.mark.django_db
def test_demo_cases_in_every_stage_with_overdue_deadlines_and_warnings():
    first = io.StringIO()
    call_command("demo", stdout=first)
    today = timezone.localdate()
    cases = list(Case.objects.select_related("organ"))
    assert f"cases: {len(cases)} demo cases ({len(cases)} created in this run)" in (
        first.getvalue()
    )

    # Every status, both procedures, both demo organs; one awaiting registration, one
    # suspended.
    assert {c.status for c in cases} == set(CaseStatus.values)
    assert {c.procedure for c in cases} == {"general", "summary"}
    organs = demo_organs()
    assert {c.organ_id for c in cases} == {organs["amr"].pk, organs["amr_a"].pk}
    assert any(c.procedure == "general" and not c.steps.exists() for c in cases)
    assert any(c.suspensions.filter(end__isnull=True).exists() for c in cases)
    assert Case.objects.filter(procedure="summary", status=CaseStatus.CLOSED).exists()

    statuses = {(d.rule, d.status(today)) for c in cases for d in deadlines(c, today)}
    assert ("APL-60-decision-deadline", "overdue") in statuses
    assert ("APL-67-payment", "overdue") in statuses
    assert ("APL-67-payment", "open") in statuses
    assert ("GB118-disclose-decision", "missed") in statuses
    warned = {w["rule"] for s in CaseStep.objects.all() for w in s.warnings}
    assert "APL-55-show-certificate" in warned
    # Decisions state the circumstance where a benchmark is published: the band is stored.
    assert Case.objects.filter(benchmark__circumstance="heavier").exists()

    # The right users acted: the head registers and decides, the reviewer reviews.
    for step, role in (
        ("registered", Role.ORGAN_HEAD),
        ("legal_review", Role.LEGAL_REVIEWER),
    ):
        assert {s.actor.role for s in CaseStep.objects.filter(step=step)} == {role}
    general_decisions = CaseStep.objects.filter(step="decision", case__procedure="general")
    assert {s.actor.role for s in general_decisions} == {Role.ORGAN_HEAD}
    assert all(s.document_number for s in CaseStep.objects.filter(step="decision"))

    # One case transferred to the judicial organs (reply pending), one to the county
    # organ, which accepted it.
    transfers = {(t.kind, t.result) for t in Transfer.objects.all()}
    assert transfers == {("judicial", "pending"), ("organ", "accepted")}

    # The closed general case is archived, with the digest of its file in the record.
    archived = Case.objects.exclude(archived_on=None).get()
    assert archived.status == CaseStatus.CLOSED and len(archived.archive_digest) == 64
    assert Entry.objects.filter(action="case.archive", object_id=str(archived.pk)).exists()

    # Each case step is in the record, and the record verifies.
    assert (
        Entry.objects.filter(action__startswith="case.")
        .exclude(
            action__in=[
                "case.open",
                "case.suspend",
                "case.transfer",
                "case.transfer_result",
                "case.archive",
            ]
        )
        .count()
        == CaseStep.objects.count()
    )
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    assert out.getvalue().startswith("records verify: OK")

    # Idempotent: a second run creates no case and records nothing.
    entries = Entry.objects.count()
    second = io.StringIO()
    call_command("demo", stdout=second)
    assert Case.objects.count() == len(cases) and Entry.objects.count() == entries
    assert "(0 created in this run)" in second.getvalue()

"""The demo cases: loaded by ``zhifa demo`` with the other apps' demos, through the
guarded service path, in every status, with overdue deadlines and warnings; the
record verifies and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import demo, demo_plan
from zhifa.cases.casefile import export_document, officer_ref
from zhifa.cases.models import Case, CaseStatus, CaseStep, Transfer
from zhifa.cases.services import deadlines
from zhifa.records.models import Entry
from zhifa.registry.demo import demo_actor
from zhifa.registry.demo import organs as demo_organs
from zhifa.rules.calendar_db import database_calendar


@pytest.mark.django_db
def test_demo_cases_in_every_stage_with_overdue_deadlines_and_warnings():
    first = io.StringIO()
    call_command("demo", stdout=first)
    today = timezone.localdate()
    cases = list(Case.objects.select_related("organ"))
    assert f"cases: {len(cases)} demo cases ({len(cases)} created in this run)" in (
        first.getvalue()
    )
    # The summary counts the organ's overdue deadlines (red on the work list), not the
    # party's lapsed hearing-request windows.
    red = sum(
        1
        for c in cases
        for d in deadlines(c, today)
        if d.status(today) == "overdue" and d.rule != "APL-64-hearing-request"
    )
    assert red >= 2 and f"; {red} overdue deadline(s)" in first.getvalue()

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


def _same_shape(document: dict, refs: dict[str, str]) -> dict:
    """A case-file document with its officers' ids replaced by the plan's (``refs``: the
    stored ``O<pk>`` → the plan's ``P-<key>``), its case id, the steps' document numbers
    and the fields the plan does not model dropped, for comparing the stored case with
    the plan's document."""

    def ref(value):
        if isinstance(value, list):
            return [ref(v) for v in value]
        return refs.get(value, value) if isinstance(value, str) else value

    steps = [{k: ref(v) for k, v in s.items() if k != "document_number"} for s in document["steps"]]
    officers = sorted(({**o, "id": ref(o["id"])} for o in document["officers"]), key=str)
    shape = {k: v for k, v in document.items() if k not in ("case_id", "officers", "steps")}
    return {**shape, "steps": steps, "officers": officers}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        dt.date(2025, 10, 9),  # the day after National Day 2025 (1–8 October)
        dt.date(2026, 2, 24),  # the first working day after the 2026 Spring Festival
        dt.date(2026, 12, 31),  # a year's last day
        dt.date(2027, 1, 4),  # the first working day of a year without a loaded schedule
    ],
)
def test_the_demo_builds_on_hard_days_exactly_as_planned(today):
    """Under a frozen clock on a hard day the demo builds through the guarded services,
    each stored case is the plan's document (the one the every-day test audits in
    memory), and the record verifies."""
    moment = dt.datetime.combine(today, dt.time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        call_command("demo", stdout=io.StringIO())
        assert timezone.localdate() == today
        plans = demo_plan.plan(today, database_calendar())
        cases = list(Case.objects.order_by("pk"))
        assert len(cases) == len(plans)
        officers = {
            officer_ref(o): demo_plan.PEOPLE[key].ref
            for key, o in demo._people(demo_actor(), today).items()
        }
        for case, plan in zip(cases, plans, strict=True):
            stored = _same_shape(export_document(case, today), officers)
            first_time = demo_plan.first_time_reviewers(plans, plan)
            planned = demo_plan.document(plan, today, first_time=first_time)
            assert stored == _same_shape(planned, {}), plan.key
            assert case.status == plan.expect.status, plan.key
        out = io.StringIO()
        call_command("records", "verify", stdout=out)
        assert out.getvalue().startswith("records verify: OK")


@pytest.mark.django_db
def test_the_county_organ_has_a_head_who_can_register_its_case(frozen_clock):
    """Issue #10: the demo had no head of 嘉善县市场监督管理局, so the county officer's
    case source could never be registered."""
    from django.test import Client

    from zhifa.accounts.demo import DEMO_PASSWORD
    from zhifa.accounts.models import User
    from zhifa.cases import policy
    from zhifa.registry.models import Officer

    out = io.StringIO()
    call_command("demo", stdout=out)
    county = demo_organs()["amr_a"]
    head = User.objects.get(username="head.county")
    assert head.role == Role.ORGAN_HEAD and head.organ_id == county.pk
    officer = Officer.objects.get(user=head)
    assert officer.organ_id == county.pk and officer.certificates.exists()
    assert "head.county" in out.getvalue().split("Demo logins", 1)[1]

    waiting = Case.objects.get(organ=county, steps__isnull=True)
    assert "registered" in policy.next_steps(waiting, head)
    client = Client()
    client.post("/accounts/login/", {"username": "head.county", "password": DEMO_PASSWORD})
    approvals = client.get("/cases/approvals/").content.decode()
    assert f"/cases/{waiting.pk}/steps/registered/" in approvals


@pytest.mark.django_db
def test_the_demo_cases_carry_real_evidence_files(frozen_clock):
    """Issue #13 (acceptance): photos, a scanned record and an audio clip on demo cases,
    uploaded through the records service: the files exist with the digests and types
    recorded, the case page lists them, ``records verify`` re-hashes them, and a second
    run adds none. The bytes are the same on every run."""
    from django.test import Client

    from zhifa.accounts.demo import DEMO_PASSWORD
    from zhifa.cases import demo_evidence
    from zhifa.records.evidence_files import digests_of_stored, evidence_storage
    from zhifa.records.models import Evidence

    call_command("demo", stdout=io.StringIO())
    evidence = list(Evidence.objects.order_by("pk"))
    planned = [f for files in demo_evidence.FILES.values() for f in files]
    assert len(evidence) == len(planned) >= 5
    assert {e.content_type for e in evidence} == {"image/png", "application/pdf", "audio/x-wav"}
    assert {e.kind for e in evidence} == {"photo", "document", "audio"}
    keys = {c.pk: plan_key for plan_key, c in _cases_by_key().items()}
    for item in evidence:
        assert item.object_type == "cases.case"
        assert evidence_storage().exists(item.storage_name)
        assert digests_of_stored(item.storage_name) == (item.size, item.sm3, item.sha256)
        assert Entry.objects.filter(action="evidence.add", object_id=item.object_id).exists()
        files = demo_evidence.FILES[keys[int(item.object_id)]]
        made = next(f for f in files if f.title == item.title)
        with evidence_storage().open(item.storage_name, "rb") as handle:
            assert handle.read() == made.make()  # deterministic bytes
    assert {e.duration_seconds for e in evidence if e.kind == "audio"} == {4, 5}

    # The case page shows them (the archived case, too).
    archived = Case.objects.exclude(archived_on=None).get()
    client = Client()
    client.post("/accounts/login/", {"username": "officer", "password": DEMO_PASSWORD})
    page = client.get(f"/cases/{archived.pk}/").content.decode()
    assert "现场检查笔录（扫描件）" in page and "询问录音" in page and "image/png" in page

    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    assert out.getvalue().startswith("records verify: OK")
    # (The files re-hashed also count the demo's supervision notice PDFs: rows here.)
    assert f"{len(evidence)} evidence row(s) as recorded" in out.getvalue()

    entries = Entry.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Evidence.objects.count() == len(evidence) and Entry.objects.count() == entries


def _cases_by_key() -> dict[str, Case]:
    """The demo cases by their plan's key (the plans and the cases are in the same order)."""
    plans = demo_plan.plan(timezone.localdate(), database_calendar())
    return {p.key: c for p, c in zip(plans, Case.objects.order_by("pk"), strict=True)}

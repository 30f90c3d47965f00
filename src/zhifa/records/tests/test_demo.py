"""The demo's record comes from the registry and catalogue demos: every entry is a
real change made by a real demo user (or the expiry task), about a real object. A
second run writes no entry, and the record verifies."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.cases import demo_evidence
from zhifa.records.models import Checkpoint, Entry, Evidence


@pytest.mark.django_db
def test_demo_record_is_idempotent_and_verifies(settings, tmp_path):
    first = io.StringIO()
    call_command("demo", stdout=first)
    entries = list(Entry.objects.order_by("organ_id", "seq").values_list("pk", flat=True))
    checkpoints = Checkpoint.objects.count()
    assert len(entries) > 50 and checkpoints >= 5

    second = io.StringIO()
    call_command("demo", stdout=second)
    assert list(Entry.objects.order_by("organ_id", "seq").values_list("pk", flat=True)) == (entries)
    assert Checkpoint.objects.count() == checkpoints
    # The same logins are printed on every run.
    for out in (first, second):
        assert "Demo logins" in out.getvalue() and "supervisor" in out.getvalue()

    # The demo cases carry real evidence files (cases.demo_evidence), uploaded once.
    evidence = Evidence.objects.count()
    assert evidence == sum(len(files) for files in demo_evidence.FILES.values())
    assert str(tmp_path) in str(settings.MEDIA_ROOT)
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    assert f"{len(entries)} entries, {checkpoints} checkpoint(s)" in out.getvalue()
    # Re-hashed with them: the stored PDFs of the demo's supervision notice (SUP-notice).
    files = evidence + Entry.objects.filter(action__in=["notice.issue", "notice.reply"]).count()
    assert f"{files} evidence file(s) intact" in out.getvalue()
    assert out.getvalue().startswith("records verify: OK")


@pytest.mark.django_db
def test_demo_entries_are_about_real_objects_and_real_users():
    call_command("demo", stdout=io.StringIO())
    supervisor = User.objects.get(username="supervisor")
    actions = set()
    for entry in Entry.objects.all():
        model = apps.get_model(entry.object_type)
        assert model.objects.filter(pk=entry.object_id).exists(), entry.object_type
        if entry.actor_id is None and entry.action == "complaint.file":
            # A filing from the public: no user acted (complaints' demo).
            assert entry.actor_label == "system:complaints.public-filing"
        elif entry.actor_id is None and entry.action == "accountability.open":
            # The demo's file scored 0 opens its matter in the scoring's transaction.
            assert entry.actor_label == "system:evaluation.file.score"
        elif entry.actor_id is None:
            assert entry.actor_label == "system:registry.expire"
            assert entry.action == "registry.expire"
        elif entry.action.startswith(
            ("case.", "review.", "evidence.", "disclosure.", "complaint.")
        ):
            # The cases and review demos act as the users of the case's organ (officer,
            # head, reviewer), as the case, review and evidence services require; the
            # complaints demo as the head or an officer of the receiving unit, or, for a
            # filing the justice bureau receives, as the supervisor (who assigns there).
            actor = User.objects.get(pk=entry.actor_id)
            assert actor.username == entry.actor_label
            assert actor.organ_id == entry.organ_id or (
                entry.action == "complaint.assign" and actor.pk == supervisor.pk
            )
        elif entry.action.startswith("interference."):
            # An officer of the case records it, in the chain of the region's justice
            # bureau (not the organ's own chain, which the organ's users read).
            actor = User.objects.get(pk=entry.actor_id)
            assert actor.role == "officer" and actor.username == entry.actor_label
            assert actor.organ_id != entry.organ_id
        elif entry.action in ("evaluation.annual.grade", "officer.flag") and (
            entry.actor_id != supervisor.pk
        ):
            # Each organ grades its own officers (JL 六(一)): the demo's head, in the
            # organ's chain, with the flag of two years 不合格 in the same transaction.
            actor = User.objects.get(pk=entry.actor_id)
            assert actor.role == "organ_head" and actor.username == entry.actor_label
            assert actor.organ_id == entry.organ_id
        elif entry.action.startswith("party."):
            # The party demo's published access codes, added as the case's officer.
            actor = User.objects.get(pk=entry.actor_id)
            assert actor.organ_id == entry.organ_id and actor.username == entry.actor_label
        else:
            assert entry.actor_id == supervisor.pk and entry.actor_label == "supervisor"
        actions.add(entry.action)
    assert {
        "subject.create",
        "subject.update",
        "officer.create",
        "officer.record_training",
        "officer.record_exam",
        "certificate.issue",
        "certificate.suspend",
        "certificate.revoke",
        "registry.expire",
        "entrustment.create",
        "entrustment.update",
        "law.create",
        "article.add",
        "power_item.create",
        "benchmark.create",
        "review_entry.create",
        "officer.update",
        "case.open",
        "case.registered",
        "case.decision",
        "case.suspend",
        "case.closed",
        "evidence.add",
    } <= actions

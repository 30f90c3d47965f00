"""Issue #15 item 8 on a real publication: each state a decision shows the public is
logged in the publication log (zhifa.transparency) in the same transaction as its record
entry; the decision page names the checkpoint that covers it; ``zhifa records
verify-publication`` accepts the true publication and rejects one altered in the
database; a withdrawn decision keeps its proof but not its content."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import D, Walker
from zhifa.disclosure import services, tasks
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.records.models import Entry
from zhifa.transparency.models import LogEntry

from .test_publication import at


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify-publication", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def published(walk: Walker, time_machine: Any) -> Publication:
    walk.until_review()
    walk.decide()  # Friday 2026-03-27
    at(time_machine, "2026-03-30")
    tasks.sweep_publications.call()
    publication = Publication.objects.get(case=walk.case)
    assert publication.status == PublicationStatus.PUBLISHED
    return publication


def test_a_publication_is_logged_checked_and_verified(published: Publication) -> None:
    entry = LogEntry.objects.get(source=services.LOG_SOURCE, object_id=str(published.pk))
    assert bytes(entry.leaf) == published.leaf_bytes()
    recorded = json.loads(Entry.objects.get(action=services.PUBLISH).payload)
    assert recorded["log_index"] == entry.index and recorded["leaf_hash"] == entry.leaf_hash
    call_command("records", "publication-checkpoint", stdout=io.StringIO())
    page = Client().get(reverse("disclosure:public_decision", args=[published.pk]))
    text = page.content.decode()
    assert reverse("transparency:entry", args=[entry.index]) in text
    bundle = Client().get(reverse("transparency:bundle", args=[entry.index])).json()
    assert base64.b64decode(bundle["leaf"]) == published.leaf_bytes()
    code, out, err = verify()
    assert code == 0, err
    assert "OK: 1 entr(y/ies) of 1 object(s)" in out


def test_verify_publication_rejects_a_publication_altered_in_the_database(
    published: Publication,
) -> None:
    call_command("records", "publication-checkpoint", stdout=io.StringIO())
    summary = dict(published.summary)
    summary["penalty"] = "警告"
    Publication.objects.filter(pk=published.pk).update(summary=summary)
    code, _, err = verify()
    assert code == 1
    assert f"{services.LOG_SOURCE} {published.pk}" in err
    assert "the database no longer holds what was logged" in err


def test_a_withdrawn_decision_is_logged_again_and_its_proof_hides_the_content(
    published: Publication, walk: Walker, time_machine: Any
) -> None:
    at(time_machine, "2026-04-03")
    walk(
        case_services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-03"),
        how="revoked",
        reason="复议机关撤销原处罚决定",
    )
    # Requested, not yet withdrawn: the logged leaf still matches the row.
    assert verify()[0] == 0
    at(time_machine, "2026-04-07")
    assert tasks.withdraw_publication.call(published.pk)["status"] == "withdrawn"
    entries = list(LogEntry.objects.filter(object_id=str(published.pk)).order_by("index"))
    assert len(entries) == 2
    assert b'"status":"withdrawn"' in bytes(entries[1].leaf)
    call_command("records", "publication-checkpoint", stdout=io.StringIO())
    assert verify()[0] == 0
    # While published, the bundle carries the leaf; once withdrawn, only its hash.
    bundle = Client().get(reverse("transparency:bundle", args=[entries[0].index]))
    assert bundle.status_code == 200
    assert "leaf" not in bundle.json() and bundle.json()["leaf_hash"]

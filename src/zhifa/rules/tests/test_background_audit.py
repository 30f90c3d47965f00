"""A large case file on the audit page is audited in the background (issue 13, item
1): stored, queued as a task, run by ``zhifa worker``; its page says it is waiting and
reloads itself until the findings appear; only the user who uploaded it sees it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from zhifa.core.testing import client_for
from zhifa.rules.engine.limits import MAX_STEPS
from zhifa.rules.models import AuditRequest
from zhifa.rules.views import BACKGROUND_STEPS

from .test_limits import repeated

URL = "/rules/audit/"


def _upload(steps: int, stem: str = "spring_festival_notice_breaks") -> SimpleUploadedFile:
    return SimpleUploadedFile("case.json", repeated(steps, stem), "application/json")


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_audited_by_the_worker(reviewer_a: Any, officer_a: Any) -> None:
    client = client_for(reviewer_a)
    response = client.post(URL, {"file": _upload(MAX_STEPS), "as_of": "2026-06-01"})
    assert response.status_code == 302
    queued = AuditRequest.objects.get()
    assert response["Location"] == f"/rules/audit/{queued.pk}/"
    assert (queued.user, queued.status, queued.result) == (reviewer_a, "queued", None)
    assert DBTaskResult.objects.filter(task_path="zhifa.rules.tasks.run_audit").count() == 1

    waiting = client.get(response["Location"])
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert 'id="audit-status"' in html and 'id="audit-summary"' not in html

    # another user, even of the same organ, does not see it
    assert client_for(officer_a).get(response["Location"]).status_code == 404

    call_command("worker", once=True, verbosity=0)
    queued.refresh_from_db()
    assert (queued.status, bytes(queued.content)) == ("done", b"")
    assert queued.result is not None and queued.result["as_of"] == "2026-06-01"

    done = client.get(response["Location"])
    html = done.content.decode()
    assert "http-equiv" not in html and 'id="audit-summary"' in html
    # the same findings as the synchronous audit of the same file
    expected = client_for(reviewer_a).post(
        "/api/v1/audit?as_of=2026-06-01",
        data=repeated(MAX_STEPS, "spring_festival_notice_breaks"),
        content_type="application/json",
    )
    assert queued.result == expected.json()
    assert len(queued.result["findings"]) > 100
    for finding in queued.result["findings"][:20]:
        assert finding["rule"] in html
    assert client_for(officer_a).get(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_a_small_upload_is_audited_at_once(reviewer_a: Any) -> None:
    response = client_for(reviewer_a).post(URL, {"file": _upload(BACKGROUND_STEPS)})
    assert response.status_code == 200
    assert 'id="audit-summary"' in response.content.decode()
    assert not AuditRequest.objects.exists()


@pytest.mark.django_db
def test_an_invalid_large_file_is_refused_at_once(reviewer_a: Any) -> None:
    document = json.loads(repeated(BACKGROUND_STEPS + 1))
    document["steps"][3]["on"] = "2026-02-30"
    response = client_for(reviewer_a).post(URL, {"text": json.dumps(document)})
    assert response.status_code == 400
    assert "$.steps[3].on" in response.content.decode()
    assert not AuditRequest.objects.exists()


@pytest.mark.django_db
def test_too_many_steps_is_a_form_error(reviewer_a: Any) -> None:
    response = client_for(reviewer_a).post(URL, {"file": _upload(MAX_STEPS + 1)})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{MAX_STEPS}" in html and "$.steps" in html
    assert 'class="field has-error"' in html
    assert not AuditRequest.objects.exists()


@pytest.mark.django_db
def test_an_unknown_result_is_404(reviewer_a: Any) -> None:
    url = "/rules/audit/00000000-0000-0000-0000-000000000000/"
    assert client_for(reviewer_a).get(url).status_code == 404


@pytest.mark.django_db
def test_pasted_text_over_the_request_limit_is_a_field_error(reviewer_a: Any, settings) -> None:
    """Text pasted over the request size limit gets the audit page again with the limit
    named on the text field, not the generic "bad request" page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    response = client_for(reviewer_a).post(URL, {"text": "{" + " " * 5_000 + "}"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="text"' in html and 'class="field has-error"' in html
    assert "5 MB" in html and f"{MAX_STEPS}" in html
    assert not AuditRequest.objects.exists()


@pytest.mark.django_db
def test_one_user_has_at_most_three_large_audits_waiting(reviewer_a: Any, officer_a: Any) -> None:
    """The queue is shared (the periodic jobs wait in it too): a fourth large upload
    while three wait is refused on the field, and nothing is queued for it."""
    from zhifa.rules.views import MAX_WAITING_PER_USER

    client = client_for(reviewer_a)
    for _ in range(MAX_WAITING_PER_USER):
        assert client.post(URL, {"file": _upload(BACKGROUND_STEPS + 1)}).status_code == 302
    refused = client.post(URL, {"file": _upload(BACKGROUND_STEPS + 1)})
    assert refused.status_code == 400
    assert 'class="field has-error"' in refused.content.decode()
    assert AuditRequest.objects.count() == MAX_WAITING_PER_USER
    assert DBTaskResult.objects.filter(task_path="zhifa.rules.tasks.run_audit").count() == 3
    # another user is not held up by them
    assert (
        client_for(officer_a).post(URL, {"file": _upload(BACKGROUND_STEPS + 1)}).status_code == 302
    )


@pytest.mark.django_db
def test_the_page_says_when_no_worker_seems_to_run(reviewer_a: Any, time_machine: Any) -> None:
    """Queued for minutes: the page says the worker may be down; "running" for longer
    than any audit takes (a worker killed mid-task): it says the audit stopped, and
    stops reloading."""
    from zhifa.core.testing import FROZEN_NOW

    time_machine.move_to(FROZEN_NOW, tick=False)
    client = client_for(reviewer_a)
    url = client.post(URL, {"file": _upload(BACKGROUND_STEPS + 1)})["Location"]
    queued = AuditRequest.objects.get()
    assert 'class="warning"' not in client.get(url).content.decode()
    time_machine.move_to(FROZEN_NOW + dt.timedelta(minutes=3), tick=False)
    html = client.get(url).content.decode()
    assert 'class="warning"' in html and "http-equiv" in html
    AuditRequest.objects.filter(pk=queued.pk).update(status=AuditRequest.Status.RUNNING)
    time_machine.move_to(FROZEN_NOW + dt.timedelta(minutes=11), tick=False)
    html = client.get(url).content.decode()
    assert "http-equiv" not in html and 'class="errors"' in html

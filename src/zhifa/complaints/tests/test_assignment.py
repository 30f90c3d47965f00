"""Assignment (承办人员): the receiving unit's head assigns the staff who handle a filing,
or changes them, in one recorded step; never the officer complained about, never
another organ's user, nothing half-written. The assigned staff handle it and see the
filer; the unit's other staff see the filing and its clocks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.complaints import policy, services
from zhifa.complaints.models import Complaint, ComplaintAssignment, ComplaintStatus
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.records.tests.test_tamper_suite import run_verify
from zhifa.registry.models import EnforcementSubject

from .conftest import FILER_NAME, assign, file_report, fresh

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def officer_a2(organ_a: EnforcementSubject) -> Any:
    return make_user("officer_a2", Role.OFFICER, organ=organ_a, full_name="孙涛")


def _entries(c: Complaint, action: str) -> list[dict[str, Any]]:
    found = Entry.objects.filter(
        object_type="complaints.complaint", object_id=str(c.pk), action=action
    ).order_by("seq")
    return [json.loads(e.payload) for e in found]


def test_the_head_assigns_and_changes_in_one_recorded_step(
    units: None, head_a: Any, officer_a: Any, officer_a2: Any, today: Any
) -> None:
    c = file_report().complaint
    assert policy.can_see(officer_a, c) and not policy.can_see_filer(officer_a, c)
    assert not policy.can_see_filer(head_a, c)  # the head too, unless assigned
    services.assign(c, actor=head_a, assignees=[officer_a], note="请核查。")
    c = fresh(c)
    assert policy.can_see_filer(officer_a, c) and not policy.can_see_filer(officer_a2, c)
    services.assign(c, actor=head_a, assignees=[officer_a2.pk])
    c = fresh(c)
    assert [a.user_id for a in c.assignments.all()] == [officer_a2.pk]
    assert not policy.can_see_filer(officer_a, c) and policy.can_see_filer(officer_a2, c)
    first, second = _entries(c, services.ASSIGN)
    assert first["assignees"] == [officer_a.pk] and first["note"] == "请核查。"
    assert (second["added"], second["removed"]) == ([officer_a2.pk], [officer_a.pk])
    with pytest.raises(ValidationError) as exc:
        services.assign(c, actor=head_a, assignees=[officer_a2])
    assert "assignees" in exc.value.message_dict  # no empty change is recorded
    assert len(_entries(c, services.ASSIGN)) == 2
    code, text = run_verify()
    assert code == 0, text


def test_only_the_head_assigns(
    units: None, head_a: Any, officer_a: Any, officer_a2: Any, reviewer_a: Any, today: Any
) -> None:
    c = file_report().complaint
    assign(c, officer_a, by=head_a)
    for user in (officer_a, officer_a2, reviewer_a):
        with pytest.raises(PermissionDenied):
            services.assign(fresh(c), actor=user, assignees=[officer_a2])
    api = _post(
        client_for(officer_a),
        f"/api/v1/complaints/{c.pk}/assign",
        {"assignee_ids": [officer_a2.pk]},
    )
    assert api.status_code == 403
    page = client_for(officer_a).post(
        reverse("complaints:assign", args=[c.pk]), {"assignees": [officer_a2.pk]}
    )
    assert page.status_code == 403
    assert [a.user_id for a in fresh(c).assignments.all()] == [officer_a.pk]


def test_another_organs_officer_is_refused_naming_the_field_and_nothing_is_written(
    units: None, head_a: Any, officer_a: Any, officer_b: Any, today: Any
) -> None:
    c = file_report().complaint
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assign(c, actor=head_a, assignees=[officer_a, officer_b])
    message = " ".join(exc.value.message_dict["assignees"])
    assert officer_b.get_full_name() in message and officer_a.get_full_name() not in message
    assert not ComplaintAssignment.objects.exists() and Entry.objects.count() == before
    with pytest.raises(ValidationError) as exc:
        services.assign(c, actor=head_a, assignees=[])
    assert "assignees" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assign(c, actor=head_a, assignees=[10**9])
    assert "assignees" in exc.value.message_dict
    client = client_for(head_a)
    url = f"/api/v1/complaints/{c.pk}/assign"
    refused = _post(client, url, {"assignee_ids": [officer_a.pk, officer_b.pk]})
    assert refused.status_code == 400
    assert {e["path"] for e in refused.json()["errors"]} == {"body.assignee_ids"}
    assert _post(client, url, {"assignee_ids": []}).status_code == 400
    assert _post(client, url, {"assignee_ids": ["x"]}).status_code == 400
    page = client.post(reverse("complaints:assign", args=[c.pk]), {"assignees": [officer_b.pk]})
    assert page.status_code == 400 and 'id="assign-form"' in page.content.decode()
    assert not ComplaintAssignment.objects.exists() and Entry.objects.count() == before
    ok = _post(client, url, {"assignee_ids": [officer_a.pk]})
    assert ok.status_code == 200
    assert [a["id"] for a in ok.json()["assignees"]] == [officer_a.pk]
    assert ok.json()["filer_withheld"] is True  # the head assigned, is not assigned


def test_the_officer_complained_about_is_never_assigned(
    about_the_bureau: Any, supervisor_city: Any
) -> None:
    complaint, officer_user, _head = about_the_bureau
    assert officer_user not in policy.assignable(complaint)
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assign(complaint, actor=supervisor_city, assignees=[officer_user])
    (message,) = exc.value.message_dict["assignees"]
    assert "李四" in message and "被投诉的执法人员" in message
    refused = _post(
        client_for(supervisor_city),
        f"/api/v1/complaints/{complaint.pk}/assign",
        {"assignee_ids": [officer_user.pk]},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["path"] == "body.assignee_ids"
    assert not ComplaintAssignment.objects.exists() and Entry.objects.count() == before
    # The supervisor of the region assigns there (here: himself).
    services.assign(complaint, actor=supervisor_city, assignees=[supervisor_city])
    assert policy.is_assigned(supervisor_city, fresh(complaint))


def test_the_assigned_staff_handle_the_others_see(
    units: None, head_a: Any, officer_a: Any, officer_a2: Any, today: Any
) -> None:
    c = file_report().complaint
    with pytest.raises(PermissionDenied):
        services.accept(c, actor=officer_a2)
    services.accept(c, actor=head_a)  # the head answers for the clock
    assign(c, officer_a, by=head_a)
    services.add_progress(fresh(c), actor=officer_a, text="已核查。")
    for action in (
        lambda: services.add_progress(fresh(c), actor=officer_a2, text="x"),
        lambda: services.close(fresh(c), actor=officer_a2, result="x"),
    ):
        with pytest.raises(PermissionDenied):
            action()
    # The unassigned officer still sees it, its clock and who handles it.
    page = client_for(officer_a2).get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'id="assignees"' in page and officer_a.get_full_name() in page
    assert 'id="progress-form"' not in page and FILER_NAME not in page
    page = client_for(officer_a).get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'id="progress-form"' in page and FILER_NAME in page


def test_the_work_list_and_the_desk_show_the_assignment(
    units: None, head_a: Any, officer_a: Any, officer_a2: Any, today: Any
) -> None:
    mine = file_report().complaint
    other = file_report(description="另一家饭店出售过期食品。").complaint
    assign(mine, officer_a, by=head_a)
    services.accept(fresh(mine), actor=officer_a)
    work = client_for(officer_a).get(reverse("cases:list")).content.decode()
    assigned = work.split('id="complaints-mine"')[1].split("</table>")[0]
    assert mine.number in assigned and other.number not in assigned
    # The unit's clock of the unassigned one shows it is not yet assigned.
    assert other.number in work and "尚未分派" in work
    other_work = client_for(officer_a2).get(reverse("cases:list")).content.decode()
    assert 'id="complaints-mine"' not in other_work and other.number in other_work
    desk = client_for(officer_a).get(reverse("complaints:desk"), {"mine": "1"}).content.decode()
    assert mine.number in desk and other.number not in desk
    api = client_for(officer_a).get("/api/v1/complaints", {"assigned_to_me": "true"}).json()
    assert [i["number"] for i in api["items"]] == [mine.number]
    assert api["items"][0]["filer_name"] == FILER_NAME


def test_reassigning_to_another_unit_ends_the_assignment(
    units: None,
    head_a: Any,
    officer_a: Any,
    officer_b: Any,
    organ_b: Any,
    supervisor_city: Any,
    today: Any,
) -> None:
    c = file_report().complaint
    assign(c, officer_a, by=head_a)
    services.reassign(fresh(c), actor=supervisor_city, organ=organ_b, reason="属地管辖。")
    c = fresh(c)
    assert not c.assignments.exists() and not policy.can_see(officer_a, c)
    (out,) = _entries(c, services.REASSIGN_OUT)
    assert out["unassigned"] == [officer_a.pk]
    (arrived,) = _entries(c, services.REASSIGN_IN)
    assert arrived["assignees"] == []
    assign(c, officer_b)
    code, text = run_verify()
    assert code == 0, text


def test_an_assignment_written_outside_the_services_fails_the_verification(
    units: None, head_a: Any, officer_a: Any, officer_a2: Any, today: Any
) -> None:
    """An assignment is a way to read the filer: one made in the database is found."""
    c = file_report().complaint
    assign(c, officer_a, by=head_a)
    ComplaintAssignment.objects.create(
        complaint=c, user=officer_a2, assigned_by=head_a, assigned_at=c.received_at
    )
    code, text = run_verify()
    assert code == 1 and "assignees" in text and c.number in text, text


def test_an_ended_filing_is_not_assigned(
    units: None, head_a: Any, officer_a: Any, today: Any
) -> None:
    c = file_report().complaint
    services.reject(c, actor=head_a, reasons="不属于本机关职责。")
    assert fresh(c).status == ComplaintStatus.REJECTED
    with pytest.raises(ValidationError) as exc:
        services.assign(fresh(c), actor=head_a, assignees=[officer_a])
    assert exc.value.code == "ended"

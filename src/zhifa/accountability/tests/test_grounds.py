"""A case found wrong opens its accountability matter exactly once per ground; bad input
is refused naming the field, nothing written; the entry is written in the transaction
of the change (NA-interference; NA 33, JL 七)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accountability import services
from zhifa.accountability.models import Ground, Matter, MatterStatus
from zhifa.accountability.tasks import open_matters
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import Walker
from zhifa.complaints.models import ComplaintStatus
from zhifa.records.models import Entry

from .conftest import counts, decided_and_served, make_complaint, remedy

pytestmark = pytest.mark.django_db


def test_a_revoked_decision_opens_one_matter_and_a_second_run_none(
    revoked_case: Case, justice_city
) -> None:
    assert services.open_from_remedies() != []
    matter = Matter.objects.get()
    assert (matter.case, matter.ground, matter.status) == (
        revoked_case,
        Ground.REMEDY,
        MatterStatus.OPEN,
    )
    assert matter.remedy_step is not None and matter.remedy_step.data["result"] == "revoked"
    assert matter.opened_by is None and matter.recorded_in == justice_city
    entry = Entry.objects.get(object_type="accountability.matter", object_id=str(matter.pk))
    assert entry.action == services.OPEN_ACTION
    assert entry.actor_label == f"system:{services.TASK_NAME}"
    assert entry.organ_id == justice_city.pk
    before = counts()
    assert services.open_from_remedies() == []
    assert open_matters.call() == {"opened": 0, "matters": []}
    assert counts() == before


def test_the_periodic_task_opens_it(revoked_case: Case) -> None:
    assert open_matters.call()["opened"] == 1
    assert Matter.objects.filter(case=revoked_case, ground=Ground.REMEDY).count() == 1


def test_confirmed_unlawful_opens_one_upheld_does_not(walk: Walker) -> None:
    decided_and_served(walk)
    remedy(walk, "upheld", on="2026-04-20")
    assert services.open_from_remedies() == []
    remedy(walk, "confirmed_unlawful", on="2026-05-06")
    assert len(services.open_from_remedies()) == 1
    assert Matter.objects.get().remedy_step.data["result"] == "confirmed_unlawful"


def test_the_job_is_registered() -> None:
    from zhifa.core.schedule import jobs

    assert "zhifa.accountability.tasks.open_matters" in {j.task for j in jobs()}


def test_the_evaluation_entry_point_is_idempotent(revoked_case: Case) -> None:
    """The evaluation app will call ``open_matter(case, ground="evaluation", ...)``."""
    first, created = services.open_matter(
        revoked_case, ground="evaluation", system_task="evaluation.score", evaluation_ref="P-2026-1"
    )
    assert created and first.evaluation_ref == "P-2026-1"
    before = counts()
    again, created = services.open_matter(
        revoked_case, ground="evaluation", system_task="evaluation.score", evaluation_ref="P-2026-1"
    )
    assert (again, created) == (first, False)
    assert counts() == before


def test_the_supervisor_opens_one_on_an_upheld_complaint(
    revoked_case: Case, supervisor_city
) -> None:
    complaint = make_complaint(revoked_case)
    matter, created = services.open_matter(
        revoked_case,
        ground="complaint",
        actor=supervisor_city,
        complaint=complaint,
        reasons="投诉经查属实。",
    )
    assert created and matter.complaint == complaint and matter.opened_by == supervisor_city
    entry = Entry.objects.get(object_type="accountability.matter", object_id=str(matter.pk))
    assert entry.actor_id == supervisor_city.pk


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ground": "rumour"}, "ground"),
        ({"ground": "remedy"}, "remedy_step"),
        ({"ground": "complaint"}, "complaint"),
        ({"ground": "evaluation"}, "evaluation_ref"),
        ({"ground": "evaluation", "evaluation_ref": "x" * 65}, "evaluation_ref"),
        ({"ground": "evaluation", "evaluation_ref": "P-1", "reasons": "  "}, "reasons"),
        ({"ground": "evaluation", "evaluation_ref": "P-1", "reasons": "a\x00"}, "reasons"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    walk: Walker, supervisor_city, kwargs: dict, field: str
) -> None:
    decided_and_served(walk)
    remedy(walk, "upheld")  # not a wrong decision
    kwargs.setdefault("reasons", "理由。")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.open_matter(walk.case, actor=supervisor_city, **kwargs)
    assert field in exc.value.message_dict
    assert counts() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"status": ComplaintStatus.ACCEPTED},  # not closed with its result
        {"kind": "report"},  # a report of a violation, not a complaint about the organ
        {"subject_organ": None},
    ],
)
def test_a_complaint_not_upheld_about_the_organ_is_refused(
    revoked_case: Case, supervisor_city, extra: dict
) -> None:
    complaint = make_complaint(revoked_case, **extra)
    with pytest.raises(ValidationError) as exc:
        services.open_matter(
            revoked_case,
            ground="complaint",
            actor=supervisor_city,
            complaint=complaint,
            reasons="r",
        )
    assert "complaint" in exc.value.message_dict
    assert not Matter.objects.exists()


def test_only_a_supervisor_of_the_region_opens_one(
    revoked_case: Case, supervisor_county_c, head_a
) -> None:
    for user in (supervisor_county_c, head_a):
        with pytest.raises(PermissionDenied):
            services.open_matter(
                revoked_case, ground="evaluation", actor=user, evaluation_ref="P-1", reasons="r"
            )
    assert not Matter.objects.exists()


def test_the_matter_and_its_entry_are_one_transaction(revoked_case: Case) -> None:
    with (
        mock.patch.object(services, "record_change", side_effect=RuntimeError("record down")),
        pytest.raises(RuntimeError),
    ):
        services.open_from_remedies()
    assert counts()[0] == 0
    assert not Entry.objects.filter(object_type="accountability.matter").exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_job(revoked_case: Case) -> None:
    """Enqueued as the schedule does, run by ``zhifa worker``: the matter is opened."""
    from django.core.management import call_command
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    open_matters.enqueue()
    call_command("worker", once=True, verbosity=0)
    result = DBTaskResult.objects.get(task_path=open_matters.module_path)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.traceback
    assert result.return_value["opened"] == 1
    assert Matter.objects.filter(case=revoked_case, ground=Ground.REMEDY).count() == 1

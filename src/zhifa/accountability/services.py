"""The state changes of accountability matters (NA-interference; NA 33, JL 七, CQ 六(三)),
each in one transaction with its entry in the whole-process record.

A matter opens on a ground that finds the case wrong:

- ``remedy``: a reconsideration or litigation (step ``remedy_filed``) revoked the
  decision or confirmed it unlawful — found by the periodic task (``open_from_remedies``,
  ``tasks.open_matters``), so the cases app never calls this one;
- ``complaint``: a complaint about the case upheld — the complaints app holds no
  structured "upheld" outcome nor the case complained about, so the supervisor opens it
  by hand, naming the complaint, with reasons;
- ``evaluation``: the case file scored 0 in a case-file evaluation (评查) — the
  evaluation app calls :func:`open_matter` with ``ground="evaluation"`` and its
  reference (``system_task`` or the evaluating supervisor as ``actor``).

Opening is idempotent: one matter per case and ground (a unique constraint; a second
call returns the first). The entry goes into the chain of the justice bureau of the
organ's region (as interference records do), not the organ's: the organ's users browse
their organ's chain, and the matter names its officers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.complaints.models import Complaint, ComplaintKind, ComplaintStatus
from zhifa.core.organisation import justice_bureau_for
from zhifa.core.validation import name_problem, text_problem
from zhifa.records.services import record_change
from zhifa.rules.engine.accountability import MEASURE_CODES, MEASURES, WRONG_REMEDY_RESULTS

from . import policy
from .models import Ground, Matter, MatterStatus
from .trace import STAGE_CODES, responsible_persons, trace_back

OPEN_ACTION = "accountability.open"
CONCLUDE_ACTION = "accountability.conclude"
#: The periodic task's name in the entries it writes (``system:<task>``).
TASK_NAME = "accountability.open_matters"
MAX_TEXT = 5000
MAX_REF = 64
#: Complaint statuses in which its result stands (closed, or confirmed on second look).
COMPLAINT_DONE = (ComplaintStatus.CLOSED, ComplaintStatus.CONFIRMED)


def _text(errors: dict[str, list[str]], field: str, value: Any, *, required: bool) -> str:
    if not isinstance(value, str):
        errors[field] = [_("Give text.")]
        return ""
    problem = name_problem(value) if required else text_problem(value)
    if problem:
        errors[field] = [problem]
    elif len(value) > MAX_TEXT:
        errors[field] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    return value.strip()


def snapshot(matter: Matter) -> dict[str, Any]:
    """What an entry records of a matter (``recorded.py`` reads the same fields)."""
    return {
        "case": matter.case_id,
        "organ": matter.organ_id,
        "ground": matter.ground,
        "remedy_step": matter.remedy_step_id,
        "complaint": matter.complaint_id,
        "evaluation_ref": matter.evaluation_ref,
        "reasons": matter.reasons,
        "opened_on": matter.opened_on.isoformat(),
        **conclusion(matter),
    }


def conclusion(matter: Matter) -> dict[str, Any]:
    return {
        "status": matter.status,
        "substantiated": matter.substantiated,
        "stages": list(matter.stages),
        "persons": list(matter.persons),
        "finding": matter.finding,
        "measures": list(matter.measures),
        "measure_note": matter.measure_note,
        "public_summary": matter.public_summary,
        "concluded_on": matter.concluded_on.isoformat() if matter.concluded_on else None,
    }


def _check_ground(
    errors: dict[str, list[str]],
    case: Case,
    ground: Any,
    remedy_step: CaseStep | None,
    complaint: Complaint | None,
    evaluation_ref: Any,
) -> str:
    if ground not in Ground.values:
        errors["ground"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Ground.values)}
        ]
        return ""
    if ground == Ground.REMEDY and (
        remedy_step is None
        or remedy_step.case_id != case.pk
        or remedy_step.step != "remedy_filed"
        or remedy_step.data.get("result") not in WRONG_REMEDY_RESULTS
    ):
        errors["remedy_step"] = [
            _(
                "Name a reconsideration or litigation of this case that revoked the "
                "decision or confirmed it unlawful."
            )
        ]
    if ground == Ground.COMPLAINT and (
        complaint is None
        or complaint.kind != ComplaintKind.COMPLAINT
        or complaint.status not in COMPLAINT_DONE
        or complaint.subject_organ_id != case.organ_id
    ):
        errors["complaint"] = [
            _(
                "Name a complaint about the organ of this case that is closed with its "
                "result (or confirmed on second look)."
            )
        ]
    if ground == Ground.EVALUATION:
        if not isinstance(evaluation_ref, str) or not evaluation_ref.strip():
            errors["evaluation_ref"] = [_("Name the evaluation that scored the file 0.")]
        elif text_problem(evaluation_ref) or len(evaluation_ref) > MAX_REF:
            errors["evaluation_ref"] = [
                text_problem(evaluation_ref) or _("At most %(n)s characters.") % {"n": MAX_REF}
            ]
    return str(ground)


def open_matter(
    case: Case,
    *,
    ground: str,
    actor: Any = None,
    system_task: str | None = None,
    reasons: str = "",
    remedy_step: CaseStep | None = None,
    complaint: Complaint | None = None,
    evaluation_ref: str = "",
) -> tuple[Matter, bool]:
    """Open the accountability matter of ``case`` on ``ground`` (one per case and
    ground): ``(matter, True)`` when this call opened it, ``(the existing one, False)``
    when it was open already. By hand (``actor``, a supervisor of the organ's region,
    with ``reasons``) or by a platform task (``system_task``, its name).

    Raises ``PermissionDenied`` for a user who may not open it, ``ValidationError``
    naming the field otherwise; nothing is written then."""
    if (actor is None) == (system_task is None):
        raise ValueError("open_matter: give either an actor or a system task")
    if actor is not None:
        policy.require_may_open(actor, case)
    errors: dict[str, list[str]] = {}
    ground = _check_ground(errors, case, ground, remedy_step, complaint, evaluation_ref)
    reasons = _text(errors, "reasons", reasons, required=actor is not None)
    if ground == Ground.COMPLAINT and complaint is not None and "reasons" not in errors:
        # The organ's head reads the reasons (and their entry): never the complainant's
        # identity (COMPLAINT-confidential).
        filer = [complaint.filer_name, complaint.filer_contact]
        if any(f and len(f) >= 2 and f in reasons for f in filer):
            errors["reasons"] = [
                _(
                    "The reasons name the complainant or their contact: the organ "
                    "concerned reads them, so write them without."
                )
            ]
    if errors:
        raise ValidationError(errors)
    existing = Matter.objects.filter(case=case, ground=ground).first()
    if existing is not None:
        return existing, False
    organ = case.organ
    now = timezone.now()
    try:
        with transaction.atomic():
            matter = Matter.objects.create(
                organ=organ,
                case=case,
                ground=ground,
                recorded_in=justice_bureau_for(organ.region) or organ,
                remedy_step=remedy_step if ground == Ground.REMEDY else None,
                complaint=complaint if ground == Ground.COMPLAINT else None,
                evaluation_ref=evaluation_ref.strip() if ground == Ground.EVALUATION else "",
                reasons=reasons,
                opened_on=timezone.localdate(now),
                opened_at=now,
                opened_by=actor,
            )
            record_change(
                actor,
                matter.recorded_in_id,
                OPEN_ACTION,
                matter,
                snapshot(matter),
                system_task=system_task,
            )
    except IntegrityError:
        # Opened by another call meanwhile (the unique constraint): that one stands.
        return Matter.objects.get(case=case, ground=ground), False
    return matter, True


def wrong_remedies() -> Iterable[CaseStep]:
    """The ``remedy_filed`` steps revoking a decision or confirming it unlawful whose
    case has no remedy matter yet (the first such step of each case)."""
    steps = (
        CaseStep.objects.filter(step="remedy_filed", data__result__in=sorted(WRONG_REMEDY_RESULTS))
        .exclude(case__accountability__ground=Ground.REMEDY)
        .select_related("case__organ__region")
        .order_by("case_id", "index")
    )
    seen: set[int] = set()
    for step in steps.iterator(chunk_size=500):
        if step.case_id in seen:
            continue
        seen.add(step.case_id)
        yield step


def open_from_remedies() -> list[int]:
    """Open a matter for each case newly found wrong on reconsideration or litigation;
    returns the matters opened (idempotent: a second run opens none)."""
    opened = []
    for step in wrong_remedies():
        matter, created = open_matter(
            step.case, ground=Ground.REMEDY, system_task=TASK_NAME, remedy_step=step
        )
        if created:
            opened.append(matter.pk)
    return opened


def _public_summary(
    errors: dict[str, list[str]], value: Any, case: Case, names: Iterable[str]
) -> str:
    summary = _text(errors, "public_summary", value, required=True)
    if "public_summary" in errors:
        return summary
    private = [case.party_name, case.party_id_number, case.party_uscc, *names]
    found = [p for p in private if p and len(p) >= 2 and p in summary]
    if found:
        errors["public_summary"] = [
            _(
                "The public summary names the party or a person (%(found)s): it is "
                "published, so write it without names or ID numbers."
            )
            % {"found": "、".join(found)}
        ]
    return summary


def conclude_matter(
    matter: Matter,
    *,
    actor: Any,
    substantiated: Any,
    finding: str,
    public_summary: str,
    stages: Any = (),
    persons: Any = (),
    measures: Any = (),
    measure_note: str = "",
) -> Matter:
    """The supervisor's finding and measures, and the matter concluded (then published,
    CQ 六(三)). ``stages``: codes of ``trace.STAGE_CODES``; ``persons``: the trace-back's
    officer references; ``measures``: codes of ``rules.engine.accountability.MEASURES``.
    A matter found substantiated names at least one stage and one measure; one not
    substantiated names neither persons nor measures."""
    policy.require_may_conclude(actor, matter)
    errors: dict[str, list[str]] = {}
    if matter.is_concluded:
        errors["status"] = [_("The matter is concluded already.")]
    if not isinstance(substantiated, bool):
        errors["substantiated"] = [_("Say whether the wrong enforcement is substantiated.")]
    stage_list = list(stages) if isinstance(stages, list | tuple) else None
    if stage_list is None or any(s not in STAGE_CODES for s in stage_list):
        errors["stages"] = [_("Choose among: %(choices)s.") % {"choices": ", ".join(STAGE_CODES)}]
        stage_list = []
    measure_list = list(measures) if isinstance(measures, list | tuple) else None
    if measure_list is None or any(m not in MEASURE_CODES for m in measure_list):
        errors["measures"] = [
            _("Choose among: %(choices)s.") % {"choices": ", ".join(m.code for m in MEASURES)}
        ]
        measure_list = []
    known = responsible_persons(trace_back(matter.case))
    person_list = list(persons) if isinstance(persons, list | tuple) else None
    if person_list is None or any(p not in known for p in person_list):
        errors["persons"] = [_("Choose among the persons the trace-back names.")]
        person_list = []
    if substantiated is True:
        if not stage_list and "stages" not in errors:
            errors["stages"] = [_("Name the responsible stage(s).")]
        if not measure_list and "measures" not in errors:
            errors["measures"] = [_("Name the measure(s) taken.")]
    elif substantiated is False:
        if person_list:
            errors["persons"] = [_("A matter not substantiated holds nobody responsible.")]
        if measure_list:
            errors["measures"] = [_("A matter not substantiated takes no measure.")]
    finding = _text(errors, "finding", finding, required=True)
    measure_note = _text(errors, "measure_note", measure_note, required=False)
    names = {p.name for p in known.values()} | set(
        CaseOfficer.objects.filter(case=matter.case, officer__isnull=False).values_list(
            "officer__name", flat=True
        )
    )
    summary = _public_summary(errors, public_summary, matter.case, names)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.is_concluded:
            raise ValidationError({"status": [_("The matter is concluded already.")]})
        locked.status = MatterStatus.CONCLUDED
        locked.substantiated = substantiated
        locked.stages = [c for c in STAGE_CODES if c in stage_list]
        locked.persons = [
            {"ref": known[p].ref, "name": known[p].name, "officer": known[p].officer_id}
            for p in dict.fromkeys(person_list)
        ]
        locked.measures = [m.code for m in MEASURES if m.code in measure_list]
        locked.finding = finding
        locked.measure_note = measure_note
        locked.public_summary = summary
        locked.concluded_on = timezone.localdate()
        locked.concluded_by = actor
        locked.save()
        record_change(actor, locked.recorded_in_id, CONCLUDE_ACTION, locked, conclusion(locked))
    return locked

"""Demo cases: penalty cases of 嘉兴市市场监督管理局 (the organ of the demo users
``officer``, ``officer2``, ``reviewer`` and ``head``) in every stage, and two of
嘉善县市场监督管理局 (``officer.county``).

What happens in each case and on which day is the plan of ``cases.demo_plan``: computed
forward in working days from a frozen "today" with the engine's calendar and
parameters, so every step is lawful on whatever day the demo is loaded (a test checks
every day from 2025 to 2027 through the engine). This module builds that plan into the
database through the service layer (``cases.services``), the guarded path that asks
the rules engine, with the user who would act: the head approves registrations and
decisions, the reviewer records the legal review with their own registry officer.
Parties are made up; their USCC and ID numbers carry correct check characters.

The demo users need registry officers: this module links the demo officers to their
user accounts and adds the officers the registry demo lacks (the head 刘洋, the hearing
host 孙悦, the county's second officer 钱敏) and a power item for the county organ, all
through the registry and catalogue services as the demo supervisor. Idempotent: the
cases are created once (when the demo organs have none); the record's chains are
signed again at the end (``create_checkpoints``), so a second run writes nothing.

A few cases carry real evidence files (photos, a scanned record, an audio clip:
``cases.demo_evidence``), uploaded through the records service on the day of their
investigation.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, TextIO

from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.catalogue import services as catalogue_services
from zhifa.catalogue.models import Article, PowerCategory, PowerItem
from zhifa.records.services import create_checkpoints
from zhifa.registry import services as registry_services
from zhifa.registry.demo import ISSUER, certificate_dates, demo_actor, demo_id_number
from zhifa.registry.demo import organs as demo_organs
from zhifa.registry.models import Certificate, Officer, OfficerKind
from zhifa.rules.calendar_db import database_calendar

from . import demo_evidence, demo_plan, queries, services
from .models import Case, CaseStatus, CaseStep
from .workflow import PARTY_WINDOWS


def _link(officer: Officer, user: User, actor: User) -> Officer:
    if officer.user_id == user.pk:
        return officer
    return registry_services.save_officer(officer, actor=actor, user=user)


def _people(actor: User, today: date) -> dict[str, Officer]:
    """The registry officers of the plan's people (``demo_plan.PEOPLE``), linked to the
    demo users who act as them; the officers the registry demo lacks (the head, the
    hearing host, the county's second officer) are added with their certificates."""
    organs = demo_organs()
    by_name = {(o.organ_id, o.name): o for o in Officer.objects.filter(organ__in=organs.values())}
    officers: dict[str, Officer] = {}
    for person in demo_plan.PEOPLE.values():
        organ = organs[person.organ]
        officer = by_name.get((organ.pk, person.name))
        if officer is None:
            officer = registry_services.save_officer(
                actor=actor,
                organ=organ,
                name=person.name,
                kind=OfficerKind.OFFICER,
                post=person.post,
                enforcement_fields=person.fields,
                id_number=demo_id_number(person.id_prefix),
                legal_qualification=person.legal_qualification,
                legal_qualification_number="A20180000000000（演示）"
                if person.legal_qualification
                else "",
            )
        if not Certificate.objects.filter(number=person.certificate).exists():
            valid_from, valid_to = certificate_dates(person.state, today)
            registry_services.issue_certificate(
                officer,
                number=person.certificate,
                issuing_authority=ISSUER,
                valid_from=valid_from,
                valid_to=valid_to,
                actor=actor,
            )
        officers[person.key] = officer
    users = {u.username: u for u in User.objects.filter(username__in=USERS_OF.values())}
    for key, username in USERS_OF.items():
        officers[key] = _link(officers[key], users[username], actor)
    county = organs["amr_a"]
    if not PowerItem.objects.filter(subject=county, code=demo_plan.COUNTY_ITEM).exists():
        catalogue_services.save_power_item(
            actor=actor,
            subject=county,
            basis=list(
                Article.objects.filter(
                    law__name=demo_plan.FSL, number__in=["第四十五条", "第一百二十六条"]
                ).order_by("ordinal")
            ),
            code=demo_plan.COUNTY_ITEM,
            name=demo_plan.COUNTY_ITEM_NAME,
            category=PowerCategory.PENALTY,
            responsibilities="立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任",
            valid_from=date(2024, 1, 1),
            published=True,
            published_on=date(2024, 1, 1),
        )
    return officers


#: The service of each step the plan takes: the pages' and the API's, and the review
#: app's for the legal review (the demo records the review's outcome directly).
STEP_SERVICES = {
    **services.STEP_SERVICES,
    "legal_review": services.record_legal_review,
    # Published by the platform (zhifa.disclosure), on the day the plan says.
    "disclosed": services.publish_decision,
    "disclosure_withdrawn": services.withdraw_disclosure,
}

#: The plan's people who are demo users (``accounts.demo``).
USERS_OF = {
    "zhang": "officer",
    "li": "officer2",
    "chen": "reviewer",
    "liu": "head",
    "wang": "officer.county",
    "shen": "head.county",
}


def _resolve(value: Any, officers: dict[str, Officer]) -> Any:
    if isinstance(value, demo_plan.Ref):
        return officers[value.key]
    if isinstance(value, list):
        return [_resolve(v, officers) for v in value]
    return value


def build(plan: demo_plan.CasePlan, officers: dict[str, Officer]) -> Case:
    """Build one planned case through the service layer (the guarded path: every step
    is checked by the rules engine as the pages' steps are)."""
    organs = demo_organs()
    organ = organs[plan.organ]
    users = {u.username: u for u in User.objects.filter(organ__in=[organ])}
    case = services.open_case(
        organ,
        actor=users[plan.opener],
        on=plan.opened_on,
        procedure=plan.procedure,
        power_item=PowerItem.objects.get(subject=organ, code=plan.item),
        party=plan.party,
        violation=plan.violation,
        basis=plan.basis,
    )
    steps = 0
    transfer = None
    for action in plan.actions:
        actor = users[action.actor]
        fields = {k: _resolve(v, officers) for k, v in action.fields.items()}
        if action.kind in ("step", "decision"):
            # The named service function of the step, as the pages and the API call it.
            service = STEP_SERVICES[action.step]
            service(case, actor=actor, on=action.on, expected_steps=steps, **fields, **action.extra)
            if action.step == "investigation" and plan.key in demo_evidence.FILES:
                # The evidence collected during the investigation, by its officers.
                collectors = [users[USERS_OF[ref.key]] for ref in action.fields["officers"]]
                demo_evidence.attach(
                    case,
                    plan.key,
                    action.on,
                    actor=actor,
                    collectors=collectors,
                    location=f"{plan.party['name']}经营场所",
                )
        elif action.kind == "transfer":
            to_organ = action.extra.get("to_organ")
            transfer = services.transfer_case(
                case,
                actor=actor,
                on=action.on,
                expected_steps=steps,
                kind=action.extra["kind"],
                to_organ=organs[to_organ] if to_organ else None,
                receiver_name=action.extra.get("receiver_name", ""),
                reason=action.extra["reason"],
                approved_by=fields["approved_by"],
            )
        elif action.kind == "transfer_result":
            assert transfer is not None
            services.record_transfer_result(
                transfer,
                actor=actor,
                on=action.on,
                result=action.extra["result"],
                note=action.extra["note"],
            )
        elif action.kind == "suspend":
            services.suspend_case(case, actor=actor, on=action.on, reason=action.extra["reason"])
        elif action.kind == "archive":
            services.archive_case(case, actor=actor, on=action.on)
        else:  # pragma: no cover - the plan's kinds are the ones above
            raise ValueError(action.kind)
        if action.kind in ("step", "decision", "transfer"):
            steps += 1
    return case


def load(out: TextIO) -> None:
    actor = demo_actor()
    today = timezone.localdate()
    officers = _people(actor, today)
    organs = demo_organs()
    mine = [organs["amr"], organs["amr_a"]]
    created = 0
    if not Case.objects.filter(organ__in=mine).exists():
        for case_plan in demo_plan.plan(today, database_calendar()):
            build(case_plan, officers)
            created += 1
    # Demo cases stored before the nearest deadline was kept on the case get it now.
    queries.sweep(Case.objects.filter(organ__in=mine, deadline_checked_on__isnull=True), today)
    create_checkpoints()
    out.write(summary(today, created) + "\n")


def summary(today: date, created: int) -> str:
    """One line: the cases by status, the overdue deadlines and the steps with warnings."""
    cases = list(Case.objects.order_by("pk"))
    statuses = Counter(c.status for c in cases)
    # The organ's overdue deadlines, as the work list shows them in red: a party's window
    # that lapsed (the hearing request) is closed, not overdue.
    overdue = sum(
        1
        for c in cases
        for d in services.deadlines(c, today)
        if d.status(today) == "overdue" and d.rule not in PARTY_WINDOWS
    )
    warned = CaseStep.objects.exclude(warnings=[]).count()
    by_status = ", ".join(f"{statuses[s]} {s}" for s in CaseStatus.values if statuses[s])
    return (
        f"cases: {len(cases)} demo cases ({created} created in this run): {by_status}; "
        f"{overdue} overdue deadline(s), {warned} step(s) with warnings"
    )

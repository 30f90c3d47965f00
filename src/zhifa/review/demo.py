"""Demo legal reviews: one or two open cases of each organ that have had their prior
notice and no legal review yet are submitted for review, so the reviewers' queues are
not empty. Runs after the cases demo (INSTALLED_APPS order) and relies on none of its
cases in particular: with no such case it does nothing and says so."""

from __future__ import annotations

from typing import TextIO

from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case, CaseStep, Procedure
from zhifa.records.services import create_checkpoints
from zhifa.registry import services as registry_services
from zhifa.registry.demo import demo_actor
from zhifa.registry.models import Officer

from . import services
from .models import ReviewRequest, ReviewStatus

PER_ORGAN = 2
NOTE = (
    "已完成调查取证并送达行政处罚事先告知书，当事人未提出陈述申辩。"
    "拟依据案件适用的法律条款及裁量基准作出行政处罚决定，请予法制审核。"
)


def candidates() -> list[Case]:
    """Open general-procedure cases with a prior notice, no legal review, no decision
    and no pending request, oldest first."""
    steps = CaseStep.objects.filter(case=OuterRef("pk"))
    pending = ReviewRequest.objects.filter(case=OuterRef("pk"), status=ReviewStatus.PENDING)
    return list(
        Case.objects.filter(procedure=Procedure.GENERAL)
        .exclude(status__in=services.DECIDED_STATES)
        .filter(Exists(steps.filter(step="prior_notice")))
        .exclude(Exists(steps.filter(step__in=["legal_review", "decision"])))
        .exclude(Exists(pending))
        .select_related("organ")
        .order_by("organ_id", "created_at", "pk")
    )


def link_reviewers() -> int:
    """Link each demo legal reviewer without a registry officer to the qualified officer
    of the same organ and name (a reviewer acts as a registry officer, APL-58-reviewer).
    Through the registry service, so the link is recorded."""
    linked = 0
    for user in User.objects.filter(role=Role.LEGAL_REVIEWER, organ__isnull=False):
        if Officer.objects.filter(user=user).exists():
            continue
        officer = Officer.objects.filter(
            organ=user.organ_id, name=user.full_name, user__isnull=True, legal_qualification=True
        ).first()
        if officer is not None:
            registry_services.save_officer(officer, actor=demo_actor(), user=user)
            linked += 1
    return linked


def load(out: TextIO) -> None:
    today = timezone.localdate()
    linked = link_reviewers()
    if linked:
        out.write(f"demo: {linked} legal reviewer account(s) linked to registry officers\n")
    submitted = 0
    per_organ: dict[int, int] = {}
    for case in candidates():
        already = ReviewRequest.objects.filter(
            case__organ=case.organ, status=ReviewStatus.PENDING
        ).count()
        if per_organ.get(case.organ_id, already) >= PER_ORGAN:
            continue
        officer = (
            User.objects.filter(organ=case.organ, role=Role.OFFICER, is_active=True)
            .order_by("username")
            .first()
        )
        if officer is None:
            continue
        last = case.steps.order_by("-index").values_list("on", flat=True).first()
        services.submit_for_review(
            case, actor=officer, on=max(today, last) if last else today, note=NOTE
        )
        per_organ[case.organ_id] = per_organ.get(case.organ_id, already) + 1
        submitted += 1
    if submitted:
        out.write(f"demo: {submitted} cases submitted for legal review\n")
    else:
        out.write("demo: no open case with a prior notice awaits legal review; none submitted\n")
    if linked or submitted:
        # The records demo signed the chains before this app ran; sign what grew since,
        # so a second run (which writes nothing here) signs nothing either.
        create_checkpoints()

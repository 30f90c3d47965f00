"""Scoring the drawn files (评分): evaluators, the pre-fill from the engine's stored
findings, the score, results per file and per organ, common problems, rectification
requirements and the publication of the results.

- assign: a supervisor of the campaign's region assigns an evaluator to a drawn file:
  a supervisor of the region, or a user (officer, legal reviewer, head) of an organ of
  the region — never a user of the evaluated organ (refused naming ``evaluator``);
- pre-fill: the case's findings as the sweep last stored them (``cases.AuditItem``, one
  query per file, never a new audit): each sheet item gets the findings of the rules
  it names; a veto item with a finding is pre-marked failed, a scored item gets one
  fault per finding;
- score: the evaluator confirms or corrects each item (faults, notes); a failed veto
  item scores the file 0; otherwise each part's points less its deductions (an item
  loses at most its points);
- results per organ: files scored, vetoed, average; common problems: the items most
  often deducted or failed;
- rectification: a supervision notice (SUP-notice, ``supervision.notices.issue_notice``)
  to an organ of the campaign, linked to it; the organ replies to the notice in writing;
- publish results: the per-organ results and common problems go on the portal (no party
  data: file ids, case numbers and scores only)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accountability.models import Ground
from zhifa.accountability.services import open_matter
from zhifa.accounts.models import ORGAN_ROLES, Role, User
from zhifa.cases.models import AuditItem, AuditItemKind
from zhifa.core.validation import typed_text_problem
from zhifa.records.services import record_change
from zhifa.supervision.models import NoticeKind
from zhifa.supervision.notices import issue_notice

from .campaigns import may_manage
from .models import (
    Assignment,
    Campaign,
    CampaignStatus,
    DrawnFile,
    FileScore,
    ItemKind,
    ItemScore,
    Rectification,
    SheetItem,
)

ASSIGN_ACTION = "evaluation.file.assign"
SCORE_ACTION = "evaluation.file.score"
RESULTS_ACTION = "evaluation.campaign.results"
RECTIFY_ACTION = "evaluation.campaign.rectification"
MAX_NOTE = 2000
MAX_FAULTS = 99


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _drawn(campaign: Campaign) -> bool:
    return campaign.status in (CampaignStatus.DRAWN, CampaignStatus.RESULTS_PUBLISHED)


def evaluator_refusal(campaign: Campaign, drawn: DrawnFile, evaluator: Any) -> str | None:
    """Why ``evaluator`` may not evaluate ``drawn`` (``None``: may)."""
    if not _active(evaluator):
        return _("Choose an active user.")
    region = campaign.region.path
    if evaluator.role in ORGAN_ROLES and evaluator.organ_id is not None:
        if evaluator.organ_id == drawn.roster.organ_id:
            return _("An evaluator is never from the evaluated organ.")
        if not evaluator.organ.region.path.startswith(region):
            return _("The evaluator works for an organ outside the campaign's region.")
        return None
    if evaluator.role == Role.SUPERVISOR and evaluator.region_id is not None:
        if not evaluator.region.path.startswith(region):
            return _("The evaluator is a supervisor outside the campaign's region.")
        return None
    return _("An evaluator is a supervisor or a user of an organ of the region.")


def candidate_evaluators(campaign: Campaign, drawn: DrawnFile) -> QuerySet[User]:
    """The users ``evaluator_refusal`` accepts for ``drawn``."""
    region = campaign.region.path
    organ_users = Q(role__in=list(ORGAN_ROLES), organ__region__path__startswith=region) & ~Q(
        organ_id=drawn.roster.organ_id
    )
    supervisors = Q(role=Role.SUPERVISOR, region__path__startswith=region)
    return (
        User.objects.filter(is_active=True)
        .filter(organ_users | supervisors)
        .select_related("organ")
        .order_by("role", "organ__name", "username")
    )


def assign(user: Any, drawn: DrawnFile, evaluator: Any) -> Assignment:
    campaign = drawn.roster.campaign
    if not may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region assigns evaluators."))
    if not _drawn(campaign):
        raise ValidationError(_("The sample is not drawn yet."))
    if campaign.status != CampaignStatus.DRAWN:
        raise ValidationError(_("The results are published: no file is scored any more."))
    if hasattr(drawn, "score"):
        raise ValidationError(_("The file is already scored."))
    refusal = evaluator_refusal(campaign, drawn, evaluator)
    if refusal:
        raise ValidationError({"evaluator": [refusal]})
    with transaction.atomic():
        Assignment.objects.filter(drawn=drawn).delete()
        assignment = Assignment.objects.create(
            drawn=drawn, evaluator=evaluator, assigned_by=user, assigned_at=timezone.now()
        )
        record_change(
            user,
            campaign.bureau,
            ASSIGN_ACTION,
            campaign,
            {"drawn": drawn.pk, "file_id": drawn.file_id, "evaluator": evaluator.pk},
        )
    return assignment


def may_score(user: Any, drawn: DrawnFile) -> bool:
    assignment = Assignment.objects.filter(drawn=drawn).first()
    return bool(
        _active(user)
        and drawn.roster.campaign.status == CampaignStatus.DRAWN
        and assignment is not None
        and assignment.evaluator_id == user.pk
        and user.organ_id != drawn.roster.organ_id
        and not FileScore.objects.filter(drawn=drawn).exists()
    )


def assigned_to(user: Any) -> QuerySet[DrawnFile]:
    """The drawn files ``user`` is to score or scored."""
    if not _active(user):
        return DrawnFile.objects.none()
    return DrawnFile.objects.filter(assignment__evaluator=user).select_related(
        "roster__campaign", "roster__organ", "score"
    )


def get_for_user_or_404(user: Any, pk: int) -> DrawnFile:
    """A drawn file its evaluator, or a supervisor who sees the campaign, may open."""
    found = (
        DrawnFile.objects.select_related(
            "roster__campaign__sheet", "roster__campaign__region", "roster__organ", "case"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_open(user, found):
        raise Http404
    return found


def may_open(user: Any, drawn: DrawnFile) -> bool:
    """Whether ``user`` may open the drawn file's page: its evaluator, or a supervisor
    who sees the campaign."""
    from .campaigns import visible

    if Assignment.objects.filter(drawn=drawn, evaluator=user).exists():
        return True
    return (
        getattr(user, "role", None) == Role.SUPERVISOR
        and visible(user).filter(pk=drawn.roster.campaign_id).exists()
    )


def matter_links(user: Any, matter: Any) -> list[dict[str, Any]]:
    """On an accountability matter opened by a score of 0 (``evaluation_ref``: the
    campaign's number and the file's rank in the draw), the link to that scored file,
    for whom may open it (``accountability.extensions``)."""
    from zhifa.accountability.models import Ground

    if matter.ground != Ground.EVALUATION or not matter.case_id:
        return []
    number, _sep, rank = str(matter.evaluation_ref).rpartition(" · ")
    # A ref written by hand may end in anything: a rank is ASCII digits ("²".isdigit()).
    if not number or not re.fullmatch(r"[0-9]{1,9}", rank):
        return []
    drawn = (
        DrawnFile.objects.select_related("roster")
        .filter(case_id=matter.case_id, rank=int(rank), roster__campaign__number=number)
        .first()
    )
    if drawn is None or not may_open(user, drawn):
        return []
    url = reverse("evaluation:score_file", args=[drawn.pk])
    return [{"label": _("the file as scored"), "url": url, "id": "evaluation-file"}]


@dataclass(frozen=True)
class Prefill:
    item: SheetItem
    findings: list[dict[str, str]]

    @property
    def faults(self) -> int:
        return min(len(self.findings), MAX_FAULTS)


def prefill(drawn: DrawnFile) -> list[Prefill]:
    """Each sheet item with the stored findings of the rules it names (one query for
    the findings, one for the items)."""
    items = list(drawn.roster.campaign.sheet.items.all())
    found: list[Any] = []
    if drawn.case_id is not None:
        found = list(
            AuditItem.objects.filter(case_id=drawn.case_id, kind=AuditItemKind.FINDING).only(
                "rule", "severity", "message_zh", "message_en", "citation"
            )
        )
    by_rule: dict[str, list[dict[str, str]]] = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(
            {"rule": f.rule, "severity": f.severity, "message": f.message_zh or f.message_en}
        )
    return [
        Prefill(item, [f for rule in item.rules for f in by_rule.get(rule, [])]) for item in items
    ]


def score_file(
    user: Any, drawn: DrawnFile, *, faults: Mapping[int, Any], notes: Mapping[int, Any]
) -> FileScore:
    """Record the evaluator's score: ``faults`` and ``notes`` by sheet item pk (a veto
    item: faults > 0 means failed). ValidationError naming ``item-<code>`` otherwise."""
    if not may_score(user, drawn):
        raise PermissionDenied(_("Only the evaluator assigned to the file scores it, once."))
    filled = prefill(drawn)
    errors: dict[str, list[str]] = {}
    rows = []
    for p in filled:
        item = p.item
        raw = faults.get(item.pk, p.faults)
        try:
            count = int(raw)
        except (TypeError, ValueError):
            errors[f"faults_{item.pk}"] = [_("Give a whole number of faults.")]
            continue
        if not 0 <= count <= MAX_FAULTS:
            errors[f"faults_{item.pk}"] = [_("From 0 to %(n)s faults.") % {"n": MAX_FAULTS}]
            continue
        note = notes.get(item.pk, "") or ""
        if not isinstance(note, str):
            note = ""
        problem = typed_text_problem(note)
        if problem is None and len(note) > MAX_NOTE:
            problem = _("At most %(n)s characters.") % {"n": MAX_NOTE}
        if problem:
            errors[f"note_{item.pk}"] = [problem]
            continue
        if count != p.faults and not note.strip():
            errors[f"note_{item.pk}"] = [
                _("Say why you correct the pre-filled value (%(n)s).") % {"n": p.faults}
            ]
            continue
        deducted = 0 if item.kind == ItemKind.VETO else min(item.points, count * item.deduction)
        rows.append((p, count, deducted, note.strip()))
    if errors:
        raise ValidationError(errors)
    vetoed = any(p.item.kind == ItemKind.VETO and count > 0 for p, count, _d, _n in rows)
    form_points = sum(p.item.points - d for p, _c, d, _n in rows if p.item.kind == ItemKind.FORM)
    substance_points = sum(
        p.item.points - d for p, _c, d, _n in rows if p.item.kind == ItemKind.SUBSTANCE
    )
    campaign = drawn.roster.campaign
    with transaction.atomic():
        # The campaign locked (as publish_results locks it): no score once the results
        # are published, and a double submit scores the file once (then refused).
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAWN or FileScore.objects.filter(drawn=drawn).exists():
            raise PermissionDenied(_("Only the evaluator assigned to the file scores it, once."))
        score = FileScore.objects.create(
            drawn=drawn,
            evaluator=user,
            vetoed=vetoed,
            form_points=form_points,
            substance_points=substance_points,
            total=0 if vetoed else form_points + substance_points,
            scored_at=timezone.now(),
        )
        ItemScore.objects.bulk_create(
            ItemScore(
                score=score,
                item=p.item,
                prefilled_faults=p.faults,
                prefilled_rules=sorted({f["rule"] for f in p.findings}),
                faults=count,
                deducted=deducted,
                note=note,
            )
            for p, count, deducted, note in rows
        )
        record_change(
            user,
            campaign.bureau,
            SCORE_ACTION,
            campaign,
            {
                "drawn": drawn.pk,
                "file_id": drawn.file_id,
                "total": score.total,
                "vetoed": vetoed,
                "items": [[p.item.code, p.faults, count] for p, count, _d, _n in rows],
            },
        )
        if score.total == 0 and drawn.case is not None:
            # A file scored 0 opens an accountability matter (issue #18 item 5), in the
            # same transaction: both are written or neither.
            open_matter(
                drawn.case,
                ground=Ground.EVALUATION,
                system_task=SCORE_ACTION,
                evaluation_ref=f"{campaign.number} · {drawn.rank}"[:64],
            )
    return score


@dataclass(frozen=True)
class OrganResult:
    organ: Any
    drawn: int
    scored: int
    vetoed: int
    average: float | None


def organ_results(campaign: Campaign, organ: int | None = None) -> list[OrganResult]:
    """Each organ's results (``organ``: that organ's only, for its own users)."""
    rosters = list(campaign.rosters.select_related("organ").order_by("position"))
    if organ is not None:
        rosters = [r for r in rosters if r.organ_id == organ]
    scores = FileScore.objects.filter(drawn__roster__campaign=campaign).values_list(
        "drawn__roster_id", "total", "vetoed"
    )
    drawn = Counter(
        DrawnFile.objects.filter(roster__campaign=campaign).values_list("roster_id", flat=True)
    )
    by: dict[int, list[tuple[int, bool]]] = {}
    for roster_id, total, vetoed in scores:
        by.setdefault(roster_id, []).append((total, vetoed))
    out = []
    for r in rosters:
        rows = by.get(r.pk, [])
        out.append(
            OrganResult(
                organ=r.organ,
                drawn=drawn.get(r.pk, 0),
                scored=len(rows),
                vetoed=sum(1 for _t, v in rows if v),
                average=round(sum(t for t, _v in rows) / len(rows), 1) if rows else None,
            )
        )
    return out


@dataclass(frozen=True)
class Problem:
    item: SheetItem
    files: int


def common_problems(campaign: Campaign, limit: int = 10, organ: int | None = None) -> list[Problem]:
    """The sheet items most often deducted or failed, with the number of files
    (``organ``: in that organ's files only, for its own users)."""
    found = ItemScore.objects.filter(score__drawn__roster__campaign=campaign, faults__gt=0)
    if organ is not None:
        found = found.filter(score__drawn__roster__organ_id=organ)
    counts = Counter(found.values_list("item_id", flat=True))
    items = SheetItem.objects.in_bulk(list(counts))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], items[kv[0]].position))
    return [Problem(items[pk], n) for pk, n in ranked[:limit]]


def require_rectification(
    user: Any,
    campaign: Campaign,
    organ: Any,
    *,
    findings: str,
    rectification: str,
    deadline: dt.date | Any,
) -> Rectification:
    """A rectification requirement to an organ of the campaign, as a supervision notice."""
    if not may_manage(user, campaign):
        raise PermissionDenied(
            _("Only a supervisor of the campaign's region requires rectification.")
        )
    if not _drawn(campaign):
        raise ValidationError(_("The sample is not drawn yet."))
    roster = campaign.rosters.filter(organ_id=getattr(organ, "pk", organ)).first()
    if roster is None:
        raise ValidationError({"organ": [_("Choose an organ of the campaign.")]})
    cases = [
        d.case_id
        for d in DrawnFile.objects.filter(roster=roster, score__items__faults__gt=0).distinct()
        if d.case_id is not None
    ]
    with transaction.atomic():
        notice = issue_notice(
            actor=user,
            organ=roster.organ,
            kind=NoticeKind.NOTICE,
            findings=findings,
            rectification=rectification,
            deadline=deadline,
            cases=cases,
            pattern=_("Case-file evaluation %(n)s") % {"n": campaign.number},
        )
        rectification_row = Rectification.objects.create(
            campaign=campaign, organ=roster.organ, notice=notice
        )
        # The campaign's own entry: which organ was required to rectify, by which notice
        # (the notice's entry is in the organ's chain, this one in the bureau's).
        record_change(
            user,
            campaign.bureau,
            RECTIFY_ACTION,
            campaign,
            {"organ": roster.organ_id, "notice": notice.number, "cases": sorted(cases)},
        )
        return rectification_row


def publish_results(user: Any, campaign: Campaign) -> Campaign:
    if not may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region publishes results."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("bureau").get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAWN:
            raise ValidationError(_("Results are published once, after the draw."))
        if not FileScore.objects.filter(drawn__roster__campaign=campaign).exists():
            raise ValidationError(_("No file is scored yet."))
        campaign.status = CampaignStatus.RESULTS_PUBLISHED
        campaign.results_published_at = timezone.now()
        campaign.save(update_fields=["status", "results_published_at"])
        record_change(
            user,
            campaign.bureau,
            RESULTS_ACTION,
            campaign,
            {
                "status": campaign.status,
                "organs": [
                    [r.organ.pk, r.scored, r.vetoed, r.average] for r in organ_results(campaign)
                ],
            },
        )
    return campaign

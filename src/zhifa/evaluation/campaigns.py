"""Evaluation campaigns (评查活动): who may plan, see and draw them (the one policy the
pages, the command and the services ask), and the state changes, each recorded in the
justice bureau's chain in its own transaction.

- plan: a supervisor of a region whose own justice bureau runs it
  (``supervision.notices.issuing_bureau``): the organs of the region (not a justice
  bureau), the period (ended by today), the sample of each organ (a size, or a rate in
  whole percent) and the scoring sheet (a version valid on the period's last day);
- publish: fixes each organ's roster — its case files closed in the period (a
  ``closed`` step dated inside it), by file id (``Case.case_id``, which never changes)
  and case number — and publishes each roster's SHA-256 and the method, before the draw;
- draw: once, after publication, from a public value the supervisor enters with its
  source and the day it became known (not before the publication day, not after today).

Who sees a campaign: the supervisors whose region contains the campaign's region; the
users of an organ in it, once published; the public (portal) once published. Anybody
else gets 404."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.cases.models import Case, CaseStep
from zhifa.core.scope import visible_organs
from zhifa.core.validation import date_problem, typed_text_problem
from zhifa.records.services import record_change
from zhifa.supervision.notices import issuing_bureau

from . import draw
from .models import Campaign, CampaignStatus, DrawnFile, Roster, ScoringSheet

PLAN_ACTION = "evaluation.campaign.plan"
PUBLISH_ACTION = "evaluation.campaign.publish"
DRAW_ACTION = "evaluation.campaign.draw"
MAX_ORGANS = 200
MAX_TITLE = 200
MAX_BEACON = 500

#: The method as published (data, not a translated UI string: it is part of what the
#: public checks, and does not change with the reader's language).
METHOD = (
    "抽取方法（zhifa-evaluation-draw-v1）：\n"
    "1. 名单：每个被评查机关在评查期间内结案（结案步骤日期在期间内）的案卷，每卷一行"
    "“案卷标识<TAB>立案号<LF>”，按案卷标识（Unicode 码位）升序排列，UTF-8 编码；"
    "名单的 SHA-256 在抽取前公布。\n"
    "2. 公开随机值：名单公布后，监督人员录入一个事先约定、无人能控制、名单公布后才产生"
    "的公开数值（如彩票开奖号码或随机信标输出）及其来源。\n"
    '3. 种子：SHA-256( UTF-8( "zhifa-evaluation-draw-v1\\n" + 每份名单一行'
    '"<序号>\\t<名单SHA-256>\\n" + "beacon\\t<公开随机值>\\n" ) )，公开随机值先作 NFC '
    "规范化并去除首尾空白。\n"
    "4. 抽取（Rivest 一致抽样）：每卷的签号 = SHA-256( 种子的 32 字节 ‖ UTF-8(案卷标识) )，"
    "按大端整数比较；每个机关抽取签号最小的若干卷（抽取数量：给定数量，不超过名单卷数；"
    "或给定百分比乘以名单卷数后向上取整）。\n"
    "任何人可用公布的名单和公开随机值重新计算（zhifa evaluation verify-draw）。\n"
    "Method (zhifa-evaluation-draw-v1): rosters of the files closed in the period, one line "
    "'file id TAB case number LF' sorted by file id, UTF-8, SHA-256 published before the "
    "draw; seed = SHA-256 of 'zhifa-evaluation-draw-v1\\n' + '<position>\\t<roster sha256>\\n' "
    "per roster + 'beacon\\t<public value>\\n'; ticket = SHA-256(seed bytes ‖ UTF-8 file id) as "
    "a big-endian integer; the lowest tickets of each roster are drawn."
)


class CampaignStateError(ValidationError):
    """The campaign is not in the state the act needs."""


@dataclass(frozen=True)
class OrganSample:
    organ: Any
    size: int | None = None
    rate: int | None = None


# --- who may see and act ----------------------------------------------------------------------


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visible(user: Any, queryset: QuerySet[Campaign] | None = None) -> QuerySet[Campaign]:
    """The campaigns ``user`` may see: a supervisor those of their region's subtree; a
    user of an organ the published campaigns that include the organ; nobody else any."""
    if queryset is None:
        queryset = Campaign.objects.all()
    if not _active(user):
        return queryset.none()
    if user.role == Role.SUPERVISOR and user.region_id is not None:
        return queryset.filter(region__path__startswith=user.region.path)
    if user.role in ORGAN_ROLES and user.organ_id is not None:
        return queryset.exclude(status=CampaignStatus.PLANNED).filter(
            rosters__organ_id=user.organ_id
        )
    return queryset.none()


def get_visible_or_404(user: Any, pk: int) -> Campaign:
    found = visible(user).select_related("region", "bureau", "sheet").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def plan_refusal(user: Any) -> str | None:
    if not (_active(user) and user.role == Role.SUPERVISOR and user.region_id is not None):
        return _("Only a supervisor plans a case-file evaluation.")
    if issuing_bureau(user) is None:
        return _(
            "Your region has no justice bureau of its own: the evaluation is planned by the "
            "supervisors of the region whose justice bureau runs it."
        )
    return None


def may_plan(user: Any) -> bool:
    return plan_refusal(user) is None


def may_manage(user: Any, campaign: Campaign) -> bool:
    """A supervisor of the campaign's own region (whose bureau runs it)."""
    return bool(
        _active(user)
        and user.role == Role.SUPERVISOR
        and user.region_id is not None
        and user.region_id == campaign.region_id
    )


def plannable_organs(user: Any) -> QuerySet[Any]:
    if not may_plan(user):
        return visible_organs(None).none()
    return (
        visible_organs(user)
        .filter(active=True, is_justice_bureau=False)
        .select_related("region")
        .order_by("region__path", "name")
    )


# --- plan -------------------------------------------------------------------------------------


def _text(errors: dict[str, list[str]], field: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        errors[field] = [_("This field is required.")]
        return ""
    problem = typed_text_problem(value)
    if problem:
        errors[field] = [problem]
        return ""
    if len(value) > limit:
        errors[field] = [_("At most %(n)s characters.") % {"n": limit}]
    return value.strip()


def _number(bureau: Any, year: int) -> str:
    type(bureau).objects.select_for_update().filter(pk=bureau.pk).first()
    count = Campaign.objects.filter(bureau=bureau, planned_at__year=year).count()
    prefix = bureau.short_name or bureau.name
    return f"{prefix}评查〔{year}〕{count + 1}号"


def plan_campaign(
    user: Any,
    *,
    title: Any,
    sheet: ScoringSheet | None,
    period_start: Any,
    period_end: Any,
    samples: Sequence[OrganSample],
    today: dt.date,
) -> Campaign:
    """Plan a campaign; ``ValidationError`` naming each field otherwise (nothing
    written). ``PermissionDenied`` for a user who may not plan."""
    from django.core.exceptions import PermissionDenied

    refusal = plan_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, MAX_TITLE)
    for field, value in (("period_start", period_start), ("period_end", period_end)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors[field] = [_("Give a date (YYYY-MM-DD).")]
        else:
            problem = date_problem(value, today=today)
            if problem:
                errors[field] = [problem]
    if not errors.keys() & {"period_start", "period_end"} and period_end < period_start:
        errors["period_end"] = [_("The period ends before it starts.")]
    if sheet is None:
        errors["sheet"] = [_("Choose a scoring sheet.")]
    elif "period_end" not in errors and not (
        sheet.valid_from <= period_end and (sheet.valid_to is None or sheet.valid_to >= period_end)
    ):
        errors["sheet"] = [
            _("This version of the sheet is not valid on %(day)s, the period's last day.")
            % {"day": period_end}
        ]
    allowed = set(plannable_organs(user).values_list("pk", flat=True))
    if not samples:
        errors["organs"] = [_("Choose at least one organ.")]
    elif len(samples) > MAX_ORGANS:
        errors["organs"] = [_("At most %(n)s organs.") % {"n": MAX_ORGANS}]
    seen: set[int] = set()
    for sample in samples:
        if sample.organ.pk not in allowed:
            errors.setdefault("organs", []).append(
                _("%(organ)s is not an organ of your region.") % {"organ": sample.organ}
            )
        if sample.organ.pk in seen:
            errors.setdefault("organs", []).append(
                _("%(organ)s is chosen twice.") % {"organ": sample.organ}
            )
        seen.add(sample.organ.pk)
        if (sample.size is None) == (sample.rate is None):
            errors.setdefault("sample", []).append(
                _("%(organ)s: give either a sample size or a rate.") % {"organ": sample.organ}
            )
        elif sample.size is not None and not 1 <= sample.size <= 10_000:
            errors.setdefault("sample", []).append(
                _("%(organ)s: the sample size is from 1 to 10000.") % {"organ": sample.organ}
            )
        elif sample.rate is not None and not 1 <= sample.rate <= 100:
            errors.setdefault("sample", []).append(
                _("%(organ)s: the rate is a whole percent from 1 to 100.") % {"organ": sample.organ}
            )
    if errors or sheet is None:
        raise ValidationError(errors)
    bureau = issuing_bureau(user)
    with transaction.atomic():
        now = timezone.now()
        campaign = Campaign.objects.create(
            region_id=user.region_id,
            bureau=bureau,
            number=_number(bureau, timezone.localdate(now).year),
            title=title,
            sheet=sheet,
            period_start=period_start,
            period_end=period_end,
            planned_by=user,
            planned_at=now,
        )
        ordered = sorted(samples, key=lambda s: (s.organ.region.path, s.organ.name, s.organ.pk))
        Roster.objects.bulk_create(
            Roster(
                campaign=campaign,
                organ=s.organ,
                position=position,
                sample_size=s.size,
                sample_rate=s.rate,
            )
            for position, s in enumerate(ordered, start=1)
        )
        record_change(
            user,
            bureau,
            PLAN_ACTION,
            campaign,
            {
                "number": campaign.number,
                "status": campaign.status,
                "sheet": sheet.pk if sheet else None,
                "period_start": period_start.isoformat(),
                "period_end": period_end.isoformat(),
                "organs": [[s.organ.pk, s.size, s.rate] for s in ordered],
            },
        )
    return campaign


# --- publish ----------------------------------------------------------------------------------


def roster_entries(organ_id: int, start: dt.date, end: dt.date) -> list[draw.Entry]:
    """The organ's case files closed in ``[start, end]``: one query."""
    closed = CaseStep.objects.filter(
        step="closed", on__gte=start, on__lte=end, case__organ_id=organ_id
    ).values("case_id")
    rows = Case.objects.filter(organ_id=organ_id, pk__in=closed).values_list(
        "case_id", "registration_number"
    )
    return [draw.Entry(file_id, number or "") for file_id, number in rows]


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("bureau").get(pk=campaign.pk)


def publish_campaign(user: Any, campaign: Campaign, *, today: dt.date) -> Campaign:
    """Fix and publish the rosters and the method (before any draw)."""
    from django.core.exceptions import PermissionDenied

    if not may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region publishes it."))
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != CampaignStatus.PLANNED:
            raise CampaignStateError(_("The rosters of this campaign are already published."))
        if campaign.period_end > today:
            raise CampaignStateError(
                {"period_end": [_("The period has not ended yet: publish after it ends.")]}
            )
        rosters = list(campaign.rosters.order_by("position"))
        for roster in rosters:
            try:
                text = draw.roster_text(
                    roster_entries(roster.organ_id, campaign.period_start, campaign.period_end)
                )
            except draw.DrawError as exc:
                raise CampaignStateError(str(exc)) from exc
            roster.text = text
            roster.sha256 = draw.sha256_hex(text)
            roster.size = text.count("\n")
            roster.save(update_fields=["text", "sha256", "size"])
        now = timezone.now()
        campaign.status = CampaignStatus.PUBLISHED
        campaign.method = METHOD
        campaign.published_at = now
        campaign.published_on = timezone.localdate(now)
        campaign.published_by = user
        campaign.save(
            update_fields=["status", "method", "published_at", "published_on", "published_by"]
        )
        record_change(
            user,
            campaign.bureau,
            PUBLISH_ACTION,
            campaign,
            {
                "status": campaign.status,
                "method_sha256": draw.sha256_hex(METHOD),
                "rosters": [[r.position, r.organ_id, r.size, r.sha256] for r in rosters],
            },
        )
    return campaign


# --- draw -------------------------------------------------------------------------------------


def draw_campaign(
    user: Any,
    campaign: Campaign,
    *,
    beacon_value: Any,
    beacon_reference: Any,
    beacon_on: Any,
    today: dt.date,
) -> Campaign:
    """Draw the sample, once, after publication."""
    from django.core.exceptions import PermissionDenied

    if not may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region draws its sample."))
    errors: dict[str, list[str]] = {}
    value = _text(errors, "beacon_value", beacon_value, MAX_BEACON)
    value = draw.canonical_beacon(unicodedata.normalize("NFC", value))
    if "beacon_value" not in errors and any(c in value for c in "\t\r\n"):
        errors["beacon_value"] = [_("Give the value on one line.")]
    reference = _text(errors, "beacon_reference", beacon_reference, MAX_BEACON)
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status == CampaignStatus.PLANNED:
            raise CampaignStateError(
                _("Publish the rosters first: the draw comes after their publication.")
            )
        if campaign.status in (CampaignStatus.DRAWN, CampaignStatus.RESULTS_PUBLISHED):
            raise CampaignStateError(_("The sample of this campaign is already drawn."))
        if not isinstance(beacon_on, dt.date) or isinstance(beacon_on, dt.datetime):
            errors["beacon_on"] = [_("Give a date (YYYY-MM-DD).")]
        elif campaign.published_on and beacon_on < campaign.published_on:
            errors["beacon_on"] = [
                _(
                    "The value must become known after the rosters were published "
                    "(%(day)s): a value known before is refused."
                )
                % {"day": campaign.published_on}
            ]
        elif beacon_on > today:
            errors["beacon_on"] = [_("The day cannot be after today.")]
        if errors:
            raise ValidationError(errors)
        rosters = list(campaign.rosters.order_by("position"))
        seed = draw.seed([r.sha256 for r in rosters], value)
        drawn: list[DrawnFile] = []
        for roster in rosters:
            entries = draw.parse_roster(roster.text)
            count = draw.sample_size(len(entries), roster.sample_size, roster.sample_rate)
            selected = draw.select(seed, entries, count)
            cases = dict(
                Case.objects.filter(
                    organ_id=roster.organ_id, case_id__in=[d.file_id for d in selected]
                ).values_list("case_id", "pk")
            )
            drawn.extend(
                DrawnFile(
                    roster=roster,
                    case_id=cases.get(d.file_id),
                    file_id=d.file_id,
                    case_number=d.case_number,
                    rank=d.rank,
                    ticket=d.ticket,
                )
                for d in selected
            )
        DrawnFile.objects.bulk_create(drawn)
        campaign.status = CampaignStatus.DRAWN
        campaign.beacon_value = value
        campaign.beacon_reference = reference
        campaign.beacon_on = beacon_on
        campaign.seed = seed
        campaign.drawn_at = timezone.now()
        campaign.drawn_by = user
        campaign.save(
            update_fields=[
                "status",
                "beacon_value",
                "beacon_reference",
                "beacon_on",
                "seed",
                "drawn_at",
                "drawn_by",
            ]
        )
        record_change(
            user,
            campaign.bureau,
            DRAW_ACTION,
            campaign,
            {
                "status": campaign.status,
                "seed": seed,
                "beacon_value": value,
                "beacon_reference": reference,
                "beacon_on": beacon_on.isoformat(),
                "drawn": [[d.roster.position, d.file_id] for d in drawn],
            },
        )
    return campaign


# --- the published inputs, and their check -----------------------------------------------------


def published_inputs(campaign: Campaign) -> dict[str, Any]:
    """What the portal publishes of a campaign (JSON): enough to re-run the draw."""
    rosters = list(campaign.rosters.select_related("organ").order_by("position"))
    drawn = DrawnFile.objects.filter(roster__campaign=campaign).order_by("roster__position", "rank")
    by_roster: dict[int, list[str]] = {}
    for d in drawn:
        by_roster.setdefault(d.roster_id, []).append(d.file_id)
    return {
        "format": "zhifa-evaluation-draw/1",
        "campaign": campaign.number,
        "title": campaign.title,
        "period": [campaign.period_start.isoformat(), campaign.period_end.isoformat()],
        "method": campaign.method,
        "published_at": campaign.published_at.isoformat() if campaign.published_at else None,
        "beacon": {
            "value": campaign.beacon_value,
            "reference": campaign.beacon_reference,
            "known_on": campaign.beacon_on.isoformat() if campaign.beacon_on else None,
        },
        "seed": campaign.seed,
        "rosters": [
            {
                "position": r.position,
                "organ": r.organ.name,
                "sample_size": r.sample_size,
                "sample_rate": r.sample_rate,
                "sha256": r.sha256,
                "roster": r.text,
                "drawn": by_roster.get(r.pk, []),
            }
            for r in rosters
        ],
    }


def verify_inputs(document: Any) -> list[str]:
    """Re-run the draw from a published document; the mismatches (empty: it matches).
    ``draw.DrawError`` / ``KeyError`` / ``TypeError`` for a document that is not one."""
    problems: list[str] = []
    rosters = sorted(document["rosters"], key=lambda r: r["position"])
    if [r["position"] for r in rosters] != list(range(1, len(rosters) + 1)):
        raise draw.DrawError("the roster positions are not 1…n")
    parsed: dict[int, list[draw.Entry]] = {}
    for r in rosters:
        digest = draw.sha256_hex(r["roster"])
        if digest != r["sha256"]:
            problems.append(
                f"roster {r['position']} ({r['organ']}): its text hashes to {digest}, "
                f"the published hash is {r['sha256']}"
            )
        try:
            parsed[r["position"]] = draw.parse_roster(r["roster"])
        except draw.DrawError as exc:
            problems.append(f"roster {r['position']} ({r['organ']}): {exc}")
    value = document["beacon"]["value"]
    if not value:
        raise draw.DrawError("the campaign has not been drawn: no public value")
    seed = draw.seed([r["sha256"] for r in rosters], value)
    if seed != document["seed"]:
        problems.append(f"seed: recomputed {seed}, published {document['seed']}")
    for r in rosters:
        entries = parsed.get(r["position"])
        if entries is None:
            continue
        count = draw.sample_size(len(entries), r["sample_size"], r["sample_rate"])
        expected = [d.file_id for d in draw.select(seed, entries, count)]
        if expected != list(r["drawn"]):
            problems.append(
                f"roster {r['position']} ({r['organ']}): recomputed {expected}, "
                f"published {list(r['drawn'])}"
            )
    return problems

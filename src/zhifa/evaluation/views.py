"""The supervisor's campaign pages (plan, publish, draw) and the scoring sheets. Every
view asks ``campaigns``' policy: outside it a campaign is not found (404), an act the
user may not take is forbidden (403); bad input is an error at its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.core.validation import parse_id
from zhifa.supervision.forms import add_service_errors

from . import campaigns, scoring
from .campaigns import OrganSample
from .forms import CampaignForm, DrawForm, SampleMode
from .models import CampaignStatus, DrawnFile, ItemKind, ScoringSheet

PAGE_SIZE = 50


def _may_list(user: Any) -> None:
    if getattr(user, "role", None) not in (Role.SUPERVISOR, *ORGAN_ROLES):
        raise PermissionDenied(_("Case-file evaluation is for supervisors and organs."))


@login_required
@require_http_methods(["GET", "HEAD"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    found = campaigns.visible(user).select_related("bureau", "sheet").distinct()
    page = Paginator(found.order_by("-planned_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluation/campaign_list.html",
        {
            "page": page,
            "may_plan": campaigns.may_plan(user),
            "refusal": campaigns.plan_refusal(user),
            "assigned": scoring.assigned_to(user).order_by("-pk")[:100],
        },
    )


def _form(user: Any, data: Any = None) -> CampaignForm:
    return CampaignForm(
        data,
        organs=campaigns.plannable_organs(user),
        sheets=ScoringSheet.objects.order_by("code", "-valid_from"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    refusal = campaigns.plan_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    form = _form(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rate = data["mode"] == SampleMode.RATE
        samples = [
            OrganSample(
                o, size=None if rate else data["amount"], rate=data["amount"] if rate else None
            )
            for o in data["organs"]
        ]
        try:
            campaign = campaigns.plan_campaign(
                user,
                title=data["title"],
                sheet=data["sheet"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                samples=samples,
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaign %(n)s planned.") % {"n": campaign.number})
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/campaign_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    campaign = campaigns.get_visible_or_404(user, pk)
    return _detail(request, campaign, DrawForm(initial={"beacon_on": timezone.localdate()}))


def _detail(request: HttpRequest, campaign: Any, draw_form: DrawForm) -> HttpResponse:
    user: Any = request.user
    rosters = list(campaign.rosters.select_related("organ").order_by("position"))
    if user.role in ORGAN_ROLES:
        rosters = [r for r in rosters if r.organ_id == user.organ_id]
    drawn = (
        DrawnFile.objects.filter(roster__in=rosters)
        .select_related("roster__organ")
        .order_by("roster__position", "rank")
    )
    manage = campaigns.may_manage(user, campaign)
    drawn = drawn.select_related("assignment__evaluator", "score")
    rows = [
        {
            "d": d,
            "evaluators": scoring.candidate_evaluators(campaign, d) if manage else None,
        }
        for d in drawn
    ]
    return render(
        request,
        "evaluation/campaign_detail.html",
        {
            **_scoring_context(user, campaign),
            "rows": rows,
            "manage": manage,
            "may_publish_results": manage and campaign.status == CampaignStatus.DRAWN,
            "may_assign": manage and campaign.status == CampaignStatus.DRAWN,
            "campaign": campaign,
            "rosters": rosters,
            "drawn": drawn,
            "may_publish": manage and campaign.status == CampaignStatus.PLANNED,
            "may_draw": manage and campaign.status == CampaignStatus.PUBLISHED,
            "draw_form": draw_form,
        },
    )


@login_required
@require_POST
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    campaign = campaigns.get_visible_or_404(user, pk)
    if not campaigns.may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region publishes it."))
    try:
        campaigns.publish_campaign(user, campaign, today=timezone.localdate())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The rosters and the method are published."))
    return redirect("evaluation:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    campaign = campaigns.get_visible_or_404(user, pk)
    if not campaigns.may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region draws its sample."))
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            campaigns.draw_campaign(
                user,
                campaign,
                beacon_value=form.cleaned_data["beacon_value"],
                beacon_reference=form.cleaned_data["beacon_reference"],
                beacon_on=form.cleaned_data["beacon_on"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sample is drawn and published."))
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
    response = _detail(request, campaigns.get_visible_or_404(user, pk), form)
    response.status_code = 400
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def sheet_list(request: HttpRequest) -> HttpResponse:
    _may_list(request.user)
    return render(
        request,
        "evaluation/sheet_list.html",
        {"sheets": ScoringSheet.objects.order_by("code", "-valid_from")},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_list(request.user)
    sheet = ScoringSheet.objects.filter(pk=pk).first()
    if sheet is None:
        raise Http404
    items = list(sheet.items.all())
    return render(
        request,
        "evaluation/sheet_detail.html",
        {
            "sheet": sheet,
            "vetoes": [i for i in items if i.kind == ItemKind.VETO],
            "form_items": [i for i in items if i.kind == ItemKind.FORM],
            "substance_items": [i for i in items if i.kind == ItemKind.SUBSTANCE],
            "form_total": sum(i.points for i in items if i.kind == ItemKind.FORM),
            "substance_total": sum(i.points for i in items if i.kind == ItemKind.SUBSTANCE),
        },
    )


# --- scoring ----------------------------------------------------------------------------------


def _scoring_context(user: Any, campaign: Any) -> dict[str, Any]:
    from zhifa.registry.models import EnforcementSubject

    from .forms import RectificationForm
    from .models import Rectification

    organs = EnforcementSubject.objects.filter(
        pk__in=campaign.rosters.values_list("organ_id", flat=True)
    )
    rectifications = Rectification.objects.filter(campaign=campaign).select_related(
        "organ", "notice"
    )
    # An organ's users see their own organ's results, never another's (the portal shows
    # them all once the supervisor publishes them).
    own = user.organ_id if user.role in ORGAN_ROLES else None
    if own is not None:
        rectifications = rectifications.filter(organ_id=own)
    return {
        "results": scoring.organ_results(campaign, organ=own),
        "problems": scoring.common_problems(campaign, organ=own),
        "rectifications": rectifications,
        "rectification_form": RectificationForm(organs=organs),
    }


@login_required
@require_POST
def assign_evaluator(request: HttpRequest, pk: int) -> HttpResponse:
    from .forms import AssignForm

    user: Any = request.user
    _may_list(user)
    drawn = scoring.get_for_user_or_404(user, pk)
    campaign = drawn.roster.campaign
    if not campaigns.may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region assigns evaluators."))
    form = AssignForm(request.POST, evaluators=scoring.candidate_evaluators(campaign, drawn))
    from zhifa.accounts.models import User

    if not form.is_valid():
        # A user outside the candidates: say why, naming the field.
        chosen_pk = parse_id(request.POST.get("evaluator"))
        chosen = User.objects.filter(pk=chosen_pk).first() if chosen_pk else None
        reason = (
            scoring.evaluator_refusal(campaign, drawn, chosen)
            if chosen
            else _("Choose an evaluator.")
        )
        messages.error(request, _("Evaluator: %(reason)s") % {"reason": reason})
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    try:
        scoring.assign(user, drawn, form.cleaned_data["evaluator"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, _("Evaluator: %(reason)s") % {"reason": message})
    else:
        messages.success(request, _("Evaluator assigned."))
    return redirect("evaluation:campaign_detail", pk=campaign.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def score_file(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    drawn = scoring.get_for_user_or_404(user, pk)
    filled = scoring.prefill(drawn)
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        if not scoring.may_score(user, drawn):
            raise PermissionDenied(_("Only the evaluator assigned to the file scores it, once."))
        posted = {
            k: str(request.POST.get(k, ""))
            for k in request.POST
            if k.startswith(("faults_", "note_"))
        }
        faults = {p.item.pk: request.POST.get(f"faults_{p.item.pk}", p.faults) for p in filled}
        notes = {p.item.pk: request.POST.get(f"note_{p.item.pk}", "") for p in filled}
        try:
            scoring.score_file(user, drawn, faults=faults, notes=notes)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            messages.success(request, _("The file is scored."))
            return redirect("evaluation:score_file", pk=drawn.pk)
    rows = [
        {
            "p": p,
            "faults": posted.get(f"faults_{p.item.pk}", p.faults),
            "note": posted.get(f"note_{p.item.pk}", ""),
            "errors": errors.get(f"faults_{p.item.pk}", []) + errors.get(f"note_{p.item.pk}", []),
        }
        for p in filled
    ]
    score = getattr(drawn, "score", None) if hasattr(drawn, "score") else None
    matters: Any = []
    if score is not None and score.total == 0 and drawn.case_id is not None:
        # The accountability matter the score opened, for whom may see it.
        from zhifa.accountability import policy as accountability_policy
        from zhifa.accountability.models import Ground, Matter

        matters = accountability_policy.visible(
            user, Matter.objects.filter(case_id=drawn.case_id, ground=Ground.EVALUATION)
        )
    response = render(
        request,
        "evaluation/score_file.html",
        {
            "drawn": drawn,
            "campaign": drawn.roster.campaign,
            "rows": rows,
            "score": score,
            "matters": matters,
            "scored_items": list(score.items.select_related("item")) if score else [],
            "may_score": scoring.may_score(user, drawn),
            "errors": errors,
        },
    )
    if errors:
        response.status_code = 400
    return response


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    from zhifa.registry.models import EnforcementSubject

    from .forms import RectificationForm

    user: Any = request.user
    _may_list(user)
    campaign = campaigns.get_visible_or_404(user, pk)
    if not campaigns.may_manage(user, campaign):
        raise PermissionDenied(
            _("Only a supervisor of the campaign's region requires rectification.")
        )
    organs = EnforcementSubject.objects.filter(
        pk__in=campaign.rosters.values_list("organ_id", flat=True)
    )
    form = RectificationForm(request.POST, organs=organs)
    if form.is_valid():
        try:
            scoring.require_rectification(
                user,
                campaign,
                form.cleaned_data["organ"],
                findings=form.cleaned_data["findings"],
                rectification=form.cleaned_data["rectification"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rectification requirement is issued."))
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
    for field, errs in form.errors.items():
        for e in errs:
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}: {e}"
            )
    return redirect("evaluation:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def publish_results(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    campaign = campaigns.get_visible_or_404(user, pk)
    if not campaigns.may_manage(user, campaign):
        raise PermissionDenied(_("Only a supervisor of the campaign's region publishes results."))
    try:
        scoring.publish_results(user, campaign)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The results are published on the portal."))
    return redirect("evaluation:campaign_detail", pk=campaign.pk)

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
from zhifa.supervision.forms import add_service_errors

from . import campaigns
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
    return render(request, "evaluation/campaign_form.html", {"form": form})


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
    return render(
        request,
        "evaluation/campaign_detail.html",
        {
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

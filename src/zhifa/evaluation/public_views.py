"""The public pages of case-file evaluation: the published campaigns, each with its
method, roster hashes, downloadable rosters, the public value and its source, the seed
and the files drawn, and the same as JSON for ``zhifa evaluation verify-draw --file``.
Only published campaigns exist here; the rosters hold file ids and case numbers, no
party data."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.portal.views import public_page

from . import scoring
from .campaigns import published_inputs
from .models import Campaign, CampaignStatus, DrawnFile, Roster

PUBLIC = (CampaignStatus.PUBLISHED, CampaignStatus.DRAWN, CampaignStatus.RESULTS_PUBLISHED)


def _published(pk: int) -> Campaign:
    found = (
        Campaign.objects.filter(pk=pk, status__in=PUBLIC)
        .select_related("bureau", "region", "sheet")
        .first()
    )
    if found is None:
        raise Http404
    return found


@public_page
def campaign_list(request: HttpRequest) -> HttpResponse:
    found = list(
        Campaign.objects.filter(status__in=PUBLIC)
        .select_related("bureau")
        .order_by("-published_at", "-pk")[:200]
    )
    response = render(request, "evaluation/public_list.html", {"campaigns": found})
    response.last_changed = max(  # type: ignore[attr-defined]
        (c.drawn_at or c.published_at for c in found if c.published_at), default=None
    )
    return response


@public_page
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _published(pk)
    rosters = list(campaign.rosters.select_related("organ").order_by("position"))
    drawn = (
        DrawnFile.objects.filter(roster__campaign=campaign)
        .select_related("roster__organ")
        .order_by("roster__position", "rank")
    )
    response = render(
        request,
        "evaluation/public_campaign.html",
        {
            "campaign": campaign,
            "rosters": rosters,
            "drawn": drawn,
            "last_changed": campaign.results_published_at
            or campaign.drawn_at
            or campaign.published_at,
            "results": scoring.organ_results(campaign)
            if campaign.status == CampaignStatus.RESULTS_PUBLISHED
            else None,
            "problems": scoring.common_problems(campaign)
            if campaign.status == CampaignStatus.RESULTS_PUBLISHED
            else None,
        },
    )
    response.last_changed = (  # type: ignore[attr-defined]
        campaign.results_published_at or campaign.drawn_at or campaign.published_at
    )
    return response


@public_page
def campaign_json(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _published(pk)
    body = json.dumps(published_inputs(campaign), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{campaign.pk}.json"'
    return response


@public_page
def roster_text(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    campaign = _published(pk)
    roster = Roster.objects.filter(campaign=campaign, position=position).first()
    if roster is None:
        raise Http404
    response = HttpResponse(roster.text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{campaign.pk}-roster-{position}.txt"'
    )
    return response

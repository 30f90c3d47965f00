"""Registry pages: organs and regions, always narrowed by the scope layer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from pydantic import ValidationError

from zhifa.core.scope import get_scoped_or_404, visible_organs, visible_regions

from .filters import OrganFilter
from .models import EnforcementSubject, SubjectType

PAGE_SIZE = 50


@login_required
def organ_list(request: HttpRequest) -> HttpResponse:
    params = {k: v for k, v in request.GET.items() if k in OrganFilter.model_fields and v}
    filter_errors: list[str] = []
    try:
        filters = OrganFilter(**params)
    except ValidationError as exc:
        filter_errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        filters = OrganFilter()
    organs = filters.filter(visible_organs(request.user)).select_related("region", "parent")
    page = Paginator(organs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/organ_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "subject_types": SubjectType.choices,
        },
    )


@login_required
def organ_detail(request: HttpRequest, organ_id: int) -> HttpResponse:
    organ = get_scoped_or_404(
        request.user,
        EnforcementSubject.objects.select_related("region", "parent"),
        organ_field="",
        pk=organ_id,
    )
    users = organ.users.filter(is_active=True).order_by("role", "username")
    children = organ.children.select_related("region")
    return render(
        request,
        "registry/organ_detail.html",
        {"organ": organ, "users": users, "children": children},
    )


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    regions = visible_regions(request.user).select_related("parent")
    q = request.GET.get("q", "").strip()
    if q:
        regions = regions.filter(name__contains=q) | regions.filter(code__startswith=q)
    page = Paginator(regions.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/region_list.html", {"page": page, "q": q})

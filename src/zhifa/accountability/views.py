"""The accountability pages (NA-interference; JL 七, CQ 六(三)): the matters a user may
see, one matter with its trace-back and interference records, the supervisor's forms
to open one by hand and to conclude one; and the portal's public list and page of the
concluded matters. Every view asks ``policy``; what a user may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import Role
from zhifa.cases.models import Case
from zhifa.complaints import policy as complaint_policy
from zhifa.complaints.models import Complaint
from zhifa.core.scope import require_role, scoped
from zhifa.core.validation import parse_id
from zhifa.portal.queries import public_organs
from zhifa.portal.views import public_page
from zhifa.rules.engine.accountability import (
    BY_CODE,
    DEFENCE_CITATION,
    PUBLICATION_CITATION,
    RULE,
    RULE_TEXT,
    WRONG_REMEDY_RESULTS,
)

from . import extensions, policy, services
from .forms import ConcludeForm, OpenForm
from .models import Matter, MatterStatus
from .trace import STAGE_LABELS, interferences, responsible_persons, trace_back

PAGE_SIZE = 50


def measures_shown(codes: list[str], lang: str) -> list[tuple[str, str]]:
    return [(BY_CODE[m].text.get(lang), BY_CODE[m].citation) for m in codes if m in BY_CODE]


def _lang(request: HttpRequest) -> str:
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh"


def _rule(request: HttpRequest) -> dict[str, Any]:
    return {
        "rule": RULE,
        "rule_text": RULE_TEXT.get(_lang(request)),
        "publication_citation": PUBLICATION_CITATION,
        "defence_citation": DEFENCE_CITATION,
    }


def _add_errors(form: Any, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    for key, errors in exc.message_dict.items():
        key = aliases.get(key, key)
        for message in errors:
            form.add_error(key if key in form.fields else None, message)


def _id(raw: str) -> int:
    pk = parse_id(raw, canonical=True)
    if pk is None:
        raise Http404
    return pk


@login_required
@require_http_methods(["GET", "HEAD"])
def matter_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR, Role.ORGAN_HEAD)  # type: ignore[arg-type]
    found = policy.visible(request.user).select_related("organ", "case").order_by("-opened_at")
    status = request.GET.get("status", "")
    status_error = ""
    if status and status not in MatterStatus.values:
        status_error = _("status: choose open or concluded.")
    elif status:
        found = found.filter(status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/matter_list.html",
        {
            "page": page,
            "matters": page.object_list,
            "status": status,
            "status_error": status_error,
            "statuses": MatterStatus.choices,
            "may_open": request.user.role == Role.SUPERVISOR,  # type: ignore[union-attr]
            **_rule(request),
        },
    )


def _detail_context(request: HttpRequest, matter: Matter, form: Any = None) -> dict[str, Any]:
    rows = trace_back(matter.case)
    persons = responsible_persons(rows)
    may_conclude = policy.may_conclude(request.user, matter)
    if may_conclude and form is None:
        form = ConcludeForm(persons=persons, lang=_lang(request))
    lang = _lang(request)
    return {
        "matter": matter,
        "rows": rows,
        "stage_labels": STAGE_LABELS,
        "interferences": interferences(request.user, matter.case),
        "sees_complaint": policy.sees_complaint(request.user, matter),
        "extra_links": extensions.matter_links(request.user, matter),
        "form": form if may_conclude else None,
        "stages_found": [STAGE_LABELS[s] for s in matter.stages if s in STAGE_LABELS],
        "measures_found": [
            (BY_CODE[m].text.get(lang), BY_CODE[m].citation)
            for m in matter.measures
            if m in BY_CODE
        ],
        **_rule(request),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def matter_detail(request: HttpRequest, pk: str) -> HttpResponse:
    matter = policy.get_visible_or_404(request.user, _id(pk))
    return render(request, "accountability/matter_detail.html", _detail_context(request, matter))


@login_required
@require_POST
def matter_conclude(request: HttpRequest, pk: str) -> HttpResponse:
    matter = policy.get_visible_or_404(request.user, _id(pk))
    policy.require_may_conclude(request.user, matter)
    persons = responsible_persons(trace_back(matter.case))
    form = ConcludeForm(request.POST, persons=persons, lang=_lang(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conclude_matter(
                matter,
                actor=request.user,
                substantiated=data["substantiated"],
                stages=data["stages"],
                persons=data["persons"],
                measures=data["measures"],
                finding=data["finding"],
                measure_note=data["measure_note"],
                public_summary=data["public_summary"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The matter is concluded and published."))
            return redirect("accountability:detail", matter.pk)
    context = _detail_context(request, matter, form)
    return render(request, "accountability/matter_detail.html", context, status=400)


def _find_case(user: Any, number: str) -> Case | None:
    return (
        scoped(user, Case.objects.select_related("organ__region"))
        .filter(Q(registration_number=number) | Q(case_id=number))
        .first()
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def matter_open(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR)  # type: ignore[arg-type]
    form = OpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = _find_case(request.user, data["case"].strip())
        if case is None:
            form.add_error("case", _("No case with this number in your region."))
        else:
            complaint = None
            if data["complaint"]:
                complaint = (
                    complaint_policy.visible(request.user, Complaint.objects.all())
                    .filter(number=data["complaint"].strip())
                    .first()
                )
            remedy = (
                case.steps.filter(
                    step="remedy_filed", data__result__in=sorted(WRONG_REMEDY_RESULTS)
                )
                .order_by("index")
                .first()
            )
            try:
                matter, created = services.open_matter(
                    case,
                    ground=data["ground"],
                    actor=request.user,
                    reasons=data["reasons"],
                    remedy_step=remedy,
                    complaint=complaint,
                    evaluation_ref=data["evaluation_ref"],
                )
            except ValidationError as exc:
                _add_errors(form, exc, {"remedy_step": "ground"})
            else:
                if created:
                    messages.success(request, _("The accountability matter is opened."))
                else:
                    messages.info(request, _("This case already has a matter on this ground."))
                return redirect("accountability:detail", matter.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accountability/matter_open.html", {"form": form, **_rule(request)}, status=status
    )


# --- the portal -------------------------------------------------------------------------


def published() -> Any:
    """The matters the portal shows: concluded, of a public organ (CQ 六(三))."""
    return Matter.objects.filter(
        status=MatterStatus.CONCLUDED, organ__in=public_organs()
    ).select_related("organ", "case")


def masked(name: str) -> str:
    """An officer's name as the portal shows it: the seeds do not require naming the
    officers held liable, so only the family name's first character and 某."""
    return f"{name[:1]}某" if name else ""


def _public_row(matter: Matter, lang: str) -> dict[str, Any]:
    return {
        "pk": matter.pk,
        "organ": matter.organ.name,
        "case_number": matter.case.number,
        "ground": matter.get_ground_display(),
        "substantiated": matter.substantiated,
        "stages": [STAGE_LABELS[s] for s in matter.stages if s in STAGE_LABELS],
        "persons": [masked(str(p.get("name", ""))) for p in matter.persons],
        "measures": [
            (BY_CODE[m].text.get(lang), BY_CODE[m].citation)
            for m in matter.measures
            if m in BY_CODE
        ],
        "summary": matter.public_summary,
        "concluded_on": matter.concluded_on,
    }


@public_page
def public_list(request: HttpRequest) -> HttpResponse:
    found = (
        published()
        .only(
            "pk",
            "organ__name",
            "case__registration_number",
            "case__case_id",
            "ground",
            "substantiated",
            "stages",
            "persons",
            "measures",
            "public_summary",
            "concluded_on",
        )
        .order_by("-concluded_on", "-pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    lang = _lang(request)
    latest = published().order_by("-concluded_on").values_list("concluded_on", flat=True).first()
    response = render(
        request,
        "accountability/public_list.html",
        {
            "page": page,
            "rows": [_public_row(m, lang) for m in page.object_list],
            "last_changed": latest,
            **_rule(request),
        },
    )
    response.last_changed = latest  # type: ignore[attr-defined]
    return response


@public_page
def public_detail(request: HttpRequest, pk: str) -> HttpResponse:
    matter = published().filter(pk=_id(pk)).first()
    if matter is None:
        raise Http404
    response = render(
        request,
        "accountability/public_detail.html",
        {
            "row": _public_row(matter, _lang(request)),
            "last_changed": matter.concluded_on,
            **_rule(request),
        },
    )
    response.last_changed = matter.concluded_on  # type: ignore[attr-defined]
    return response

"""The interference pages (NA-interference): the list of the records a user may see,
one record with its acknowledgements, the form an officer of a case records one with,
and the attachment's download. Every view asks ``policy``; what a user may not see is
answered 404."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.core.scope import get_scoped_or_404, visible_organs, visible_regions
from zhifa.core.validation import parse_id
from zhifa.records import evidence_files
from zhifa.rules.engine import RULES
from zhifa.rules.engine.audit import deadline_note
from zhifa.rules.engine.interference import INTERFERENCE, INTERNAL_SOURCES, RULE_TEXT
from zhifa.rules.engine.supervision import SUP_WARNING
from zhifa.rules.engine.warning_models import BY_KEY
from zhifa.rules.engine.warning_models import MODELS as WARNING_MODELS
from zhifa.rules.labels import DEADLINE_LABELS, deadline_label

from . import policy, services, warnings
from .forms import AcknowledgeForm, InterferenceForm, add_service_errors
from .models import Interference

PAGE_SIZE = 50
#: What a rule ID looks like (legal-rules.md: letters, digits and hyphens).
RULE_ID_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def rule_context(request: HttpRequest) -> dict[str, Any]:
    lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh"
    return {"rule": INTERFERENCE, "rule_text": RULE_TEXT.get(lang)}


def _year(request: HttpRequest) -> tuple[int | None, str]:
    raw = request.GET.get("year", "")
    if not raw:
        return None, ""
    year = parse_id(raw, canonical=True)
    latest = timezone.localdate().year
    if year is None or not 1949 <= year <= latest:
        return None, _("year: give a year from 1949 to %(latest)s.") % {"latest": latest}
    return year, ""


@login_required
@require_http_methods(["GET", "HEAD"])
def interference_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    records = policy.visible(user).select_related(
        "organ__region", "case", "recorded_by", "corrected_by"
    )
    year, error = _year(request)
    if year is not None:
        records = records.filter(occurred_at__year=year)
    case = _case_filter(request, user)
    if case is not None:
        records = records.filter(case=case)
    rows = list(records.order_by("-occurred_at", "-pk")[:5000])
    # Who acknowledged each record, by capacity (the head's, the supervisors').
    acks: dict[int, dict[str, list[str]]] = {}
    mine: set[int] = set()
    for ack in services.Acknowledgement.objects.filter(
        interference_id__in=[r.pk for r in rows]
    ).select_related("actor"):
        names = acks.setdefault(ack.interference_id, {}).setdefault(ack.role, [])
        names.append(ack.actor.get_full_name() or ack.actor.get_username())
        if ack.actor_id == user.pk:
            mine.add(ack.interference_id)
    current = [r for r in rows if not hasattr_corrected(r)]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/interference_list.html",
        {
            **rule_context(request),
            "page": page,
            "rows": [
                {
                    "record": r,
                    "corrected": hasattr_corrected(r),
                    "by_head": acks.get(r.pk, {}).get("organ_head", []),
                    "by_supervisor": acks.get(r.pk, {}).get("supervisor", []),
                    "to_acknowledge": r.pk not in mine
                    and policy.acknowledger_role(user, r) is not None
                    and not hasattr_corrected(r),
                }
                for r in page.object_list
            ],
            "year": year or "",
            "year_error": error,
            "case": case,
            "total": len(current),
            "internal": sum(1 for r in current if r.source in INTERNAL_SOURCES),
            "waiting": sum(
                1
                for r in current
                if r.pk not in mine and policy.acknowledger_role(user, r) is not None
            ),
        },
    )


def _case_filter(request: HttpRequest, user: Any) -> Case | None:
    """The case the list is narrowed to (``?case=<id>``, from the case page), within the
    user's scope (a case outside it, or a malformed id, is not found); the records shown
    are still only the ones the user may see."""
    raw = request.GET.get("case", "")
    if not raw:
        return None
    found = parse_id(raw, canonical=True)
    if found is None:
        raise Http404
    return get_scoped_or_404(user, Case.objects.all(), pk=found)


def hasattr_corrected(record: Interference) -> bool:
    try:
        record.corrected_by  # noqa: B018 - the reverse one-to-one
    except Interference.DoesNotExist:
        return False
    return True


@login_required
@require_http_methods(["GET", "HEAD"])
def interference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = policy.get_visible_or_404(request.user, pk)
    return _detail(request, record, AcknowledgeForm())


def _detail(
    request: HttpRequest, record: Interference, form: AcknowledgeForm, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    acknowledgements = list(record.acknowledgements.all())
    can_acknowledge = policy.acknowledger_role(user, record) is not None and not any(
        a.actor_id == user.pk for a in acknowledgements
    )
    corrected_by = Interference.objects.filter(corrects=record).first()
    return render(
        request,
        "supervision/interference_detail.html",
        {
            **rule_context(request),
            "record": record,
            "intact": services.is_intact(record),
            "acknowledgements": acknowledgements,
            "can_acknowledge": can_acknowledge,
            "can_correct": policy.may_correct(user, record)
            and policy.may_record(user, record.case),
            "corrected_by": corrected_by
            if corrected_by is not None and policy.may_see(user, corrected_by)
            else None,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def interference_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    record = policy.get_visible_or_404(request.user, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge(record, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record is acknowledged."))
            return redirect("supervision:interference_detail", pk=record.pk)
    return _detail(request, record, form, status=400)


@csrf_exempt  # only so that the size limit is installed before the body is read …
@login_required
@require_http_methods(["GET", "POST"])
def interference_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    if request.method == "POST":
        evidence_files.install_size_limit(request, evidence_files.max_bytes("document"))
    return _interference_add(request, case_pk)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _interference_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    user: Any = request.user
    case = get_scoped_or_404(user, Case.objects.select_related("organ__region"), pk=case_pk)
    policy.require_may_record(user, case)
    corrects = None
    raw = request.GET.get("corrects") or request.POST.get("corrects")
    if raw:
        found = parse_id(raw, canonical=True)
        corrects = policy.visible(user).filter(pk=found, case=case).first() if found else None
        if corrects is None:
            raise Http404
    if request.method == "POST":
        form = InterferenceForm(request.POST, request.FILES)
        if getattr(request, "evidence_upload_too_large", False):
            form.add_error(
                "file", evidence_files.too_large_message(evidence_files.max_bytes("document"))
            )
        elif form.is_valid():
            data = form.cleaned_data
            upload = data.pop("file", None)
            try:
                record = services.record_interference(
                    case,
                    actor=user,
                    upload=upload,
                    original_name=upload.name if upload is not None else "",
                    corrects=corrects,
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The attempt to interfere is recorded. The organ's head and the "
                        "justice bureau's supervisors see it; the person named does not."
                    ),
                )
                return redirect("supervision:interference_detail", pk=record.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if corrects is not None:
            initial = {
                name: getattr(corrects, name)
                for name in (
                    "occurred_at",
                    "source",
                    "person_name",
                    "person_unit",
                    "person_position",
                    "method",
                    "request",
                    "response",
                )
            }
            initial["occurred_at"] = timezone.localtime(corrects.occurred_at)
            if corrects.person_user is not None:
                initial["person_username"] = corrects.person_user.get_username()
        form = InterferenceForm(initial=initial)
        status = 200
    return render(
        request,
        "supervision/interference_form.html",
        {**rule_context(request), "case": case, "form": form, "corrects": corrects},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def interference_attachment(request: HttpRequest, pk: int) -> FileResponse:
    record = policy.get_visible_or_404(request.user, pk)
    if not record.attachment_storage:
        raise Http404
    try:
        _size, sm3, _sha256 = evidence_files.digests_of_stored(record.attachment_storage)
    except FileNotFoundError:
        sm3 = ""
    if sm3 != record.attachment_sm3:
        raise Http404
    handle = evidence_files.evidence_storage().open(record.attachment_storage, "rb")
    name = "".join("_" if c in '/\\:*?"<>|' else c for c in record.attachment_name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or f"attachment-{record.pk}",
        content_type=record.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the supervisor's warnings (SUP-warning) ----------------------------------------------

WARNING_PAGE_SIZE = 50
#: The complaint clocks a page lists at most (the most urgent first).
COMPLAINT_ROWS = 200


def _warning_filters(request: HttpRequest) -> tuple[dict[str, Any], list[str]]:
    """The list's filters from the query string; a bad value is an error naming its
    field, and that filter is not applied."""
    errors: list[str] = []
    level = request.GET.get("level", "")
    if level and level not in warnings.LEVELS:
        errors.append(_("level: choose red or yellow."))
        level = ""
    raw_organ = request.GET.get("organ", "")
    organ = parse_id(raw_organ) if raw_organ else None
    if raw_organ and organ is None:
        errors.append(_("organ: choose an organ of the list."))
    elif organ is not None and not visible_organs(request.user).filter(pk=organ).exists():
        errors.append(_("organ: the organ is not in your scope; choose one of the list."))
        organ = None
    rule = request.GET.get("rule", "").strip()
    if rule and (len(rule) > 64 or not RULE_ID_TEXT.fullmatch(rule)):
        errors.append(_("rule: give a rule ID such as APL-60-decision-deadline."))
        rule = ""
    return {"level": level, "organ": organ, "rule": rule}, errors


def _region_filter(request: HttpRequest, errors: list[str]) -> tuple[Any, list[int] | None]:
    """The region the list narrows to (its code; the dashboard's region rows link here
    with it) and the ids of the organs of the user's scope of that region itself (as
    the row counts them, not its subregions')."""
    code = request.GET.get("region", "")
    if not code:
        return None, None
    region = None
    if len(code) <= 12 and code.isascii() and code.isdigit():
        region = visible_regions(request.user).filter(code=code).first()
    if region is None:
        errors.append(_("region: choose a region of your scope."))
        return None, None
    organs = visible_organs(request.user).filter(region=region)
    return region, list(organs.values_list("pk", flat=True))


def _rule_label(rule: str, lang: str) -> str:
    """What the rule filter shows beside a rule ID: the deadline's name, else the name
    of the warning model that names the rule (a block rule: the block rules' model)."""
    if rule in DEADLINE_LABELS:
        return str(DEADLINE_LABELS[rule])
    for model in WARNING_MODELS:
        if rule in model.rule_ids and rule != SUP_WARNING.id:
            return model.name.get(lang)
    found = RULES.get(rule)
    if found is not None and found.kind == "block":
        return BY_KEY["case_finding"].name.get(lang)
    return ""


class CountedPaginator(Paginator):
    """A paginator told how many rows its list holds (counted already), so it does not
    count them again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known


@login_required
@require_http_methods(["GET", "HEAD"])
def warning_list(request: HttpRequest) -> HttpResponse:
    """The warnings of the user's scope (SUP-warning): a supervisor's region, an organ
    head's organ, an officer's cases; filtered by level, organ and rule; one query for
    the page of case warnings (the rows the last audit of each case kept)."""
    user: Any = request.user
    if user.role not in warnings.ROLES and not user.is_superuser:
        raise PermissionDenied(_("Warnings are for supervisors, organ heads and officers."))
    filters, errors = _warning_filters(request)
    region, region_organs = _region_filter(request, errors)
    found = warnings.gather(user, timezone.localdate(), **filters, organs=region_organs)
    window = found.window
    counts = found.counts()
    page = CountedPaginator(
        warnings.listed(found.cases),
        WARNING_PAGE_SIZE,
        found.cases_count(counts),
    ).get_page(request.GET.get("page"))
    lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh"
    rows = [
        {
            "item": item,
            "case": item.case,
            "officers": warnings.officer_names(item.case),
            "label": deadline_label(item.rule) if item.kind == "deadline" else "",
            "message": item.message_en if lang == "en" else item.message_zh,
            "note": deadline_note(tuple(item.unscheduled_years or ()), lang) or "",
        }
        for item in page.object_list
    ]
    return render(
        request,
        "supervision/warning_list.html",
        {
            "rule": SUP_WARNING,
            "window": window,
            "window_note": deadline_note(window.unscheduled_years, lang) or "",
            "filters": {**filters, "organ": filters["organ"] or ""},
            "region": region,
            "errors": errors,
            "counts": counts,
            "page": page,
            "rows": rows,
            "clocks": found.clocks[:COMPLAINT_ROWS],
            "clocks_more": max(len(found.clocks) - COMPLAINT_ROWS, 0),
            "others": found.others,
            "model_names": {m.key: m.name.get(lang) for m in WARNING_MODELS},
            "rule_choices": [(r, _rule_label(r, lang)) for r in counts.rules],
            "levels": warnings.LEVELS,
            "notice_warnings": found.notices,
        },
    )

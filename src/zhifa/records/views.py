"""Record pages: an object's timeline, the supervisor's entry browser, evidence upload
and download, and the ZIP export. Every view goes through the scope layer."""

from __future__ import annotations

import re
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.roles import Role
from zhifa.core.scope import get_scoped_or_404, require_role, scoped, visible_organs
from zhifa.core.validation import parse_id
from zhifa.core.views import parse_filters

from . import evidence_files
from .domain import visible_entries
from .export import object_entries, write_export
from .filters import EntryFilter
from .forms import EvidenceForm
from .models import Checkpoint, Entry, Evidence, EvidenceKind
from .presentation import ACTION_LABELS, OBJECT_TITLES, entry_rows, object_title, object_type_label
from .services import EVIDENCE_ROLES, ObjectRef, add_evidence, check_attachable
from .targets import evidence_target
from .witness import FORMAT as WITNESS_FORMAT
from .witness import checkpoint_dict

PAGE_SIZE = 50
#: Who may browse entries across objects (and, for supervisors, across organs).
BROWSE_ROLES = (Role.SUPERVISOR, Role.ORGAN_HEAD, Role.ADMINISTRATOR)
#: Who may read an object's timeline, its evidence and its export (within scope).
READ_ROLES = tuple(Role.values)
OBJECT_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *BROWSE_ROLES)  # type: ignore[arg-type]
    filters, params, filter_errors = parse_filters(request, EntryFilter)
    entries = visible_entries(
        request.user, filters.filter(scoped(request.user, Entry.objects.all(), "organ"))
    )
    entries = entries.select_related("organ", "actor").order_by("-recorded_at", "-pk")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/entry_list.html",
        {
            "page": page,
            "rows": entry_rows(list(page.object_list)),
            "filters": params,
            "filter_errors": filter_errors,
            "organs": visible_organs(request.user).select_related("region"),
            "action_labels": sorted({str(label) for label in ACTION_LABELS.values()}),
            "object_types": sorted(
                ((t, object_type_label(t)) for t in OBJECT_TITLES), key=lambda pair: pair[1]
            ),
        },
    )


@login_required
@require_GET
def timeline(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    if not OBJECT_TYPE_RE.match(object_type):
        raise Http404
    entries = list(
        object_entries(request.user, object_type, object_id).select_related("organ", "actor")
    )
    evidence = scoped(
        request.user,
        Evidence.objects.filter(object_type=object_type, object_id=object_id),
        "organ",
    ).prefetch_related("collected_by")
    evidence_pk = parse_id(object_id, canonical=True)
    if object_type == "records.evidence" and evidence_pk is not None:
        evidence = scoped(
            request.user, Evidence.objects.filter(pk=evidence_pk), "organ"
        ).prefetch_related("collected_by")
    evidence_list = list(evidence)
    if not entries and not evidence_list:
        raise Http404
    entries.sort(key=lambda e: (e.recorded_at, e.organ_id, e.seq))
    return render(
        request,
        "records/timeline.html",
        {
            "object_type": object_type,
            "object_id": object_id,
            "object_title": object_title(object_type, object_id),
            "rows": entry_rows(entries),
            "evidence": evidence_list,
            "can_add_evidence": getattr(request.user, "role", None) in EVIDENCE_ROLES,
            "add_evidence_query": (
                f"?case={object_id}" if object_type == evidence_target().object_type else ""
            ),
        },
    )


@login_required
@require_GET
def export_zip(request: HttpRequest, object_type: str, object_id: str) -> FileResponse:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    if not OBJECT_TYPE_RE.match(object_type):
        raise Http404
    if not object_entries(request.user, object_type, object_id).exists():
        raise Http404
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    write_export(request.user, object_type, object_id, spool)
    spool.seek(0)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    name = f"records-{object_type}-{object_id}-{stamp}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    items = (
        scoped(request.user, Evidence.objects.all(), "organ")
        .select_related("organ", "uploaded_by")
        .prefetch_related("collected_by")
    )
    kind = request.GET.get("kind", "")
    if kind in EvidenceKind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    target = evidence_target()
    links = target.links(
        request.user, (e.object_id for e in page if e.object_type == target.object_type)
    )
    for item in page:
        is_case = item.object_type == target.object_type
        item.case_link = links.get(item.object_id) if is_case else None  # type: ignore[attr-defined]
    return render(
        request,
        "records/evidence_list.html",
        {
            "page": page,
            "show_case": True,
            "kind": kind,
            "kinds": EvidenceKind.choices,
            "can_add_evidence": getattr(request.user, "role", None) in EVIDENCE_ROLES,
        },
    )


@csrf_exempt  # only so that the size limit is installed before the body is read …
@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *EVIDENCE_ROLES)  # type: ignore[arg-type]
    evidence_files.install_size_limit(request)
    return _evidence_add(request)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _evidence_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    target = evidence_target()
    fixed_case = None
    chosen = request.GET.get("case", "")
    if chosen:
        # Reached from the case page: the case is fixed and shown; another organ's
        # case (or no case at all) is not found.
        case_pk = parse_id(chosen)
        if case_pk is None:
            raise Http404
        fixed_case = target.choices(user).filter(pk=case_pk).first()
        if fixed_case is None:
            raise Http404
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, user=user, fixed_case=fixed_case)
    else:
        form = EvidenceForm(user=user, fixed_case=fixed_case)
    if getattr(request, "evidence_upload_too_large", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", evidence_files.too_large_message())
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        case = data["case"]
        obj = ObjectRef(target.object_type, str(case.pk))
        collected_at = data["collected_at"]
        if timezone.is_naive(collected_at):
            collected_at = timezone.make_aware(collected_at)
        try:
            check_attachable(user, obj)
            evidence = add_evidence(
                actor=user,
                upload=data["file"],
                original_name=data["file"].name,
                kind=data["kind"],
                title=data["title"],
                collected_by=list(data["collected_by"]),
                collected_at=collected_at,
                location=data["location"],
                device_id=data["device_id"] or "",
                duration_seconds=data["duration_seconds"],
                obj=obj,
            )
        except ValidationError as exc:
            for field, messages_ in exc.message_dict.items():
                target_field = "case" if field in ("object_type", "object_id") else field
                for message in messages_:
                    form.add_error(target_field if target_field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Evidence “%(title)s” was added to case %(case)s.")
                % {"title": evidence.title, "case": case},
            )
            return redirect(target.url(case))
    return render(
        request,
        "records/evidence_form.html",
        {
            "form": form,
            "fixed_case": fixed_case,
            "fixed_case_url": target.url(fixed_case) if fixed_case is not None else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    evidence = get_scoped_or_404(request.user, Evidence.objects.all(), "organ", pk=evidence_id)
    try:
        handle = evidence_files.evidence_storage().open(evidence.storage_name, "rb")
    except FileNotFoundError as exc:  # reported by `zhifa records verify`
        raise Http404 from exc
    name = f"{evidence.pk}-{evidence.sm3[:12]}.{evidence.extension}"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=evidence.content_type
    )


@require_GET
def published_checkpoints(request: HttpRequest) -> JsonResponse:
    """The signed checkpoints, public on purpose (a transparency log): they hold only
    chain lengths, hashes and signatures, so anyone holding an export or a published
    decision can check it against a checkpoint they did not get from the exporter.
    ``?organ=ID`` narrows to one organ; the newest 100 come first."""
    checkpoints = Checkpoint.objects.select_related("organ").order_by("-signed_at", "-pk")
    organ = request.GET.get("organ", "")
    if organ:
        organ_pk = parse_id(organ)
        if organ_pk is None:
            from zhifa.core.api import error_body

            return JsonResponse(
                error_body(
                    400,
                    "invalid",
                    _("The request is not valid."),
                    [{"path": "query.organ", "message": _("Give the organ's ID.")}],
                ),
                status=400,
            )
        checkpoints = checkpoints.filter(organ_id=organ_pk)
    return JsonResponse(
        {
            "format": WITNESS_FORMAT,
            "checkpoints": [checkpoint_dict(cp, cp.organ.name) for cp in checkpoints[:100]],
        },
        json_dumps_params={"ensure_ascii": False},
    )

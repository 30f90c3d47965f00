"""The bulk audit pages (issue #17, item 7): upload a zip or several JSON case files,
see the list of one's bulk audits, a report (aggregate, per file, paginated; it reloads
itself without script while the audit runs), one file's findings, and the Excel.

Supervisors and administrators only (others 403, anonymous users to the login page); a
bulk audit outside the user's region is not found (404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.forms import DateInput
from zhifa.core.scope import require_role
from zhifa.records import evidence_files
from zhifa.rules.engine import RULES
from zhifa.rules.views import _page_result

from . import bulk_audit
from .models import BulkAuditStatus

PAGE_SIZE = 50
#: How often (seconds) the report reloads itself while the audit waits or runs.
REFRESH_SECONDS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for ``<input type="file" multiple>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class BulkAuditForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Case files: one .zip, or several .json files"),
        required=False,
        help_text=gettext_lazy(
            "A zip of the case files another system exported (folders inside it are read "
            "through), or the .json files of a folder chosen together."
        ),
    )
    as_of = forms.DateField(
        label=gettext_lazy("Audit date"),
        required=False,
        help_text=gettext_lazy(
            "Open deadlines are judged on this day; default: each file's own audit date, "
            "else today."
        ),
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "files" in self.errors:
            return data
        uploads = data.get("files") or []
        lim = bulk_audit.current_limits()
        if not uploads:
            self.add_error("files", _("Choose a .zip or one or more .json case files."))
            return data
        total = sum(u.size for u in uploads)
        if total > lim.upload_bytes:
            self.add_error(
                "files",
                _("The upload is larger than %(limit)s (it has %(size)s).")
                % {"limit": bulk_audit._mb(lim.upload_bytes), "size": bulk_audit._mb(total)},
            )
            return data
        zips = [u for u in uploads if u.name.lower().endswith(".zip")]
        if zips and len(uploads) > 1:
            self.add_error("files", _("Upload one .zip, or .json files, not both."))
        return data

    def archive(self) -> tuple[str, bytes, list[dict[str, str]]]:
        """The upload's name, the archive to store and the uploaded files left out."""
        uploads = self.cleaned_data["files"]
        if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
            return uploads[0].name, uploads[0].read(), []
        kept: list[tuple[str, bytes]] = []
        left_out: list[dict[str, str]] = []
        for upload in uploads:
            name = str(upload.name)
            if not name.lower().endswith(".json"):
                left_out.append({"name": name, "reason": "not a .json file"})
            else:
                kept.append((name, upload.read()))
        if not kept:
            raise bulk_audit.UploadRefused(_("The upload holds no .json case file."))
        label = (
            kept[0][0]
            if len(kept) == 1
            else _("%(n)d case files (%(first)s …)") % {"n": len(kept), "first": kept[0][0]}
        )
        return label, bulk_audit.zip_of(kept), left_out


def _limits_text() -> dict[str, Any]:
    lim = bulk_audit.current_limits()
    return {
        "upload": bulk_audit._mb(lim.upload_bytes),
        "files": lim.files,
        "member": bulk_audit._mb(lim.member_bytes),
        "ratio": lim.ratio,
        "at_once": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }


@csrf_exempt  # only so that the upload limits apply before the body is read …
@login_required
@require_http_methods(["GET", "POST"])
def bulk_audit_list(request: HttpRequest) -> HttpResponse:
    """GET: the user's bulk audits and the upload form; POST: upload (redirects to the
    report, or the form again with the field's error)."""
    require_role(request.user, *bulk_audit.ROLES)
    if request.method == "POST":
        evidence_files.install_size_limit(request, bulk_audit.current_limits().upload_bytes)
        try:
            request.FILES  # noqa: B018 (parse now: a refusal is the field's error)
        except TooManyFilesSent:
            # Nothing is written on this answer: the form again, with the error, so
            # the CSRF check (which would read the same body) is not needed for it.
            return _list_page(
                request,
                _refused_form(
                    _(
                        "Too many files sent at once (at most %(n)d): put the case files "
                        "in one .zip instead."
                    )
                    % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
                ),
                400,
            )
        except RequestDataTooBig:
            return _list_page(request, _refused_form(_("The request is too large.")), 400)
    return _bulk_audit_list(request)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _bulk_audit_list(request: HttpRequest) -> HttpResponse:
    form = BulkAuditForm()
    status = 200
    if request.method == "POST":
        form = BulkAuditForm(request.POST, request.FILES)
        if getattr(request, "evidence_upload_too_large", False):
            form.full_clean()
            form.errors.clear()
            form.add_error(
                "files",
                _("The upload is larger than %(limit)s.")
                % {"limit": bulk_audit._mb(bulk_audit.current_limits().upload_bytes)},
            )
        if form.is_valid():
            lang = "en" if (get_language() or "").startswith("en") else "zh"
            try:
                name, content, left_out = form.archive()
                bulk = bulk_audit.create(
                    request.user, name, content, form.cleaned_data.get("as_of"), lang
                )
            except bulk_audit.UploadRefused as exc:
                form.add_error("files", str(exc))
            else:
                if left_out:
                    bulk.skipped = left_out + bulk.skipped
                    bulk.save(update_fields=["skipped"])
                return redirect("supervision:bulk_audit_detail", pk=bulk.pk)
        status = 400
    return _list_page(request, form, status)


def _refused_form(message: str) -> BulkAuditForm:
    form = BulkAuditForm(data={})
    form.full_clean()
    form.errors.clear()
    form.add_error("files", message)
    return form


def _list_page(request: HttpRequest, form: BulkAuditForm, status: int) -> HttpResponse:
    page = Paginator(bulk_audit.visible(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/bulk_audit_list.html",
        {"form": form, "page": page, "limits": _limits_text()},
        status=status,
    )


@login_required
@require_GET
def bulk_audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *bulk_audit.ROLES)
    bulk = bulk_audit.get_visible_or_404(request.user, pk)
    waiting = bulk.status in (BulkAuditStatus.QUEUED, BulkAuditStatus.RUNNING)
    stopped = bulk_audit.stopped(bulk)
    slow = (
        bulk.status == BulkAuditStatus.QUEUED
        and timezone.now() - bulk.created_at > bulk_audit.SLOW_QUEUE
    )
    page = Paginator(bulk.files.order_by("index"), PAGE_SIZE).get_page(request.GET.get("page"))
    lang = get_language() or "zh-hans"
    rows = [
        {
            "file": f,
            "deadlines": bulk_audit.deadline_counts(f),
            "rules": sorted({x["rule"] for x in f.findings}),
            "error": bulk_audit.error_text(f, lang),
        }
        for f in page
    ]
    return render(
        request,
        "supervision/bulk_audit_detail.html",
        {
            "bulk": bulk,
            "waiting": waiting and not stopped,
            "stopped": stopped,
            "slow": slow,
            "may_resume": stopped or bulk.status == BulkAuditStatus.FAILED,
            "refresh": REFRESH_SECONDS,
            "rule_rows": bulk_audit.rule_rows(bulk),
            "skipped": [{"name": s["name"], "reason": _(s["reason"])} for s in bulk.skipped],
            "page": page,
            "rows": rows,
            "error": _(bulk.error) if bulk.error else "",
        },
    )


@login_required
@require_GET
def bulk_audit_file(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """One file's findings and deadlines, as the audit page shows them."""
    require_role(request.user, *bulk_audit.ROLES)
    bulk = bulk_audit.get_visible_or_404(request.user, pk)
    row = bulk.files.filter(index=index).first()
    if row is None:
        raise Http404
    result = None
    if not row.errors:
        result = _page_result(bulk_audit.document_of(row))
        for deadline in result["deadlines"]:
            known = RULES.get(deadline["rule"])
            deadline["citation"] = known.citation if known else ""
    lang = get_language() or "zh-hans"
    errors = [
        {"path": e["path"], "text": e["zh"] if lang.startswith("zh") else e["message"]}
        for e in row.errors
    ]
    return render(
        request,
        "supervision/bulk_audit_file.html",
        {"bulk": bulk, "row": row, "result": result, "errors": errors},
    )


@login_required
@require_GET
def bulk_audit_excel(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *bulk_audit.ROLES)
    bulk = bulk_audit.get_visible_or_404(request.user, pk)
    response = HttpResponse(
        bulk_audit.workbook(bulk),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bulk-audit-{bulk.pk}-{day}.xlsx"'
    return response


@login_required
@require_POST
def bulk_audit_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed or stopped bulk audit again; it continues where it stopped."""
    require_role(request.user, *bulk_audit.ROLES)
    bulk = bulk_audit.get_visible_or_404(request.user, pk)
    if bulk.status == BulkAuditStatus.FAILED or bulk_audit.stopped(bulk):
        bulk_audit.resume(bulk)
    return redirect("supervision:bulk_audit_detail", pk=bulk.pk)

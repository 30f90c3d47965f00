"""Document pages: a case's documents (issue, open, download, print) within the case's
organ scope, and the public verification page of a document (``/d/<code>``), which
shows who issued what and when, never the party, and checks a file's digest."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.cases.models import Case
from zhifa.core.scope import get_scoped_or_404, require_role, scoped
from zhifa.registry.views import rate_limited

from . import formats
from .models import DocumentType, IssuedDocument
from .rendering import DocumentUnavailable, normal_code, open_pdf, render_document

#: The largest file the public page hashes (a rendered document is well under 1 MB).
MAX_CHECK_BYTES = 20 * 1024 * 1024


def case_document_links(user: Any, case: Case) -> list[dict[str, Any]]:
    """The case page's document list: each document type with a template, its issued
    document when there is one, and whether the user may issue it now."""
    issued = {
        d.kind: d
        for d in scoped(user, IssuedDocument.objects.filter(case=case), "organ").order_by("pk")
    }
    step_names = set(case.steps.values_list("step", flat=True))
    can_issue = getattr(user, "role", None) in ORGAN_ROLES and user.organ_id == case.organ_id
    rows = []
    for kind in formats.kinds():
        document = issued.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": DocumentType(kind).label,
                "document": document,
                "can_issue": document is None
                and can_issue
                and formats.load(kind).step in step_names,
            }
        )
    return rows


def _case(request: HttpRequest, pk: int) -> Case:
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    return get_scoped_or_404(request.user, Case.objects.select_related("organ__region"), pk=pk)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Render the case's document of ``kind`` (once), then open it."""
    case = _case(request, pk)
    require_role(request.user, *ORGAN_ROLES)
    if kind not in formats.kinds():
        raise Http404
    try:
        document = render_document(
            case, kind, actor=request.user, base_url=request.build_absolute_uri("/")
        )
    except PermissionDenied:
        raise
    except (DocumentUnavailable, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    return redirect("documents:file", pk=case.pk, document_id=document.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def document_file(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """The PDF, inline (to print from the browser) or as a download (``?download=1``)."""
    case = _case(request, pk)
    document = get_scoped_or_404(
        request.user, IssuedDocument.objects.filter(case=case), pk=document_id
    )
    response = HttpResponse(open_pdf(document), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    name = f"{document.kind}-{document.display_code}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the public page -----------------------------------------------------------------------


class CheckForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("document file (PDF)"),
        help_text=gettext_lazy("The file is hashed (SM3) and compared; it is not kept."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CHECK_BYTES:
            raise forms.ValidationError(_("The file is larger than any issued document."))
        return upload


def _sm3(upload: Any) -> str:
    digest = hashlib.new("sm3")
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@never_cache
@rate_limited
@require_http_methods(["GET", "HEAD", "POST"])
def public(request: HttpRequest, code: str) -> HttpResponse:
    """Public verification of a document by its code (the QR code opens this page):
    the organ, the date, the number and the SM3 digest — no party, no content. A file
    sent through the form is hashed and compared with the issued document's digest."""
    document = (
        IssuedDocument.objects.select_related("organ").filter(code=normal_code(code)[:16]).first()
    )
    if document is None:
        return render(request, "documents/public_not_found.html", {"code": code}, status=404)
    verdict = ""
    form = CheckForm()
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = "issued" if _sm3(form.cleaned_data["file"]) == document.sm3 else "unknown"
    return render(
        request,
        "documents/public.html",
        {
            "document": document,
            "kind_label": document.get_kind_display(),
            "form": form,
            "verdict": verdict,
            "action": reverse("document_public", args=[document.code]),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )

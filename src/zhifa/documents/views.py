"""The public verification page of a document (``/d/<code>``): who issued what and
when, never the party; it checks a file's digest. A case's document pages (issue, open,
download, print) are the cases app's (``cases.views``)."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from zhifa.records import evidence_files
from zhifa.registry.views import rate_limited

from .models import IssuedDocument
from .rendering import normal_code

#: The largest file the public page hashes (a rendered document is well under 1 MB).
MAX_CHECK_BYTES = 20 * 1024 * 1024


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


def pdf_response(pdf: bytes, name: str, *, attachment: bool) -> HttpResponse:
    """A PDF served under ``name`` (the document's name and number as the user knows
    them; non-ASCII through RFC 6266's ``filename*``), inline to print from the browser
    or as a download; the characters a file system refuses are replaced."""
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "".join("_" if c in '/\\:*?"<>|' else c for c in name)
    response["Content-Disposition"] = content_disposition_header(attachment, name) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_filename(document: IssuedDocument) -> str:
    return f"{document.get_kind_display()}{document.number or document.display_code}.pdf"


def _sm3(upload: Any) -> str:
    digest = hashlib.new("sm3")
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@never_cache
@csrf_exempt  # only so that the rate limit and the size limit come before the body is read …
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited
def public(request: HttpRequest, code: str) -> HttpResponse:
    """Public verification of a document by its code (the QR code opens this page):
    the organ, the date, the number and the SM3 digest — no party, no content. A file
    sent through the form is hashed and compared with the issued document's digest.
    Anyone may post one: a client past the rate limit is refused before its request is
    read, and a file larger than ``MAX_CHECK_BYTES`` is skipped as it arrives (never
    written to disk)."""
    if request.method == "POST":
        evidence_files.install_size_limit(request, MAX_CHECK_BYTES)
    return _public(request, code)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _public(request: HttpRequest, code: str) -> HttpResponse:
    wanted = normal_code(code)
    document = (
        IssuedDocument.objects.select_related("organ").filter(code=wanted).first()
        if wanted
        else None
    )
    if document is None:
        return render(request, "documents/public_not_found.html", {"code": code}, status=404)
    verdict = ""
    form = CheckForm()
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if getattr(request, "evidence_upload_too_large", False):
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", _("The file is larger than any issued document."))
        elif form.is_valid():
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

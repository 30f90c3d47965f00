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
from django.views.decorators.http import require_http_methods

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

"""The case-file audit page: upload or paste a case file, see the findings.

It runs exactly what ``zhifa audit`` and ``POST /api/v1/audit`` run (same engine, same
calendar, same rendered document), so the three can never disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import DateInput

from .calendar_db import database_calendar
from .engine import InvalidCaseFile, audit, limits, render
from .engine.validation import load_case_file
from .labels import deadline_label

MAX_BYTES = limits.MAX_BYTES


class AuditForm(forms.Form):
    file = forms.FileField(label=_("Case file (JSON)"), required=False)
    text = forms.CharField(
        label=_("…or paste the case file"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    as_of = forms.DateField(
        label=_("Audit date"),
        required=False,
        help_text=_(
            "Open deadlines are judged on this day; default: the file's own audit date, else today."
        ),
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            self.add_error("file", _("The file is larger than 5 MB."))
        elif upload is None and not (data.get("text") or "").strip():
            self.add_error("file", _("Choose a case file or paste one."))
        return data

    def content(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return bytes(upload.read())
        return str(self.cleaned_data["text"]).encode("utf-8")


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    form = AuditForm(request.POST, request.FILES) if request.method == "POST" else AuditForm()
    result: dict[str, Any] | None = None
    file_errors: list[Any] = []
    if form.is_bound and form.is_valid():
        try:
            case = load_case_file(form.content())
        except InvalidCaseFile as exc:
            language = get_language() or ""
            file_errors = [{"path": e.path, "text": e.text(language)} for e in exc.errors]
        else:
            day: dt.date = form.cleaned_data.get("as_of") or case.as_of or timezone.localdate()
            lang = "en" if (get_language() or "").startswith("en") else "zh"
            result = json.loads(render(audit(case, day, database_calendar()), lang))
            for deadline in result["deadlines"]:
                deadline["label"] = deadline_label(deadline["rule"])
            result["overdue"] = sum(d["status"] == "overdue" for d in result["deadlines"])
            result["missed"] = sum(d["status"] == "missed" for d in result["deadlines"])
    status = 400 if (form.errors or file_errors) else 200
    return render_page(
        request,
        "rules/audit.html",
        {"form": form, "result": result, "file_errors": file_errors},
        status=status,
    )

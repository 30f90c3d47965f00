"""The case-file audit page: upload or paste a case file, see the findings.

It runs exactly what ``zhifa audit`` and ``POST /api/v1/audit`` run (same engine, same
calendar, same rendered document), so the three can never disagree.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_page
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhifa.accounts.models import User
from zhifa.core.forms import DateInput

from .calendar_db import database_calendar
from .engine import CaseFileTooLarge, InvalidCaseFile, audit, limits, render
from .engine.catalogue import PARTY_WINDOWS
from .engine.validation import load_case_file
from .labels import deadline_label
from .models import AuditRequest
from .tasks import run_audit

MAX_BYTES = limits.MAX_BYTES

#: A valid file larger than this, or with more steps, is audited in the background (an
#: ``AuditRequest`` run by ``zhifa worker``); smaller ones at once, as before.
BACKGROUND_BYTES = 256 * 1024
BACKGROUND_STEPS = 500

#: How often (seconds) the result page of a background audit reloads while it waits.
REFRESH_SECONDS = 3
#: Large audits one user may have waiting at once (the queue is shared with the
#: platform's periodic jobs).
MAX_WAITING_PER_USER = 3
#: A background audit queued longer than this: the page says the worker may be down.
SLOW_QUEUE = dt.timedelta(minutes=1)
#: A background audit running longer than this has stopped (a file at the cap audits in
#: seconds; a worker killed mid-task leaves it "running"): the page says so.
STOPPED_RUNNING = dt.timedelta(minutes=10)


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
            self.add_error(
                "file", _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES >> 20}
            )
        elif upload is None and not (data.get("text") or "").strip():
            self.add_error("file", _("Choose a case file or paste one."))
        return data

    def content(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return bytes(upload.read())
        return str(self.cleaned_data["text"]).encode("utf-8")


def _page_result(document: dict[str, Any]) -> dict[str, Any]:
    """The findings document as the page shows it (deadline labels, counts)."""
    for deadline in document["deadlines"]:
        deadline["label"] = deadline_label(deadline["rule"])
        if deadline["status"] == "overdue" and deadline["rule"] in PARTY_WINDOWS:
            deadline["status"] = "closed"  # the party's window passed: not the organ's delay
    document["overdue"] = sum(d["status"] == "overdue" for d in document["deadlines"])
    document["missed"] = sum(d["status"] == "missed" for d in document["deadlines"])
    return document


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    form = AuditForm()
    if request.method == "POST":
        try:
            form = AuditForm(request.POST, request.FILES)
        except RequestDataTooBig:
            # Pasted text over the request limit: say so on the field (a file of that
            # size is refused by the form, with the same limit).
            form = AuditForm(data={})
            form.full_clean()
            form.errors.clear()
            form.add_error(
                "text",
                _(
                    "The pasted text is larger than %(mb)d MB: a case file is at most "
                    "%(mb)d MB and %(steps)d steps."
                )
                % {"mb": MAX_BYTES >> 20, "steps": limits.MAX_STEPS},
            )
    result: dict[str, Any] | None = None
    file_errors: list[Any] = []
    if form.is_bound and not form.errors and form.is_valid():
        content = form.content()
        try:
            case = load_case_file(content)
        except InvalidCaseFile as exc:
            language = get_language() or ""
            file_errors = [{"path": e.path, "text": e.text(language)} for e in exc.errors]
            if isinstance(exc, CaseFileTooLarge):
                form.add_error(
                    "file",
                    _("The case file is too large: at most %(steps)d steps and %(mb)d MB.")
                    % {"steps": limits.MAX_STEPS, "mb": MAX_BYTES >> 20},
                )
        else:
            lang = "en" if (get_language() or "").startswith("en") else "zh"
            as_of: dt.date | None = form.cleaned_data.get("as_of")
            if len(content) > BACKGROUND_BYTES or len(case.steps) > BACKGROUND_STEPS:
                user = cast(User, request.user)
                waiting = AuditRequest.objects.filter(
                    user=user, status__in=AuditRequest.WAITING
                ).count()
                if waiting >= MAX_WAITING_PER_USER:
                    form.add_error(
                        "file",
                        _(
                            "You already have %(n)d large audits waiting: open them from "
                            "their pages, and upload this one when they are done."
                        )
                        % {"n": waiting},
                    )
                else:
                    # The request and its task in one transaction (the task table is
                    # in the same database): both or neither.
                    with transaction.atomic():
                        queued = AuditRequest.objects.create(
                            user=user, as_of=as_of, lang=lang, content=content
                        )
                        run_audit.enqueue(str(queued.pk))
                    return redirect("rules:audit-result", pk=queued.pk)
            else:
                day: dt.date = as_of or case.as_of or timezone.localdate()
                result = _page_result(
                    json.loads(render(audit(case, day, database_calendar()), lang))
                )
    status = 400 if (form.errors or file_errors) else 200
    return render_page(
        request,
        "rules/audit.html",
        {"form": form, "result": result, "file_errors": file_errors},
        status=status,
    )


@login_required
def audit_result(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A background audit: "queued"/"running" (the page reloads itself every few seconds,
    without script), then the findings. Only the user who uploaded the file sees it."""
    queued = get_object_or_404(AuditRequest, pk=pk, user=request.user)
    waiting = queued.status in AuditRequest.WAITING
    age = timezone.now() - queued.created_at
    stopped = queued.status == AuditRequest.Status.RUNNING and age > STOPPED_RUNNING
    slow = queued.status == AuditRequest.Status.QUEUED and age > SLOW_QUEUE
    result = _page_result(queued.result) if queued.result is not None else None
    return render_page(
        request,
        "rules/audit_result.html",
        {
            "queued": queued,
            "waiting": waiting and not stopped,
            "slow": slow,
            "stopped": stopped,
            "minutes": int(age.total_seconds() // 60),
            "refresh": REFRESH_SECONDS,
            "result": result,
        },
    )

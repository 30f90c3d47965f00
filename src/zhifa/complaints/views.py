"""Complaint pages: the public filing and follow-up (no account: number and access code;
rate-limited per client like certificate verification), and the receiving unit's and the
supervisor's desk. Every staff page reads the filing through ``policy.visible`` (outside
it: 404) and offers only what ``policy`` allows; the services ask the same policy."""

from __future__ import annotations

import statistics
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.accounts.models import Role
from zhifa.cases.forms import OpenCaseForm
from zhifa.cases.models import Case
from zhifa.core.scope import visible_regions
from zhifa.core.validation import parse_id
from zhifa.records import evidence_files
from zhifa.registry.models import Certificate
from zhifa.registry.views import rate_limited_as
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine.audit import deadline_note

from . import duplicates, forms, policy, routing, services
from .models import Complaint, ComplaintAssignment, ComplaintStatus, NoteKind

PAGE_SIZE = 25


def _errors_on(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error if target else f"{field}: {error}")
    else:
        form.add_error(None, exc.messages)


def _lang(request: HttpRequest) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else "zh"


def _clock(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    today = timezone.localdate()
    waiting = complaint.status == ComplaintStatus.RECEIVED
    return {
        "due": complaint.ack_due_on,
        "rules": complaint.ack_rules,
        "days": complaint.ack_working_days,
        "note": deadline_note(tuple(complaint.ack_unscheduled_years or ()), _lang(request)) or "",
        "overdue": waiting and today > complaint.ack_due_on,
        "waiting": waiting,
        "told_on": complaint.acknowledged_on,
        "late": complaint.acknowledged_on is not None
        and complaint.acknowledged_on > complaint.ack_due_on,
    }


# --- public -------------------------------------------------------------------------------


@never_cache
@rate_limited_as("complaints")
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """File a complaint or report; on success the number and the access code, once."""
    if request.method == "POST":
        form = forms.FileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            officer = None
            certificate = (data.get("subject_certificate") or "").strip()
            if certificate:
                found = (
                    Certificate.objects.select_related("officer").filter(number=certificate).first()
                )
                if found is None:
                    form.add_error("subject_certificate", _("No certificate has this number."))
                else:
                    officer = found.officer
            if not form.errors:
                try:
                    filed = services.file_complaint(
                        category=data["category"],
                        region_code=data["region"],
                        address=data["address"],
                        description=data["description"],
                        filer_name=data.get("filer_name") or "",
                        filer_contact=data.get("filer_contact") or "",
                        subject_organ=data.get("subject_organ"),
                        subject_officer=officer,
                        attachments=data.get("attachments") or [],
                    )
                except ValidationError as exc:
                    _errors_on(form, exc)
                else:
                    return _to_receipt(request, filed)
    else:
        form = forms.FileForm()
    return render(
        request, "complaints/file.html", {"form": form}, status=400 if form.errors else 200
    )


#: The session key of the numbers filed from this browser (their receipts may be shown
#: again, without the code); at most RECEIPTS_KEPT of them.
RECEIPTS = "complaints.receipts"
RECEIPTS_KEPT = 20
#: The access code travels to the receipt page once, in a signed cookie of that page
#: only (never in the session: sessions are rows of the database), and is removed there.
CODE_SALT = "zhifa.complaints.receipt-code"
CODE_MAX_AGE = 600


def _code_cookie(number: str) -> str:
    return "zhifa_code_" + "".join(ch for ch in number if ch.isalnum())


def _to_receipt(request: HttpRequest, filed: services.Filed) -> HttpResponse:
    """After a filing: POST → redirect → GET (a reload or "back" never files again).
    The session remembers the number; the code rides in a short-lived signed cookie
    read (and removed) by the receipt page alone."""
    number = filed.complaint.number
    kept = [n for n in request.session.get(RECEIPTS, []) if n != number]
    request.session[RECEIPTS] = [*kept[-(RECEIPTS_KEPT - 1) :], number]
    url = reverse("complaints:receipt", args=[number])
    response = redirect(url)
    response.set_signed_cookie(
        _code_cookie(number),
        filed.access_code,
        salt=CODE_SALT,
        max_age=CODE_MAX_AGE,
        path=url,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


@never_cache
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The receipt of a filing made from this browser (else 404): its number, its
    clock and, the first time only, its access code."""
    if number not in request.session.get(RECEIPTS, []):
        raise Http404
    complaint = Complaint.objects.select_related("organ", "region").filter(number=number).first()
    if complaint is None:
        raise Http404
    name = _code_cookie(number)
    code = request.get_signed_cookie(name, default=None, salt=CODE_SALT, max_age=CODE_MAX_AGE)
    response = render(
        request,
        "complaints/receipt.html",
        {
            "complaint": complaint,
            "code": code,
            "category": routing.category_label(complaint.category),
            "clock": _clock(request, complaint),
        },
    )
    if name in request.COOKIES:
        response.delete_cookie(name, path=request.path, samesite="Strict")
    return response


def staff_notes(complaint: Complaint) -> list[Any]:
    """What the unit told about a filing, without what its filer wrote (a dispute): for
    the filer of a filing merged into it."""
    return list(
        complaint.notes.filter(author__isnull=False)
        .exclude(kind=NoteKind.DISPUTE)
        .order_by("created_at", "pk")
    )


def _public_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    """The filer's view of their filing; of the filing handled together with it, what the
    unit told. The filers of the filings handled together with theirs are never named
    to them (``policy.together_with``, ``policy.filer_words``; the notes are read, never
    saved)."""
    others = policy.together_with(complaint)
    together = complaint.merged_into
    together_notes = []
    if together is not None:
        together_notes = staff_notes(together)
        for n in together_notes:
            n.text = policy.note_words(together, n, False, others)
    notes = list(complaint.notes.order_by("created_at", "pk"))
    for n in notes:
        n.text = policy.note_words(complaint, n, True, others)
    return {
        "complaint": complaint,
        "category": routing.category_label(complaint.category),
        "clock": _clock(request, complaint),
        "notes": notes,
        "notes_masked": "others" if others else "",
        "rejection_reasons": policy.filer_words(
            complaint, complaint.rejection_reasons, True, others
        ),
        "result": policy.filer_words(complaint, complaint.result, True, others),
        "can_dispute": policy.can_dispute(complaint) is None,
        "together": together,
        "together_result": policy.filer_words(together, together.result, False, others)
        if together is not None
        else "",
        "together_notes": together_notes,
    }


@never_cache
@rate_limited_as("complaints")
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a filing by its number and access code (POST: the code stays out of URLs
    and logs)."""
    if request.method == "POST":
        form = forms.FollowForm(request.POST)
        if form.is_valid():
            complaint = services.find_by_code(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if complaint is not None:
                context = _public_context(request, complaint)
                context["dispute_form"] = forms.DisputeForm(initial=form.cleaned_data)
                return render(request, "complaints/status.html", context)
            form.add_error(None, _("No filing has this number and access code."))
            return render(request, "complaints/follow.html", {"form": form}, status=404)
        return render(request, "complaints/follow.html", {"form": form}, status=400)
    return render(request, "complaints/follow.html", {"form": forms.FollowForm()})


@never_cache
@rate_limited_as("complaints")
@require_POST
def dispute(request: HttpRequest) -> HttpResponse:
    """The filer says the closure did not resolve it ("未解决"), once."""
    form = forms.DisputeForm(request.POST)
    if not form.is_valid():
        complaint = None
        if not form.errors.get("number") and not form.errors.get("code"):
            complaint = services.find_by_code(
                request.POST.get("number", ""), request.POST.get("code", "")
            )
        if complaint is None:
            return render(
                request, "complaints/follow.html", {"form": forms.FollowForm()}, status=400
            )
        context = _public_context(request, complaint)
        context["dispute_form"] = form
        return render(request, "complaints/status.html", context, status=400)
    complaint = services.find_by_code(form.cleaned_data["number"], form.cleaned_data["code"])
    if complaint is None:
        follow_form = forms.FollowForm(
            {"number": form.cleaned_data["number"], "code": form.cleaned_data["code"]}
        )
        follow_form.is_valid()
        follow_form.add_error(None, _("No filing has this number and access code."))
        return render(request, "complaints/follow.html", {"form": follow_form}, status=404)
    status = 200
    try:
        complaint = services.dispute(complaint, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors_on(form, exc)
        status = 400
    context = _public_context(request, complaint)
    context["dispute_form"] = form
    context["disputed"] = status == 200
    return render(request, "complaints/status.html", context, status=status)


# --- the desk -----------------------------------------------------------------------------


#: The assignments with their users, for the lists and ``policy.is_assigned``.
ASSIGNMENTS = Prefetch(
    "assignments", queryset=ComplaintAssignment.objects.select_related("user").order_by("user_id")
)


def _visible(request: HttpRequest) -> Any:
    return (
        policy.visible(request.user)
        .select_related("organ", "region", "subject_organ", "subject_officer", "case")
        .prefetch_related(ASSIGNMENTS)
    )


def _get(request: HttpRequest, pk: int) -> Complaint:
    found: Complaint | None = _visible(request).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def organ_statistics(found: Any, today: Any) -> list[dict[str, Any]]:
    """Per receiving unit: filings, awaiting acceptance (and overdue), acknowledged (on
    time or late against each filing's clock: JL-complaint-ack, or the sector's period
    where shorter), the working days from receipt to the acknowledgement (median and
    average; the engine's calendar, the day of receipt not counted), disputed, and
    filings per 100 of its cases (the supervisor's desk, issue #16 item 7). A fixed
    number of queries whatever the number of units."""
    rows = list(
        found.order_by()
        .values("organ_id", "organ__name")
        .annotate(
            total=Count("pk"),
            awaiting=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED)),
            overdue=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED, ack_due_on__lt=today)),
            acknowledged=Count("pk", filter=Q(acknowledged_on__isnull=False)),
            on_time=Count("pk", filter=Q(acknowledged_on__lte=F("ack_due_on"))),
            late=Count("pk", filter=Q(acknowledged_on__gt=F("ack_due_on"))),
            disputed=Count("pk", filter=Q(disputed_on__isnull=False)),
        )
        .order_by("organ__name")
    )
    cases = dict(
        Case.objects.filter(organ_id__in=[r["organ_id"] for r in rows])
        .order_by()
        .values("organ_id")
        .annotate(n=Count("pk"))
        .values_list("organ_id", "n")
    )
    waited: dict[int, list[int]] = {}
    calendar = None
    for organ_id, received_on, acknowledged_on in (
        found.order_by()
        .filter(acknowledged_on__isnull=False)
        .values_list("organ_id", "received_on", "acknowledged_on")
    ):
        calendar = calendar or database_calendar()
        days = calendar.working_days_between(received_on, acknowledged_on)
        waited.setdefault(organ_id, []).append(days)
    for row in rows:
        n = cases.get(row["organ_id"], 0)
        row["cases"] = n
        row["per_100_cases"] = round(100 * row["total"] / n, 1) if n else None
        days_list = waited.get(row["organ_id"], [])
        row["ack_days_median"] = statistics.median(days_list) if days_list else None
        row["ack_days_average"] = round(sum(days_list) / len(days_list), 1) if days_list else None
    return rows


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The filings the user handles or supervises, the acknowledgement clocks first;
    narrowed by status, category, receiving unit, overdue. A supervisor also sees the
    figures per receiving unit."""
    user: Any = request.user
    today = timezone.localdate()
    visible = _visible(request)
    found = visible
    filters = {
        k: request.GET.get(k, "")
        for k in ("status", "category", "organ", "overdue", "mine", "year")
    }
    if filters["status"] in ComplaintStatus.values:
        found = found.filter(status=filters["status"])
    else:
        filters["status"] = ""
    if filters["category"] in routing.categories():
        found = found.filter(category=filters["category"])
    else:
        filters["category"] = ""
    organs = list(
        visible.order_by().values_list("organ_id", "organ__name").distinct().order_by("organ__name")
    )
    if filters["organ"] in {str(pk) for pk, _name in organs}:
        found = found.filter(organ_id=int(filters["organ"]))
    else:
        filters["organ"] = ""
    if filters["overdue"] == "1":
        found = found.filter(status=ComplaintStatus.RECEIVED, ack_due_on__lt=today)
    else:
        filters["overdue"] = ""
    if filters["mine"] == "1":
        found = found.filter(assignments__user_id=user.pk)
    else:
        filters["mine"] = ""
    # The receiving units of a region of the scope, not its subregions' (the dashboard's
    # region rows count so).
    region = None
    code = request.GET.get("region", "")
    if code and len(code) <= 12 and code.isascii() and code.isdigit():
        region = visible_regions(user).filter(code=code).first()
    if region is not None:
        found = found.filter(organ__region=region)
    # The year of receipt (the supervision dashboard's figures link here with it).
    year = filters["year"]
    if len(year) == 4 and year.isascii() and year.isdigit():
        found = found.filter(received_on__year=int(year))
    else:
        filters["year"] = ""
    found = found.order_by("status", "ack_due_on", "pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "complaint": c,
            "category": routing.category_label(c.category),
            "overdue": c.status == ComplaintStatus.RECEIVED and today > c.ack_due_on,
            "assignees": [a.user for a in c.assignments.all()],
            "mine": policy.is_assigned(user, c),
        }
        for c in page.object_list
    ]
    supervising = getattr(user, "role", None) == Role.SUPERVISOR
    return render(
        request,
        "complaints/desk.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "region": region,
            "statuses": ComplaintStatus.choices,
            "categories": routing.category_choices(),
            "organs": organs,
            "statistics": organ_statistics(visible, today) if supervising else [],
        },
    )


def attachment_rows(complaint: Complaint, filer_visible: bool) -> list[dict[str, Any]]:
    """The attachments as the page lists them: the file name the filer gave only to
    whom sees the filer (a name may name its sender), else "附件 1" …"""
    kinds = {
        "image/jpeg": _("photo (JPEG)"),
        "image/png": _("photo (PNG)"),
        "application/pdf": _("PDF file"),
    }
    return [
        {
            "attachment": a,
            "name": a.original_name if filer_visible else _("Attachment %(n)d") % {"n": n},
            "kind": kinds.get(a.content_type, a.content_type),
        }
        for n, a in enumerate(complaint.attachments.all(), start=1)
    ]


def _notes_shown(complaint: Complaint, filer_visible: bool, others: list[Complaint]) -> list[Any]:
    """The filing's notes as ``policy.note_words`` shows them to the reader: its filer
    masked unless ``filer_visible``, and the filers of ``others`` (the filings handled
    together with it whose filer the reader may not see) always (the instances are read,
    never saved)."""
    notes = list(complaint.notes.select_related("author").order_by("created_at", "pk"))
    for n in notes:
        n.text = policy.note_words(complaint, n, filer_visible, others)
    return notes


def _detail_context(request: HttpRequest, complaint: Complaint, **bound: Any) -> dict[str, Any]:
    user = request.user
    filer_visible = policy.can_see_filer(user, complaint)
    withheld = policy.withheld_together(user, complaint)
    can_assign = policy.can_assign(user, complaint) is None
    merged = list(
        complaint.merged.order_by("pk").only(
            "pk", "number", "disputed_on", "dispute_reason", "filer_name", "filer_contact"
        )
    )
    merged_shown = [
        (m, policy.filer_words(m, m.dispute_reason, policy.can_see_filer(user, m))) for m in merged
    ]
    return {
        "complaint": complaint,
        "description": policy.filer_words(complaint, complaint.description, filer_visible),
        "dispute_reason": policy.filer_words(complaint, complaint.dispute_reason, filer_visible),
        "category": routing.category_label(complaint.category),
        "clock": _clock(request, complaint),
        "notes": _notes_shown(complaint, filer_visible, withheld),
        "notes_masked": not filer_visible or bool(withheld),
        "filer_visible": filer_visible,
        "assignees": [a.user for a in complaint.assignments.all()],
        "assigned_to_me": policy.is_assigned(user, complaint),
        "can_assign": can_assign,
        "assign_form": bound.get("assign_form")
        or (
            forms.AssignForm(
                complaint=complaint,
                initial={"assignees": [a.user_id for a in complaint.assignments.all()]},
            )
            if can_assign
            else None
        ),
        "merged_filings": merged_shown,
        "attachments": attachment_rows(complaint, filer_visible),
        "similar": [
            (other, round(ratio * 100), policy.can_merge(user, complaint, other) is None)
            for other, ratio in duplicates.similar_open(complaint, policy.visible(user))
        ],
        "can_acknowledge": policy.can_acknowledge(user, complaint) is None,
        "can_note": policy.can_note(user, complaint) is None,
        "can_close": policy.can_close(user, complaint) is None,
        "can_enter_case": policy.can_enter_case(user, complaint) is None,
        "can_review": policy.can_review(user, complaint) is None,
        "accept_form": bound.get("accept_form") or forms.AcceptForm(),
        "reject_form": bound.get("reject_form") or forms.RejectForm(),
        "progress_form": bound.get("progress_form") or forms.ProgressForm(),
        "close_form": bound.get("close_form") or forms.CloseForm(),
        "review_form": bound.get("review_form") or forms.ReviewForm(),
        "can_reassign": policy.can_reassign(user, complaint) is None,
        "reassign_form": bound.get("reassign_form")
        or forms.ReassignForm(region=getattr(user, "region", None), complaint=complaint),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get(request, pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An attachment of a filing the user may see (``policy.visible``), as a download."""
    complaint = _get(request, pk)
    found = complaint.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    try:
        handle = evidence_files.evidence_storage().open(found.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = found.storage_name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{complaint.number}-{found.pk}.{extension}",
        content_type=found.content_type,
    )


#: The desk's actions: the form, its name in the page's context, and the service call.
ACTIONS: dict[str, tuple[type[Any], str, Any]] = {
    "accept": (
        forms.AcceptForm,
        "accept_form",
        lambda c, u, d: services.accept(c, actor=u, note=d["note"]),
    ),
    "reject": (
        forms.RejectForm,
        "reject_form",
        lambda c, u, d: services.reject(c, actor=u, reasons=d["reasons"]),
    ),
    "progress": (
        forms.ProgressForm,
        "progress_form",
        lambda c, u, d: services.add_progress(c, actor=u, text=d["text"]),
    ),
    "close": (
        forms.CloseForm,
        "close_form",
        lambda c, u, d: services.close(c, actor=u, result=d["result"]),
    ),
    "review": (
        forms.ReviewForm,
        "review_form",
        lambda c, u, d: services.review(c, actor=u, decision=d["decision"], note=d["note"]),
    ),
}

#: The success messages (translated when shown).
_MESSAGES = {
    "accept": lambda: _("Accepted; the filer is told."),
    "reject": lambda: _("Not accepted; the filer is told the reasons."),
    "progress": lambda: _("Progress recorded; the filer sees it."),
    "close": lambda: _("Closed; the filer sees the result."),
    "review": lambda: _("Second look recorded; the filer sees it."),
}


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Handle this filing together with a similar open one of the same unit."""
    complaint = _get(request, pk)
    into_pk = request.POST.get("into", "")
    into_id = parse_id(into_pk)
    into = _visible(request).filter(pk=into_id).first() if into_id is not None else None
    if into is None:
        raise Http404
    try:
        services.merge(complaint, actor=request.user, into=into)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("complaints:detail", pk=complaint.pk)
    messages.success(request, _("Merged: both filers are told."))
    return redirect("complaints:detail", pk=into.pk)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor hands the filing to another unit of the region."""
    user: Any = request.user
    complaint = _get(request, pk)
    form = forms.ReassignForm(
        request.POST, region=getattr(user, "region", None), complaint=complaint
    )
    if form.is_valid():
        try:
            services.reassign(
                complaint,
                actor=user,
                organ=form.cleaned_data["organ"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("Reassigned."))
            if policy.visible(user).filter(pk=complaint.pk).exists():
                return redirect("complaints:detail", pk=complaint.pk)
            return redirect("complaints:desk")
    context = _detail_context(request, complaint, reassign_form=form)
    return render(request, "complaints/detail.html", context, status=400)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's head assigns the staff who handle the filing, or changes them."""
    complaint = _get(request, pk)
    refusal = policy.can_assign(request.user, complaint)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    form = forms.AssignForm(request.POST, complaint=complaint)
    if form.is_valid():
        try:
            services.assign(
                complaint,
                actor=request.user,  # type: ignore[arg-type]
                assignees=list(form.cleaned_data["assignees"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("Assigned."))
            return redirect("complaints:detail", pk=complaint.pk)
    complaint = _get(request, pk)
    context = _detail_context(request, complaint, assign_form=form)
    return render(request, "complaints/detail.html", context, status=400)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    complaint = _get(request, pk)
    form_class, name, call = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(complaint, request.user, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _MESSAGES[action]())
            return redirect("complaints:detail", pk=complaint.pk)
    context = _detail_context(request, complaint, **{name: form})
    return render(request, "complaints/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def enter_case(request: HttpRequest, pk: int) -> HttpResponse:
    """An accepted report becomes a case source of the receiving organ (the case-opening
    form of the cases app; general procedure, source ``report``)."""
    complaint = _get(request, pk)
    refusal = policy.can_enter_case(request.user, complaint)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    organ = complaint.organ
    if request.method == "POST":
        form = OpenCaseForm(request.POST, organ=organ)
        if form.is_valid():
            try:
                case = services.enter_case(
                    complaint,
                    actor=request.user,  # type: ignore[arg-type]
                    arguments=form.service_arguments(),
                )
            except ValidationError as exc:
                _errors_on(form, exc)
            else:
                messages.success(
                    request, _("Case source %(number)s entered.") % {"number": case.case_id}
                )
                return redirect("cases:detail", pk=case.pk)
    else:
        form = OpenCaseForm(organ=organ, initial=enter_case_initial(complaint))
    form.fields["power_item"].empty_label = _("Choose a power item…")  # type: ignore[attr-defined]
    filer_visible = policy.can_see_filer(request.user, complaint)
    return render(
        request,
        "complaints/enter_case.html",
        {
            "complaint": complaint,
            "description": policy.filer_words(complaint, complaint.description, filer_visible),
            "form": form,
            "category": routing.category_label(complaint.category),
            "attachments": attachment_rows(complaint, filer_visible),
        },
        status=400 if form.errors else 200,
    )


def enter_case_initial(complaint: Complaint) -> dict[str, Any]:
    """What the case-opening form takes over from the filing: the source (report or
    complaint), the general procedure, and the day the organ learned of the matter (the
    day the filing was received) as the day the violation was discovered. The place and
    what happened stay beside the form (the form has no field for them)."""
    return {
        "source": complaint.kind,
        "procedure": "general",
        "discovered_on": complaint.received_on,
    }


# --- what the cases app shows (registered from AppConfig.ready) -----------------------------


def case_links(user: Any, case: Any) -> list[dict[str, Any]]:
    """The filing a case came from, for whom may see it."""
    complaint = (
        Complaint.objects.filter(case_id=case.pk)
        .select_related("organ", "region", "subject_officer")
        .first()
    )
    if complaint is None or not policy.can_see(user, complaint):
        return []
    return [
        {
            "label": _("from filing %(number)s") % {"number": complaint.number},
            "url": reverse("complaints:detail", args=[complaint.pk]),
        }
    ]


def work_list_section(request: HttpRequest) -> dict[str, Any] | None:
    """Beside the cases: the filings assigned to the user and not yet ended, and the
    unit's acknowledgement clocks (with whom each is assigned to)."""
    user: Any = request.user
    open_statuses = (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED, ComplaintStatus.DISPUTED)
    mine = list(
        _visible(request)
        .filter(assignments__user_id=user.pk, status__in=open_statuses)
        .order_by("status", "ack_due_on", "pk")[:10]
    )
    waiting = list(
        _visible(request).filter(status=ComplaintStatus.RECEIVED).order_by("ack_due_on", "pk")[:10]
    )
    if not waiting and not mine:
        return None
    today = timezone.localdate()

    def row(c: Complaint) -> dict[str, Any]:
        return {
            "complaint": c,
            "category": routing.category_label(c.category),
            "overdue": c.status == ComplaintStatus.RECEIVED and today > c.ack_due_on,
            "rules": c.ack_rules,
            "assignees": [a.user for a in c.assignments.all()],
        }

    return {
        "template": "complaints/_work_list.html",
        "mine": [row(c) for c in mine],
        "rows": [row(c) for c in waiting],
    }

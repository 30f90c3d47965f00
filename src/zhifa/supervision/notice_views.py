"""The supervision notice pages (SUP-notice): the list of the notices a user may see,
the supervisor's form to issue one, one notice with its replies and the forms to reply
(the organ) and to accept or return a reply (the supervisor), and the documents and
attachments. Every view asks ``notices``' policy; outside it a notice is not found
(404), an act the user may not take is forbidden (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.core.validation import parse_id
from zhifa.documents.rendering import open_stored_pdf
from zhifa.records import evidence_files
from zhifa.rules.engine.notices import SUP_NOTICE, notice_level

from . import notices
from .forms import add_service_errors
from .models import OPEN_NOTICE_STATUSES, Notice, NoticeReply, NoticeStatus
from .notice_forms import NoticeForm, ReplyForm, ReturnForm

PAGE_SIZE = 50


def _may_list(user: Any) -> None:
    if getattr(user, "role", None) not in (Role.SUPERVISOR, *ORGAN_ROLES):
        raise PermissionDenied(_("Supervision notices are for supervisors and organs."))


@login_required
@require_http_methods(["GET", "HEAD"])
def notice_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _may_list(user)
    found = notices.visible(user).select_related("organ")
    status = request.GET.get("status", "")
    error = ""
    if status and status not in NoticeStatus.values:
        error = _("status: choose a status of the list.")
        status = ""
    if status:
        found = found.filter(status=status)
    today = timezone.localdate()
    window = notices.window(today)
    page = Paginator(found.order_by("-issued_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "notice": n,
            "level": notice_level(n.deadline, None, window)
            if n.status in OPEN_NOTICE_STATUSES
            else None,
        }
        for n in page.object_list
    ]
    return render(
        request,
        "supervision/notices/list.html",
        {
            "rule": SUP_NOTICE,
            "page": page,
            "rows": rows,
            "status": status,
            "error": error,
            "statuses": NoticeStatus.choices,
            "counts": notices.status_counts(user),
            "may_issue": notices.may_issue(user),
            "issue_refusal": notices.issue_refusal(user)
            if getattr(user, "role", None) == Role.SUPERVISOR
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    refusal = notices.issue_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    organs = notices.issuable_organs(user)
    raw = request.POST.get("organ") or request.GET.get("organ") or ""
    organ = None
    organ_error = ""
    if raw:
        pk = parse_id(raw, canonical=True)
        organ = organs.filter(pk=pk).first() if pk else None
        if organ is None:
            organ_error = _("organ: choose an organ of your region.")
    if organ is None:
        return render(
            request,
            "supervision/notices/choose_organ.html",
            {"rule": SUP_NOTICE, "organs": organs, "organ_error": organ_error},
            status=400 if request.method == "POST" or organ_error else 200,
        )
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST, organ=organ, actor=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = notices.issue_notice(
                    actor=user,
                    organ=organ,
                    kind=data["kind"],
                    cases=list(data["cases"]),
                    pattern=data["pattern"],
                    findings=data["findings"],
                    rectification=data["rectification"],
                    deadline=data["deadline"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Notice %(number)s is issued; the organ sees it and replies by %(day)s.")
                    % {"number": notice.number, "day": notice.deadline.isoformat()},
                )
                return redirect("supervision:notice_detail", pk=notice.pk)
        status = 400
    else:
        form = NoticeForm(organ=organ, actor=user)
    return render(
        request,
        "supervision/notices/form.html",
        {"rule": SUP_NOTICE, "organ": organ, "form": form, "today": timezone.localdate()},
        status=status,
    )


def _detail(
    request: HttpRequest,
    notice: Notice,
    reply_form: ReplyForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    replies = list(notice.replies.select_related("submitted_by", "reviewed_by"))
    window = notices.window(today)
    level = (
        notice_level(notice.deadline, None, window)
        if notice.status in OPEN_NOTICE_STATUSES
        else None
    )
    issued_days, issued_unscheduled = notices.working_days_until(notice.issued_on, notice.deadline)
    left_days, _years = notices.working_days_until(today, notice.deadline)
    return render(
        request,
        "supervision/notices/detail.html",
        {
            "rule": SUP_NOTICE,
            "notice": notice,
            "cases": list(notice.cases.order_by("pk")),
            "intact": notices.is_intact(notice),
            "replies": replies,
            "level": level,
            "issued_days": issued_days,
            "unscheduled": issued_unscheduled,
            "left_days": left_days if notice.deadline >= today else -left_days,
            "overdue": notice.deadline < today,
            "may_reply": notices.may_reply(user, notice),
            "head_replies": notice.status in OPEN_NOTICE_STATUSES
            and getattr(user, "organ_id", None) == notice.organ_id
            and not notices.may_answer(user, notice),
            "may_review": notices.may_review(user, notice),
            "reply_form": reply_form or ReplyForm(),
            "return_form": return_form or ReturnForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, notices.get_visible_or_404(request.user, pk))


@csrf_exempt  # only so that the size limit is installed before the body is read …
@login_required
@require_POST
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    evidence_files.install_size_limit(request, evidence_files.max_bytes("document"))
    return _notice_reply(request, pk)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = notices.get_visible_or_404(user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if getattr(request, "evidence_upload_too_large", False):
        form.add_error(
            "files", evidence_files.too_large_message(evidence_files.max_bytes("document"))
        )
    elif form.is_valid():
        try:
            reply = notices.submit_reply(
                notice,
                actor=user,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if reply.late:
                messages.warning(
                    request,
                    _("The reply %(number)s is submitted, after the deadline: it is marked late.")
                    % {"number": reply.number},
                )
            else:
                messages.success(
                    request, _("The reply %(number)s is submitted.") % {"number": reply.number}
                )
            return redirect("supervision:notice_detail", pk=notice.pk)
    return _detail(request, notice, reply_form=form, status=400)


@login_required
@require_POST
def notice_accept(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notices.get_visible_or_404(request.user, pk)
    try:
        notices.accept_reply(notice, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:notice_detail", pk=notice.pk)
    messages.success(request, _("The reply is accepted; the notice is closed."))
    return redirect("supervision:notice_detail", pk=notice.pk)


@login_required
@require_POST
def notice_return(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notices.get_visible_or_404(request.user, pk)
    if not notices.is_reviewer(request.user, notice):
        raise PermissionDenied(
            _("Only a supervisor of the issuing justice bureau's region reviews the reply.")
        )
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            notices.return_reply(notice, actor=request.user, reasons=form.cleaned_data["reasons"])
        except notices.NotOpen as exc:
            # The same message as a second acceptance: the state, not a missing right.
            messages.error(request, " ".join(exc.messages))
            return redirect("supervision:notice_detail", pk=notice.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reply is returned; the organ replies again."))
            return redirect("supervision:notice_detail", pk=notice.pk)
    return _detail(request, notice, return_form=form, status=400)


def _pdf(storage_name: str, sm3: str, filename: str) -> HttpResponse:
    data = open_stored_pdf(storage_name, sm3)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quoted(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@login_required
@require_http_methods(["GET", "HEAD"])
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notices.get_visible_or_404(request.user, pk)
    return _pdf(notice.storage_name, notice.sm3, f"{notice.number}.pdf")


def _reply_of(request: HttpRequest, pk: int, attempt: int) -> NoticeReply:
    notice = notices.get_visible_or_404(request.user, pk)
    reply = notice.replies.filter(attempt=attempt).first()
    if reply is None:
        raise Http404
    return reply


@login_required
@require_http_methods(["GET", "HEAD"])
def reply_document(request: HttpRequest, pk: int, attempt: int) -> HttpResponse:
    reply = _reply_of(request, pk, attempt)
    return _pdf(reply.storage_name, reply.sm3, f"{reply.number}.pdf")


@login_required
@require_http_methods(["GET", "HEAD"])
def reply_attachment(request: HttpRequest, pk: int, attempt: int, index: int) -> FileResponse:
    reply = _reply_of(request, pk, attempt)
    files = reply.attachments or []
    if not 1 <= index <= len(files):
        raise Http404
    item = files[index - 1]
    try:
        _size, sm3, _sha256 = evidence_files.digests_of_stored(item["storage"])
    except FileNotFoundError:
        sm3 = ""
    if sm3 != item.get("sm3"):
        raise Http404
    handle = evidence_files.evidence_storage().open(item["storage"], "rb")
    name = "".join("_" if c in '/\\:*?"<>|' else c for c in str(item.get("name", "")))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or f"attachment-{index}",
        content_type=item.get("type") or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

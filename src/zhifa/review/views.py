"""Review pages: the queue, one request (case, checklist form, history) and the
submission of a case. Thin views over ``services``; every query through the scope layer
(outside the scope: 404; the wrong role: 403)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhifa.accounts.models import Role
from zhifa.cases.casefile import load_certificates, prefetch
from zhifa.cases.labels import circumstance_label, step_label
from zhifa.cases.models import Case
from zhifa.cases.policy import can_complete_review, state_of
from zhifa.core.scope import get_scoped_or_404, require_role, scoped
from zhifa.core.views import ScopedFormView
from zhifa.rules.calendar_db import database_calendar

from . import services
from .filters import filter_requests
from .forms import ReviewForm, SubmitForm, add_service_errors
from .models import CHECKLIST, ReviewRequest, ReviewStatus
from .presentation import case_url, decision_deadline

PAGE_SIZE = 25
#: Who reads review requests (the scope layer narrows them to the organ or region).
READ_ROLES = tuple(Role.values)
ORGAN = "case__organ"


def _requests() -> object:
    return ReviewRequest.objects.select_related("case__organ", "submitted_by", "reviewer", "step")


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """The organ's review queue: pending requests, oldest first, with the decision
    deadline (APL-60-decision-deadline) the engine computes for each case."""
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    status = request.GET.get("status", ReviewStatus.PENDING)
    q = request.GET.get("q", "")
    requests = filter_requests(
        scoped(request.user, _requests(), ORGAN),  # type: ignore[arg-type]
        status=status,
        q=q,
    ).order_by("submitted_on", "pk")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    # The page's cases with everything their deadlines read, and one calendar for all
    # rows: a fixed number of queries however many rows the page shows.
    cases = prefetch(Case.objects.filter(pk__in=[r.case_id for r in page])).in_bulk()
    load_certificates(cases.values())  # the officers of the whole page in one query
    calendar = database_calendar()
    rows = [
        {"request": r, "deadline": decision_deadline(cases[r.case_id], today, calendar)}
        for r in page
    ]
    return render(
        request,
        "review/queue.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "q": q,
            "statuses": ReviewStatus.choices,
            "is_reviewer": getattr(request.user, "role", None) == Role.LEGAL_REVIEWER,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: the case's facts and steps, the review form for the organ's legal
    reviewer while it is pending, and the case's past reviews."""
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    review = get_scoped_or_404(
        request.user,
        _requests(),  # type: ignore[arg-type]
        ORGAN,
        pk=request_id,
    )
    form = None
    if request.method == "POST":
        if getattr(request.user, "role", None) != Role.LEGAL_REVIEWER:
            raise PermissionDenied
        if not review.is_pending:
            messages.error(request, _("This request has already been reviewed."))
            return redirect("review:detail", request_id=review.pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.complete_review(
                    review,
                    actor=request.user,  # type: ignore[arg-type]
                    on=timezone.localdate(),
                    checklist=data["checklist"],
                    opinion=data["opinion"],
                    result=data["result"],
                    expected_steps=data["expected_steps"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The legal review is recorded."))
                for warning in services.review_warnings(review):
                    messages.warning(request, f"{warning['rule']}: {warning['message']}")
                return redirect("review:detail", request_id=review.pk)
    case = review.case
    state = state_of(case)
    if form is None and can_complete_review(state, request.user, review) is None:  # type: ignore[arg-type]
        form = ReviewForm(initial={"expected_steps": len(state.steps)})
    today = timezone.localdate()
    results = dict(ReviewStatus.choices)
    steps = [
        {
            "step": s,
            "label": step_label(s.step),
            # A legal review's result in words (审核通过), not its code.
            "result": results.get(s.data.get("result", "")) if s.step == "legal_review" else None,
        }
        for s in state.steps
    ]
    history = (
        case.review_requests.exclude(pk=review.pk)
        .select_related("submitted_by", "reviewer")
        .order_by("-submitted_on", "-pk")
    )
    checklist = [{"item": item, "outcome": review.checklist.get(item.code)} for item in CHECKLIST]
    return render(
        request,
        "review/detail.html",
        {
            "review": review,
            "case": case,
            "case_url": case_url(case),
            "circumstance": circumstance_label(case.benchmark),
            "steps": steps,
            "deadline": decision_deadline(case, today),
            "history": history,
            "checklist": checklist,
            "warnings": services.review_warnings(review),
            "form": form,
        },
    )


class SubmitView(ScopedFormView):
    """Submit a case of the officer's organ for legal review (the role, then the case
    through the scope layer; the page is shown again, 200, with the service's errors)."""

    http_method_names = ["get", "post"]
    role_first = True
    roles = services.SUBMIT_ROLES
    form_class = SubmitForm
    template_name = "review/submit.html"
    invalid_status = 200
    message = gettext_lazy("The case is submitted for legal review.")

    def get_object(self) -> Case:
        return get_scoped_or_404(
            self.request.user, Case.objects.select_related("organ"), pk=self.kwargs["case_pk"]
        )

    def get_form(self, obj: Any, data: Mapping[str, Any] | None) -> Form:
        return SubmitForm(data or None)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        return services.submit_for_review(
            obj, actor=user, on=timezone.localdate(), note=form.cleaned_data["note"]
        )

    def show_errors(self, form: Form, exc: ValidationError) -> None:
        add_service_errors(form, exc)

    def success_url(self, obj: Any, result: Any) -> str:
        return reverse("review:detail", kwargs={"request_id": result.pk})

    def context(self, obj: Any, form: Form) -> dict[str, Any]:
        pending = obj.review_requests.filter(status=ReviewStatus.PENDING).first()
        return {"form": form, "case": obj, "case_url": case_url(obj), "pending": pending}


submit = login_required(SubmitView.as_view())

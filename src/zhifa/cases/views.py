"""Case pages (issue #6): the work list with deadlines, opening a case, the case page,
one form per step, the suspension of the case clock and the organ head's approvals.

The views are thin: every state change is a function of ``cases.services`` (which asks
the rules engine), every action is offered by ``policy`` (the same ``can_<verb>`` the
service enforces) and the search comes from ``filters.filter_cases``. Every case is
read through the scope layer (another organ's case is a 404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import ORGAN_ROLES, Role, User
from zhifa.catalogue.models import Circumstance
from zhifa.catalogue.services import bands_in_force
from zhifa.core.scope import (
    get_scoped_or_404,
    require_role,
    scoped,
    visible_organs,
    visible_regions,
)
from zhifa.core.validation import parse_id
from zhifa.core.views import ScopedFormView
from zhifa.documents import formats
from zhifa.documents.models import IssuedDocument
from zhifa.documents.rendering import StoredDocumentBroken, open_pdf
from zhifa.documents.views import document_filename, pdf_response
from zhifa.records import evidence_files
from zhifa.records.models import Entry, Evidence
from zhifa.records.presentation import entry_rows
from zhifa.rules.calendar_db import database_calendar

from . import extensions, policy, queries, services
from .actions.service_receipt import scan_max_bytes
from .casefile import ordered_steps, prefetch
from .content import view as content_view
from .documents import (
    case_document_links,
    render_document,
    scan_broken,
)
from .dossier import build_case_dossier, dossier_filename, not_yet_issued
from .filters import WITH_STEPS, filter_cases
from .forms import (
    STEP_FORMS,
    ArchiveForm,
    OpenCaseForm,
    ReceiptScanForm,
    ResumeForm,
    SuspendForm,
    TransferForm,
    TransferResultForm,
    basis_prefill,
    power_items_for,
)
from .labels import circumstance_label, step_label
from .models import (
    ENDED_STATUSES,
    Case,
    CaseStatus,
    Procedure,
    ReceiptScan,
    Transfer,
)

PAGE_SIZE = 25
#: Who may open a case and take its steps (the service checks each step's actor).
ACT_ROLES = (Role.OFFICER, Role.ORGAN_HEAD)


# --- the work list ---------------------------------------------------------------------


def _year_filter(raw: str) -> int | None:
    """A year the list narrows to (``decided``, ``paid``): four digits, else ignored."""
    return int(raw) if len(raw) == 4 and raw.isascii() and raw.isdigit() else None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_role(user, *Role.values)
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    procedure = request.GET.get("procedure", "")
    procedure = procedure if procedure in Procedure.values else ""
    decided = _year_filter(request.GET.get("decided", ""))
    paid = _year_filter(request.GET.get("paid", ""))
    with_step = request.GET.get("with", "")
    with_step = with_step if with_step in WITH_STEPS else ""
    can_narrow = user.role == Role.OFFICER
    show_all = not can_narrow or request.GET.get("all") == "1"
    cases: QuerySet[Case] = scoped(user, Case.objects.all())
    if not show_all:
        cases = cases.filter(queries.mine(user))
        if not status:
            cases = cases.exclude(status__in=ENDED_STATUSES)
    cases = filter_cases(
        cases,
        q=q,
        status=status,
        procedure=procedure,
        decided=decided,
        paid=paid,
        with_step=with_step,
    )
    # A supervisor (or an administrator) reads the cases of a region's organs: the list
    # names each case's organ and narrows to one of the region's organs; an organ outside
    # the region is refused on the field and never narrows (nor reveals) anything.
    regional = user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)
    organs = list(visible_organs(user).order_by("region__path", "name")) if regional else []
    organ = request.GET.get("organ", "") if regional else ""
    organ_error = ""
    if organ:
        organ_pk = parse_id(organ)
        if organ_pk is not None and organ_pk in {o.pk for o in organs}:
            cases = cases.filter(organ_id=organ_pk)
        else:
            organ_error = _("Organ: choose one of the organs of your region.")
            organ = ""
    # A region of the scope (the supervision dashboard's region rows link here with it):
    # the cases of the organs of that region itself (as the row counts them, not its
    # subregions').
    within = request.GET.get("region", "") if regional else ""
    within_region = None
    if within:
        if len(within) <= 12 and within.isascii() and within.isdigit():
            within_region = visible_regions(user).filter(code=within).first()
        if within_region is None:
            organ_error = organ_error or _("Region: choose a region of your scope.")
        else:
            cases = cases.filter(organ__region=within_region)
    today = timezone.localdate()
    page = Paginator(queries.work_list(cases, today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.work_rows(page.object_list, today, database_calendar())
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": {"q": q, "status": status, "procedure": procedure, "organ": organ},
            "narrowed": {
                "decided": decided,
                "paid": paid,
                "with": with_step,
                "region": within_region,
            },
            "regional": regional,
            "region": user.region if regional else None,
            "organs": organs,
            "organ_error": organ_error,
            "statuses": CaseStatus.choices,
            "procedures": Procedure.choices,
            "can_narrow": can_narrow,
            "show_all": show_all,
            "can_open": user.role in ACT_ROLES,
            "can_see_incoming": user.role in ORGAN_ROLES and user.organ_id is not None,
            "extra_sections": extensions.work_list_sections(request),
        },
        status=400 if organ_error else 200,
    )


# --- opening a case ----------------------------------------------------------------------


def show_service_errors(form: Form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: each field's messages on the field
    (when the form has it, a step's content by its path: ``field_for_path``), the rest
    at the top."""
    field_for_path = getattr(form, "field_for_path", None)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if target is None and field_for_path is not None:
                target = field_for_path(field)  # a step's content: ``content.witnesses``
            for error in errors:
                prefixed = target is None and field != "__all__"
                form.add_error(target, f"{field}: {error}" if prefixed else error)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_role(user, *ACT_ROLES)
    if user.organ is None:
        raise PermissionDenied
    if request.method == "POST":
        form = OpenCaseForm(request.POST, organ=user.organ)
        if form.is_valid():
            args = form.service_arguments()
            try:
                case = services.open_case(user.organ, actor=user, **args)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "power_scope":
                    form.add_error("power_item", exc.messages)
                else:
                    show_service_errors(form, exc)
            else:
                messages.success(request, _("Case %(number)s opened.") % {"number": case.case_id})
                return redirect("cases:detail", pk=case.pk)
    else:
        initial: dict[str, Any] = {}
        chosen = parse_id(request.GET.get("power_item", ""))
        if chosen is not None:
            item = power_items_for(user.organ, timezone.localdate()).filter(pk=chosen).first()
            if item is not None:
                initial = basis_prefill(item, timezone.localdate())
        form = OpenCaseForm(organ=user.organ, initial=initial)
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "power_items": power_items_for(user.organ, timezone.localdate())},
        status=400 if form.errors else 200,
    )


# --- the case page -----------------------------------------------------------------------


def _scoped_case(request: HttpRequest, pk: int) -> Case:
    return get_scoped_or_404(
        request.user, Case.objects.select_related("organ__region", "power_item"), pk=pk
    )


def _timeline(user: Any, case: Case) -> list[dict[str, Any]]:
    entries = (
        scoped(
            user,
            Entry.objects.filter(object_type="cases.case", object_id=str(case.pk)),
            "organ",
        )
        .select_related("organ", "actor")
        .order_by("recorded_at", "organ_id", "seq")
    )
    return entry_rows(list(entries))


def case_context(
    request: HttpRequest,
    case: Case,
    suspend_form: SuspendForm | None = None,
    resume_form: ResumeForm | None = None,
    archive_form: ArchiveForm | None = None,
    scan_form: ReceiptScanForm | None = None,
) -> dict[str, Any]:
    user: Any = request.user
    case = prefetch(Case.objects.filter(pk=case.pk)).get()
    today = timezone.localdate()
    calendar = database_calendar()
    audited = services.case_audit(case, today, calendar)
    steps = ordered_steps(case)
    transfers = list(
        case.transfers.select_related("to_organ", "result_actor").order_by("sent_on", "pk")
    )
    state = policy.CaseState(
        case,
        steps,
        case.suspensions.all(),
        transfers=transfers,
        officers=case.case_officers.all(),
        reviews=case.review_requests.order_by("submitted_on", "pk"),
    )
    offered = policy.offered_steps(state, user)
    open_suspension = state.open_suspension
    evidence = (
        scoped(
            user,
            Evidence.objects.filter(object_type="cases.case", object_id=str(case.pk)),
            "organ",
        )
        .select_related("uploaded_by")
        .prefetch_related("collected_by")
    )
    documents = case_document_links(user, case, steps)
    # The steps the party filed itself (the party app: its acting user has role party).
    party_actors = set(
        User.objects.filter(pk__in={s.actor_id for s in steps}, role=Role.PARTY).values_list(
            "pk", flat=True
        )
    )
    return {
        "case": case,
        "electronic_consents": _electronic_consents(case),
        "circumstance": circumstance_label(case.benchmark),
        "deadlines": queries.case_deadlines(case, today, calendar, audited.deadlines),
        "penalties": queries.case_penalties(case, today, calendar, audited),
        "steps": [
            {
                "step": s,
                "label": step_label(s.step),
                "content": content_view(s.data.get("content")),
                "by_party": s.actor_id in party_actors,
            }
            for s in steps
        ],
        "can_act": getattr(user, "role", None) in policy.ACT_ROLES
        and getattr(user, "organ_id", None) == case.organ_id,
        "next_steps": [{"step": s, "label": step_label(s)} for s in offered if s in STEP_FORMS],
        "officers": sorted(case.case_officers.all(), key=lambda r: r.pk),
        "suspensions": sorted(case.suspensions.all(), key=lambda s: (s.start, s.pk)),
        "open_suspension": open_suspension,
        "can_suspend": policy.can_suspend(state, user) is None,
        "can_resume": policy.can_resume(state, user) is None,
        "suspend_form": suspend_form or SuspendForm(),
        "can_archive": policy.can_archive(state, user) is None,
        "archive_form": archive_form or ArchiveForm(),
        "resume_form": resume_form or ResumeForm(),
        "rows": _timeline(user, case),
        "evidence": list(evidence),
        "object_type": "cases.case",
        "can_add_evidence": policy.can_add_evidence(state, user) is None,
        "transfers": transfers,
        "can_transfer": policy.can_transfer(state, user) is None,
        # The transfers whose reply the user may record.
        "replyable": {t.pk for t in transfers if policy.can_reply_transfer(t, user) is None},
        "reviews": list(state.reviews),
        "can_submit_review": policy.can_submit_review(state, user) is None,
        "documents": documents,
        "scan_form": scan_form or ReceiptScanForm(),
        "dossier_missing": not_yet_issued(documents, list(steps)),
        "publications": _publications(user, case),
        "extra_links": extensions.case_links(user, case),
        "extra_actions": extensions.case_actions(user, case),
    }


def _electronic_consents(case: Case) -> list[Any]:
    """The party's signed consents to electronic service given online (the party app's,
    through its reverse relation: cases imports no party code), which the officer relies
    on when recording an electronic service (the served step's ``electronic_consent``,
    APL-61-service): the one in force, none once the party withdrew it."""
    access = getattr(case, "party_access", None)
    current = access.current_consent() if access is not None else None
    return [current] if current is not None else []


def _publications(user: Any, case: Case) -> list[Any]:
    """The publications of the case's decisions (the disclosure app's, through its
    reverse relation: cases imports no disclosure code), for the organ's own users:
    a failed publication names what to correct."""
    related = getattr(case, "publications", None)
    if related is None or getattr(user, "organ_id", None) != case.organ_id:
        return []
    return list(related.select_related("decision").defer("document_pdf").order_by("pk"))


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    case = _scoped_case(request, pk)
    return render(request, "cases/case_detail.html", case_context(request, case))


class CaseFormView(ScopedFormView):
    """A form of one case (``core.views.ScopedFormView``): the case through the scope
    layer (another organ's case is a 404), then the role; the service's field errors
    on the form; on success the message and back to the case page."""

    def get_object(self) -> Case:
        return _scoped_case(self.request, self.kwargs["pk"])

    def show_errors(self, form: Form, exc: ValidationError) -> None:
        show_service_errors(form, exc)

    def success_url(self, obj: Any, result: Any) -> str:
        return reverse("cases:detail", kwargs={"pk": obj.pk})


class CasePageFormView(CaseFormView):
    """A form on the case page that calls one service function (suspend, resume,
    archive): a refused form shows the case page again (400) with the form at
    ``form_key``."""

    template_name = "cases/case_detail.html"
    form_key = ""

    def render_page(self, obj: Any, form: Form, status: int = 200) -> HttpResponse:
        context = case_context(self.request, obj, **{self.form_key: form})
        return render(self.request, self.template_name, context, status=status)


case_suspend = login_required(
    CasePageFormView.as_view(
        form_class=SuspendForm,
        form_key="suspend_form",
        roles=[Role.ORGAN_HEAD],
        service=lambda case, user, form: services.suspend_case(
            case, actor=user, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"]
        ),
        message=gettext_lazy("The case clock is suspended."),
    )
)

case_resume = login_required(
    CasePageFormView.as_view(
        form_class=ResumeForm,
        form_key="resume_form",
        roles=[Role.ORGAN_HEAD],
        service=lambda case, user, form: services.resume_case(
            case, actor=user, on=form.cleaned_data["on"]
        ),
        message=gettext_lazy("The case clock runs again."),
    )
)

case_archive = login_required(
    CasePageFormView.as_view(
        form_class=ArchiveForm,
        form_key="archive_form",
        roles=ACT_ROLES,
        service=lambda case, user, form: services.archive_case(
            case, actor=user, on=form.cleaned_data["on"]
        ),
        message=gettext_lazy("The case is archived."),
    )
)


# --- the steps ---------------------------------------------------------------------------


def _bands(case: Case, on: dt.date) -> list[dict[str, Any]]:
    """The discretion band of each circumstance in force on ``on`` (the catalogue's
    benchmark of the power item; DISC-benchmark)."""
    if case.power_item is None:
        return []
    in_force = bands_in_force(case.power_item, on)
    return [
        {
            "value": value,
            "label": label,
            "band": in_force[value].band if value in in_force else None,
        }
        for value, label in Circumstance.choices
    ]


def _step_initial(case: Case) -> dict[str, Any]:
    """A step form's first values: today and the steps the user saw (``add_step``'s
    optimistic-concurrency check)."""
    return {"on": timezone.localdate(), "expected_steps": case.steps.count()}


class StepFormView(CaseFormView):
    """One form per step (``forms.STEP_FORMS``), offered by the policy: a step that is
    not due is a 404, a step due but not the user's to take a 403. A step the rules
    engine refuses shows the broken rules (400); the saved step's document number goes
    into the message."""

    http_method_names = ["get", "post"]
    template_name = "cases/step_form.html"

    def check(self, obj: Any) -> None:
        self.findings: list[dict[str, str]] = []
        step = self.kwargs["step"]
        if STEP_FORMS.get(step) is None:
            raise Http404
        user: Any = self.request.user
        state = policy.state_of(obj)
        if step not in policy.offered_steps(state, user):
            if step in policy.offered_steps(state):
                raise PermissionDenied  # the step is due, but not this user's to take
            raise Http404

    def get_form(self, obj: Any, data: Mapping[str, Any] | None) -> Form:
        form_class = STEP_FORMS[self.kwargs["step"]]
        if data is None:
            return form_class(case=obj, user=self.request.user, initial=_step_initial(obj))
        return form_class(data, case=obj, user=self.request.user)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        return form.submit()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("more_rows"):
            # "More rows" of the content: the form again with what was typed, unsaved.
            obj = self.load()
            return self.render_page(obj, self.get_form(obj, request.POST))
        return super().post(request, *args, **kwargs)

    def show_errors(self, form: Form, exc: ValidationError) -> None:
        if isinstance(exc, services.RuleViolation):
            self.findings = exc.findings
        elif getattr(exc, "error_dict", {}).keys() == {"step"}:
            # The step itself refused (the case is at the cap on steps): the whole form's.
            form.add_error(None, exc.messages)
        else:
            show_service_errors(form, exc)

    def success_message(self, obj: Any, result: Any) -> str:
        """The step recorded, its document number, and the warnings the rules engine
        saved it with (the rule and its message), which the user must see."""
        step = self.kwargs["step"]
        if result.warnings:
            text = _("%(step)s recorded, but with these warnings: %(warnings)s") % {
                "step": step_label(step),
                "warnings": "；".join(f"{w['rule']} {w['message']}" for w in result.warnings),
            }
        else:
            text = _("%(step)s recorded.") % {"step": step_label(step)}
        if result.document_number:
            text += " " + _("Document number: %(number)s") % {"number": result.document_number}
        return text

    def success_level(self, obj: Any, result: Any) -> int:
        return messages.WARNING if result.warnings else messages.SUCCESS

    def context(self, obj: Any, form: Any) -> dict[str, Any]:
        step = self.kwargs["step"]
        on = timezone.localdate()
        if form.is_bound and form.is_valid():
            on = form.cleaned_data.get("on", on)  # none while "more rows" shows it again
        return {
            "case": obj,
            "form": form,
            "step": step,
            "label": step_label(step),
            "findings": self.findings,
            "penalty_rows": form.penalty_rows() if hasattr(form, "penalty_rows") else [],
            "bands": _bands(obj, on) if step == "decision" else [],
            "approver": getattr(form, "approver", None),
            "content_groups": form.content_groups() if form.content_sections else [],
            "content_has_rows": form.has_rows(),
        }


step_form = login_required(StepFormView.as_view())


# --- approvals ---------------------------------------------------------------------------


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """What waits for the organ head (``queries.approvals``): registrations (立案审批),
    decisions after the prior notice (APL 57), open seizures (ACL 25 extension) and
    served decisions (deferral, APL 66), a page at a time, grouped on the page."""
    user: Any = request.user
    require_role(user, Role.ORGAN_HEAD)
    waiting = queries.approvals(user)
    counts = dict.fromkeys(queries.APPROVAL_GROUPS, 0)
    for row in waiting:
        counts[row.group] += 1
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = queries.last_reviews([r.case for r in page.object_list if r.group == "decision"])
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in queries.APPROVAL_GROUPS}
    for row in page.object_list:
        rows[row.group].append(
            {
                "case": row.case,
                "review": reviews.get(row.case.pk),
                "links": [{"step": s, "label": step_label(s)} for s in row.steps],
            }
        )
    sections = [
        {"name": name, "rows": rows[name], "count": counts[name]}
        for name in queries.APPROVAL_GROUPS
    ]
    return render(
        request,
        "cases/approvals.html",
        {"groups": rows, "sections": sections, "page": page},
    )


# --- transfer (移送) -----------------------------------------------------------------------


class TransferView(CaseFormView):
    """The organ head transfers the case (APL 27; ``services.transfer_case``)."""

    http_method_names = ["get", "post"]
    roles = (Role.ORGAN_HEAD,)
    form_class = TransferForm
    template_name = "cases/transfer_form.html"

    def check(self, obj: Any) -> None:
        if policy.can_transfer(policy.state_of(obj), self.request.user) is not None:  # type: ignore[arg-type]
            raise Http404

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"case": obj, "user": self.request.user}

    def initial(self, obj: Any) -> dict[str, Any]:
        return _step_initial(obj)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        return form.submit()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("more_rows"):
            # "More rows" of the content: the form again with what was typed, unsaved.
            obj = self.load()
            return self.render_page(obj, self.get_form(obj, request.POST))
        return super().post(request, *args, **kwargs)

    def show_errors(self, form: Form, exc: ValidationError) -> None:
        if isinstance(exc, services.RuleViolation):
            form.add_error(
                None, [f"{f['rule']}（{f['citation']}）：{f['message']}" for f in exc.findings]
            )
        else:
            show_service_errors(form, exc)

    def success_message(self, obj: Any, result: Any) -> str:
        return _("The case is transferred. Transfer letter number: %(number)s") % {
            "number": result.letter_number
        }

    def context(self, obj: Any, form: Any) -> dict[str, Any]:
        return {"case": obj, "form": form, "approver": form.approver}


case_transfer = login_required(TransferView.as_view())


def _visible_transfer(user: Any, pk: int) -> Transfer:
    """A transfer the user's organ sent or received (anything else: 404)."""
    if user.role not in ORGAN_ROLES or user.organ_id is None:
        raise Http404
    transfer = (
        Transfer.objects.select_related("case__organ", "to_organ", "step")
        .filter(Q(case__organ_id=user.organ_id) | Q(to_organ_id=user.organ_id), pk=pk)
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


class TransferReplyView(ScopedFormView):
    """Record the receiver's written reply (``services.record_transfer_result``): the
    sending organ from the reply letter, or the receiving organ of the registry itself."""

    http_method_names = ["get", "post"]
    form_class = TransferResultForm
    template_name = "cases/transfer_reply.html"
    message = gettext_lazy("The reply to the transfer is recorded.")

    def get_object(self) -> Transfer:
        return _visible_transfer(self.request.user, self.kwargs["pk"])

    def check(self, obj: Any) -> None:
        refusal = policy.can_reply_transfer(obj, self.request.user)  # type: ignore[arg-type]
        if refusal is not None:
            if refusal.forbidden:
                raise PermissionDenied
            raise Http404

    def _sender(self, transfer: Transfer) -> bool:
        return transfer.case.organ_id == getattr(self.request.user, "organ_id", None)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        d = form.cleaned_data
        return services.record_transfer_result(
            obj, actor=user, on=d["on"], result=d["result"], note=d["note"]
        )

    def show_errors(self, form: Form, exc: ValidationError) -> None:
        show_service_errors(form, exc)

    def success_url(self, obj: Any, result: Any) -> str:
        if self._sender(obj):
            return reverse("cases:detail", kwargs={"pk": obj.case_id})
        return reverse("cases:incoming")

    def context(self, obj: Any, form: Form) -> dict[str, Any]:
        return {"transfer": obj, "form": form, "sender": self._sender(obj)}


transfer_reply = login_required(TransferReplyView.as_view())


@login_required
def incoming(request: HttpRequest) -> HttpResponse:
    """The transfers sent to the user's organ (``services.incoming_transfers``): the
    letter's content, not the case; the case file once the organ accepted it."""
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    if user.organ is None:
        raise PermissionDenied
    page = Paginator(services.incoming_transfers(user.organ), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/incoming.html",
        {"page": page, "can_reply": user.role in ACT_ROLES},
    )


@login_required
def transfer_document(request: HttpRequest, pk: int) -> JsonResponse:
    """The transferred case's file (format v1) for the receiving organ once it accepted
    (``services.transferred_case_document``); anyone else gets a 404."""
    user: Any = request.user
    transfer = _visible_transfer(user, pk)
    try:
        document = services.transferred_case_document(transfer, user=user)
    except PermissionDenied:
        raise Http404 from None
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = f"transfer-{transfer.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the case's documents (issue #14) --------------------------------------------------


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Render the case's document of ``kind`` (once), then open it."""
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    case = _scoped_case(request, pk)
    require_role(request.user, *ORGAN_ROLES)
    if kind not in formats.kinds():
        raise Http404
    try:
        part = int(request.POST.get("part") or 0)
    except ValueError:
        messages.error(request, _("part: give the number of the record."))
        return redirect("cases:detail", pk=case.pk)
    try:
        document = render_document(
            case, kind, actor=request.user, base_url=request.build_absolute_uri("/"), part=part
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    return redirect("cases:document_file", pk=case.pk, document_id=document.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def document_file(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """The PDF, inline (to print from the browser) or as a download (``?download=1``)."""
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    case = _scoped_case(request, pk)
    document = get_scoped_or_404(
        request.user, IssuedDocument.objects.filter(case=case), pk=document_id
    )
    try:
        pdf = open_pdf(document)
    except StoredDocumentBroken as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    return pdf_response(
        pdf, document_filename(document), attachment=bool(request.GET.get("download"))
    )


# --- the signed 送达回证 (issue #14, item 5) ----------------------------------------------


@csrf_exempt  # only so that the size limit is installed before the body is read …
@login_required
@require_POST
def receipt_scan_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    evidence_files.install_size_limit(request, scan_max_bytes())
    return _receipt_scan_add(request, pk)


@csrf_protect  # … and CSRF is checked here, as everywhere else.
def _receipt_scan_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the scan of the signed 送达回证 (``services.attach_receipt_scan``); a
    refused file shows the case page again (400) with the error at the upload."""
    case = _scoped_case(request, pk)
    user: Any = request.user
    if not policy.can_see_receipt_scans(case, user):
        raise Http404  # another organ's case, or a supervisor: not theirs to see
    form = ReceiptScanForm(request.POST, request.FILES)
    if getattr(request, "evidence_upload_too_large", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", evidence_files.too_large_message(scan_max_bytes()))
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach_receipt_scan(
                case, actor=user, upload=upload, original_name=upload.name or ""
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The scan of the signed service receipt is attached."))
            return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#documents")
    context = case_context(request, case, scan_form=form)
    return render(request, "cases/case_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def receipt_scan_file(request: HttpRequest, pk: int, scan_id: int) -> HttpResponse:
    """A scan of the signed 送达回证, as a download: the users of the case's organ only
    (anyone else: 404); never on a public page. A stored file that is missing or not the
    one attached (its SM3) is not served: the case page says so."""
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    case = _scoped_case(request, pk)
    if not policy.can_see_receipt_scans(case, request.user):
        raise Http404
    scan = ReceiptScan.objects.filter(case=case, pk=scan_id).select_related("document").first()
    if scan is None:
        raise Http404
    try:
        _size, sm3, _sha256 = evidence_files.digests_of_stored(scan.storage_name)
    except FileNotFoundError:
        sm3 = ""
    if sm3 != scan.sm3:  # missing or altered: reported by `zhifa records verify`
        messages.error(request, " ".join(scan_broken(scan).messages))
        return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#documents")
    handle = evidence_files.evidence_storage().open(scan.storage_name, "rb")
    name = f"{scan.document.get_kind_display()}{scan.document.number}-{scan.pk}.{scan.extension}"
    name = "".join("_" if c in '/\\:*?"<>|' else c for c in name)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=scan.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def case_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's file (案卷) as one PDF: cover, index and the issued documents in filing
    order, page-numbered (``cases.dossier``); whoever may open the case's documents may
    open it (another organ's case is a 404). Built when asked for, not stored."""
    require_role(request.user, *Role.values)  # type: ignore[arg-type]
    case = _scoped_case(request, pk)
    try:
        dossier = build_case_dossier(request.user, case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    return pdf_response(
        dossier.pdf, dossier_filename(case), attachment=bool(request.GET.get("download"))
    )

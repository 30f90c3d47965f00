"""Registry pages: organs and regions, officers and certificates, entrustments, always
narrowed by the scope layer; plus the public verification page and clean-up notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhifa.accounts.models import Role
from zhifa.core.scope import (
    get_scoped_or_404,
    organ_filter,
    require_role,
    scoped,
    visible_organs,
    visible_regions,
)
from zhifa.core.views import ScopedFormView, apply_service, can_manage, parse_filters

from . import services
from .filters import EntrustmentFilter, OfficerFilter, OrganFilter
from .forms import (
    CertificateForm,
    CertificateStatusForm,
    EntrustmentForm,
    ExamForm,
    FlagForm,
    OfficerForm,
    SubjectCreateForm,
    SubjectDetailsForm,
    TrainingForm,
)
from .models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    CleanupNotice,
    EnforcementSubject,
    Entrustment,
    EntrustmentStatus,
    Officer,
    OfficerFlag,
    OfficerKind,
    SubjectType,
)
from .qr import qr_svg, verify_url
from .validators import CERTIFICATE_NUMBER_RE

PAGE_SIZE = 50

#: Who may change what (the scope layer then narrows to their organ or region).
MANAGE_OFFICERS = (Role.ORGAN_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR)
MANAGE_CERTIFICATES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
MANAGE_SUBJECTS = (Role.SUPERVISOR, Role.ADMINISTRATOR)
MANAGE_ENTRUSTMENTS = (Role.ORGAN_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR)


def can_see_id_number(user: Any, officer: Officer) -> bool:
    """The national ID number is shown to the officer's own organ only."""
    return bool(user.is_authenticated and user.organ_id and user.organ_id == officer.organ_id)


# --- organs and regions ----------------------------------------------------------------


@login_required
def organ_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, OrganFilter)
    organs = filters.filter(visible_organs(request.user)).select_related("region", "parent")
    page = Paginator(organs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/organ_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "subject_types": SubjectType.choices,
            "can_add": can_manage(request.user, MANAGE_SUBJECTS),
        },
    )


@login_required
def organ_detail(request: HttpRequest, organ_id: int) -> HttpResponse:
    organ = get_scoped_or_404(
        request.user,
        EnforcementSubject.objects.select_related("region", "parent"),
        organ_field="",
        pk=organ_id,
    )
    users = organ.users.filter(is_active=True).order_by("role", "username")
    children = organ.children.select_related("region")
    return render(
        request,
        "registry/organ_detail.html",
        {
            "organ": organ,
            "users": users,
            "children": children,
            "officer_count": organ.officers.count(),
            "entrustments": entrustments_queryset(request.user).filter(
                Q(entrusting_organ=organ) | Q(entrusted=organ)
            ),
            "can_edit": can_manage(request.user, MANAGE_SUBJECTS),
        },
    )


@login_required
def organ_create(request: HttpRequest) -> HttpResponse:
    """Register a subject in the supervisor's region (also internal units and temporary
    bodies, which are recorded as unable to enforce)."""
    require_role(request.user, *MANAGE_SUBJECTS)
    form = SubjectCreateForm(
        (request.POST if request.method == "POST" else None),
        organs=visible_organs(request.user),
        regions=visible_regions(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SubjectCreateForm.Meta.fields}
        organ = apply_service(form, lambda: services.create_subject(actor=request.user, **data))
        if organ:
            messages.success(request, _("Saved."))
            return redirect("registry:organ_detail", organ.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New subject")})


@login_required
def organ_edit(request: HttpRequest, organ_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_SUBJECTS)
    organ = get_scoped_or_404(request.user, EnforcementSubject.objects, organ_field="", pk=organ_id)
    form = SubjectDetailsForm((request.POST if request.method == "POST" else None), instance=organ)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SubjectDetailsForm.Meta.fields}
        fresh = EnforcementSubject.objects.get(pk=organ.pk)
        if apply_service(
            form, lambda: services.update_subject_details(fresh, actor=request.user, **fields)
        ):
            messages.success(request, _("Saved."))
            return redirect("registry:organ_detail", organ.pk)
    return render(request, "registry/form.html", {"form": form, "title": organ.name, "back": organ})


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    regions = visible_regions(request.user).select_related("parent")
    q = request.GET.get("q", "").strip()
    if q:
        regions = regions.filter(name__contains=q) | regions.filter(code__startswith=q)
    page = Paginator(regions.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/region_list.html", {"page": page, "q": q})


# --- officers and certificates ---------------------------------------------------------


def officers_queryset(user: Any) -> QuerySet[Officer]:
    return scoped(user, Officer.objects.all()).select_related("organ")


def with_certificates(officers: QuerySet[Officer]) -> QuerySet[Officer]:
    return officers.prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to"))
    )


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, OfficerFilter)
    officers = with_certificates(filters.filter(officers_queryset(request.user)))
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/officer_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "kinds": OfficerKind.choices,
            "statuses": CertificateStatus.choices,
            "organs": visible_organs(request.user).filter(
                subject_type__in=["statutory", "authorised", "entrusted"]
            ),
            "can_add": can_manage(request.user, MANAGE_OFFICERS),
            "today": timezone.localdate(),
        },
    )


@login_required
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = get_scoped_or_404(request.user, officers_queryset(request.user), pk=officer_id)
    certificates = officer.certificates.prefetch_related(
        Prefetch(
            "history",
            queryset=CertificateStatusChange.objects.select_related("recorded_by"),
        )
    ).order_by("-valid_to")
    manage_officer = can_manage(request.user, MANAGE_OFFICERS)
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "certificates": certificates,
            "show_id_number": can_see_id_number(request.user, officer),
            "training_hours": services.training_hours_by_year(officer),
            "trainings": officer.trainings.all(),
            "exams": officer.exams.all(),
            "flags": officer.flags.select_related("raised_by", "carried_out_by"),
            "flag_form": FlagForm(initial={"effective_on": timezone.localdate()}),
            "can_edit": manage_officer,
            "can_certify": can_manage(request.user, MANAGE_CERTIFICATES),
            "certificate_form": CertificateForm(),
            "status_form": CertificateStatusForm(initial={"effective_on": timezone.localdate()}),
            "training_form": TrainingForm(),
            "exam_form": ExamForm(),
            "today": timezone.localdate(),
        },
    )


def _officer_fields(form: OfficerForm) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in OfficerForm.Meta.fields
        if name != "organ" and name in form.fields
    }


@login_required
def officer_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_OFFICERS)
    organs = visible_organs(request.user)
    form = OfficerForm((request.POST if request.method == "POST" else None), organs=organs)
    if request.method == "POST" and form.is_valid():
        officer = apply_service(
            form,
            lambda: services.save_officer(
                actor=request.user, organ=form.cleaned_data["organ"], **_officer_fields(form)
            ),
        )
        if officer:
            messages.success(request, _("Saved."))
            return redirect("registry:officer_detail", officer.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New officer")})


@login_required
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_OFFICERS)
    organs = visible_organs(request.user)
    officer = get_scoped_or_404(request.user, Officer.objects, pk=officer_id)
    form = OfficerForm(
        (request.POST if request.method == "POST" else None), instance=officer, organs=organs
    )
    if not can_see_id_number(request.user, officer):
        # Outside the organ the number is neither shown nor editable.
        del form.fields["id_number"]
    if request.method == "POST" and form.is_valid():
        fields = _officer_fields(form)
        fresh = Officer.objects.get(pk=officer.pk)
        saved = apply_service(
            form,
            lambda: services.save_officer(
                fresh, actor=request.user, organ=form.cleaned_data["organ"], **fields
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("registry:officer_detail", officer.pk)
    return render(
        request, "registry/form.html", {"form": form, "title": officer.name, "back": officer}
    )


class OfficerActionView(ScopedFormView):
    """A form of the officer page that calls one service (training, exam, a certificate
    issued; ``core.views.ScopedFormView``): the role, then the officer through the scope
    layer (404 outside it); either way back to the officer's page, with the success
    message or "Not saved" and the form's errors."""

    role_first = True
    roles = MANAGE_OFFICERS
    message = gettext_lazy("Saved.")

    def get_object(self) -> Any:
        return get_scoped_or_404(self.request.user, Officer.objects, pk=self.kwargs["officer_id"])

    def officer_pk(self, obj: Any) -> int:
        return int(obj.pk)

    def success_url(self, obj: Any, result: Any) -> str:
        return reverse("registry:officer_detail", args=[self.officer_pk(obj)])

    def invalid(self, obj: Any, form: Form) -> HttpResponse:
        messages.error(self.request, _("Not saved: %(e)s") % {"e": _form_errors(form)})
        return redirect(self.success_url(obj, None))


officer_training = login_required(
    OfficerActionView.as_view(
        form_class=TrainingForm,
        service=lambda officer, user, form: services.record_training(
            officer, actor=user, **form.cleaned_data
        ),
    )
)

officer_exam = login_required(
    OfficerActionView.as_view(
        form_class=ExamForm,
        service=lambda officer, user, form: services.record_exam(
            officer, actor=user, **form.cleaned_data
        ),
    )
)


def _form_errors(form: Form) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(
            f"{label or field}: {' '.join(errors)}" if field != "__all__" else " ".join(errors)
        )
    return "; ".join(parts)


certificate_issue = login_required(
    OfficerActionView.as_view(
        roles=MANAGE_CERTIFICATES,
        form_class=CertificateForm,
        service=lambda officer, user, form: services.issue_certificate(
            officer, actor=user, **form.cleaned_data
        ),
        message=gettext_lazy("Certificate issued."),
    )
)


def certificates_queryset(user: Any) -> QuerySet[Certificate]:
    return scoped(user, Certificate.objects.all(), organ_field="officer__organ").select_related(
        "officer__organ"
    )


class CertificateStatusView(OfficerActionView):
    """Suspend, reinstate or revoke a certificate from the officer's page."""

    roles = MANAGE_CERTIFICATES
    form_class = CertificateStatusForm
    message = gettext_lazy("Status recorded.")

    def get_object(self) -> Any:
        return get_scoped_or_404(
            self.request.user,
            certificates_queryset(self.request.user),
            organ_field="officer__organ",
            pk=self.kwargs["certificate_id"],
        )

    def officer_pk(self, obj: Any) -> int:
        return int(obj.officer_id)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        return services.change_certificate_status(obj, actor=user, **form.cleaned_data)


certificate_status = login_required(CertificateStatusView.as_view())


class FlagView(OfficerActionView):
    """Carry out a flag of the annual evaluation (JL-evaluation): removal from enforcement
    posts or the certificates revoked, by the registry administrator (who manages
    certificates: the government's legal office revokes them, CQ 六(三))."""

    roles = MANAGE_CERTIFICATES
    form_class = FlagForm
    message = gettext_lazy("The measure is recorded.")

    def get_object(self) -> Any:
        return get_scoped_or_404(
            self.request.user,
            scoped(
                self.request.user, OfficerFlag.objects.select_related("officer"), "officer__organ"
            ),
            organ_field="officer__organ",
            pk=self.kwargs["flag_id"],
        )

    def officer_pk(self, obj: Any) -> int:
        return int(obj.officer_id)

    def service(self, obj: Any, user: Any, form: Any) -> Any:
        return services.carry_out_flag(obj, actor=user, **form.cleaned_data)


officer_flag = login_required(FlagView.as_view())


@login_required
def certificate_card(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """A printable card: the public facts and the QR code of the verification URL."""
    certificate = get_scoped_or_404(
        request.user,
        certificates_queryset(request.user),
        organ_field="officer__organ",
        pk=certificate_id,
    )
    url = verify_url(request, certificate.number)
    # A certificate that is not valid today (revoked, suspended, expired) prints with its
    # status on a red band and a watermark, never as a valid card.
    status = CertificateStatus(certificate.status_on(timezone.localdate()))
    return render(
        request,
        "registry/certificate_card.html",
        {
            "certificate": certificate,
            "officer": certificate.officer,
            "url": url,
            "qr": qr_svg(url),
            "status": status,
            "void": status != CertificateStatus.VALID,
        },
    )


# --- entrustments ----------------------------------------------------------------------


def entrustments_queryset(user: Any) -> QuerySet[Entrustment]:
    """Entrustments the user's organs give or receive."""
    given = organ_filter(user, "entrusting_organ")
    received = organ_filter(user, "entrusted")
    qs = Entrustment.objects.select_related("entrusting_organ", "entrusted")
    if given is None or received is None:
        return qs
    return qs.filter(given | received)


@login_required
def entrustment_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, EntrustmentFilter)
    entrustments = filters.filter(entrustments_queryset(request.user)).prefetch_related(
        "power_items"
    )
    page = Paginator(entrustments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/entrustment_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "statuses": EntrustmentStatus.choices,
            "can_add": can_manage(request.user, MANAGE_ENTRUSTMENTS),
        },
    )


@login_required
def entrustment_detail(request: HttpRequest, entrustment_id: int) -> HttpResponse:
    entrustment = entrustments_queryset(request.user).filter(pk=entrustment_id).first()
    if entrustment is None:
        raise Http404
    return render(
        request,
        "registry/entrustment_detail.html",
        {
            "entrustment": entrustment,
            "power_items": entrustment.power_items.all(),
            "can_edit": can_manage(request.user, MANAGE_ENTRUSTMENTS)
            and scoped(request.user, Entrustment.objects, organ_field="entrusting_organ")
            .filter(pk=entrustment.pk)
            .exists(),
        },
    )


@login_required
def entrustment_instrument(request: HttpRequest, entrustment_id: int) -> FileResponse:
    entrustment = entrustments_queryset(request.user).filter(pk=entrustment_id).first()
    if entrustment is None or not entrustment.instrument:
        raise Http404
    return FileResponse(entrustment.instrument.open("rb"), as_attachment=True)


@login_required
def entrustment_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_ENTRUSTMENTS)
    organs = visible_organs(request.user)
    form = EntrustmentForm(
        (request.POST if request.method == "POST" else None),
        (request.FILES if request.method == "POST" else None),
        organs=organs,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        entrustment = apply_service(
            form,
            lambda: services.create_entrustment(
                actor=request.user,
                entrusting_organ=data.pop("entrusting_organ"),
                entrusted=data.pop("entrusted"),
                power_items=data.pop("power_items"),
                **data,
            ),
        )
        if entrustment:
            messages.success(request, _("Saved."))
            return redirect("registry:entrustment_detail", entrustment.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("New entrustment"), "multipart": True},
    )


@login_required
def entrustment_edit(request: HttpRequest, entrustment_id: int) -> HttpResponse:
    """Record publication, filing with the justice bureau, or correct the term."""
    require_role(request.user, *MANAGE_ENTRUSTMENTS)
    entrustment = get_scoped_or_404(
        request.user, Entrustment.objects, organ_field="entrusting_organ", pk=entrustment_id
    )
    organs = visible_organs(request.user)
    form = EntrustmentForm(
        (request.POST if request.method == "POST" else None),
        (request.FILES if request.method == "POST" else None),
        instance=entrustment,
        organs=organs,
    )
    del form.fields["entrusting_organ"], form.fields["entrusted"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fresh = Entrustment.objects.get(pk=entrustment.pk)
        saved = apply_service(
            form,
            lambda: services.update_entrustment(
                fresh, actor=request.user, power_items=data.pop("power_items"), **data
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("registry:entrustment_detail", entrustment.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": str(entrustment), "multipart": True},
    )


@login_required
@require_POST
def entrustment_terminate(request: HttpRequest, entrustment_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_ENTRUSTMENTS)
    entrustment = get_scoped_or_404(
        request.user, Entrustment.objects, organ_field="entrusting_organ", pk=entrustment_id
    )
    try:
        services.terminate_entrustment(entrustment, timezone.localdate(), actor=request.user)
        messages.success(request, _("Entrustment terminated."))
    except DjangoValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry:entrustment_detail", entrustment.pk)


# --- public pages ----------------------------------------------------------------------


def _client_key(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return "verify:" + hops[-proxies]
    return "verify:" + request.META.get("REMOTE_ADDR", "")


def bucket_key(request: HttpRequest, bucket: str = "") -> str:
    """The rate-limit key of the client: the shared public bucket (``verify:<ip>``), or
    ``<bucket>:verify:<ip>`` for a feature counted on its own."""
    key = _client_key(request)
    return f"{bucket}:{key}" if bucket else key


def rate_limited_as(
    bucket: str = "",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``rate_limited`` counting the requests in their own ``bucket`` (a feature's
    public pages do not use up the certificate check's allowance, nor the reverse)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = int(getattr(settings, "ZHIFA_VERIFY_RATE_LIMIT", 30))
            if not services.rate_limit_hit(bucket_key(request, bucket), limit):
                response = render(request, "registry/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse (429) a client that asks more than ZHIFA_VERIFY_RATE_LIMIT times a minute
    (the public pages' shared bucket)."""
    return rate_limited_as()(view)


@never_cache
@rate_limited
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public certificate verification (亮证执法): is the certificate valid today?
    Shows only public facts, never the ID number."""
    certificate = None
    if CERTIFICATE_NUMBER_RE.match(number):
        certificate = (
            Certificate.objects.select_related("officer__organ")
            .prefetch_related("history")
            .filter(number=number)
            .first()
        )
    if certificate is None:
        return render(request, "registry/verify_not_found.html", {"number": number}, status=404)
    today = timezone.localdate()
    status = certificate.status_on(today)
    officer = certificate.officer
    return render(
        request,
        "registry/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": _status_label(status),
            "is_valid": status == CertificateStatus.VALID
            and officer.active
            and not officer.is_auxiliary,
            "name": officer.name,
            "organ": officer.organ.name,
            "fields": officer.enforcement_fields,
            "today": today,
        },
    )


def _status_label(status: str) -> str:
    if status == "not_yet_valid":
        return _("Not yet valid")
    return str(CertificateStatus(status).label)


@rate_limited
def verify_qr(request: HttpRequest, number: str) -> HttpResponse:
    """The QR code (SVG) of a certificate's verification URL."""
    if not (
        CERTIFICATE_NUMBER_RE.match(number) and Certificate.objects.filter(number=number).exists()
    ):
        return render(request, "registry/verify_not_found.html", {"number": number}, status=404)
    return HttpResponse(qr_svg(verify_url(request, number)), content_type="image/svg+xml")


def cleanup_notices(request: HttpRequest) -> HttpResponse:
    """Public clean-up notices (清理公告): certificates and entrustments that expired."""
    notices = CleanupNotice.objects.filter(
        Q(certificates_expired__gt=0) | Q(entrustments_expired__gt=0)
    ).prefetch_related("items")
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(request, "registry/cleanup_notices.html", {"page": page})

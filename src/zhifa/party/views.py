"""The party's pages (public site, ``portal/base.html``; docs/party.md) and the organ's
page that re-issues the party's code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.cases.policy import ACT_ROLES
from zhifa.core.scope import get_scoped_or_404, require_role
from zhifa.documents.rendering import StoredDocumentBroken, open_pdf
from zhifa.documents.views import document_filename, pdf_response
from zhifa.registry import services as registry_services
from zhifa.registry.views import _client_key

from . import queries, services, session
from .forms import (
    ConsentForm,
    HearingForm,
    RatingForm,
    SignInForm,
    StatementForm,
    WithdrawConsentForm,
)
from .models import PartyAccess


def _limited(request: HttpRequest) -> HttpResponse | None:
    """The sign-in's rate limit per client address (``ZHIFA_PARTY_RATE_LIMIT`` a minute,
    default 10), counted in the database like the certificate verification's."""
    limit = int(getattr(settings, "ZHIFA_PARTY_RATE_LIMIT", 10))
    if registry_services.rate_limit_hit("party:" + _client_key(request), limit):
        return None
    response = render(request, "registry/rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def party_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the signed-in party: its access (one case), else back to the sign-in."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = session.current(request)
        if access is None:
            messages.info(request, _("Sign in with your case number and access code."))
            return redirect("party:sign_in")
        return view(request, access, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return never_cache(wrapped)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """The party signs in with its case number and access code."""
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST":
        limited = _limited(request)
        if limited is not None:
            return limited
        if form.is_valid():
            try:
                access, code = services.sign_in(
                    form.cleaned_data["number"], form.cleaned_data["code"]
                )
            except services.SignInFailed as exc:
                error = exc.message
            else:
                session.start(request, access, code)
                return redirect("party:case")
    status = 400 if error or form.errors else 200
    return render(request, "party/sign_in.html", {"form": form, "error": error}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.end(request)
    messages.info(request, _("You are signed out."))
    return redirect("party:sign_in")


def _page(
    request: HttpRequest, access: PartyAccess, status: int = 200, **forms: Any
) -> HttpResponse:
    view = queries.party_view(access, timezone.localdate())
    context = {
        "view": view,
        "statement_form": forms.get("statement_form") or StatementForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawConsentForm(),
        "hearing_form": forms.get("hearing_form") or HearingForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "refusal": forms.get("refusal"),
        "session_minutes": session.seconds() // 60,
    }
    return render(request, "party/case.html", context, status=status)


@party_page
def case(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    """The party's case: steps, documents, periods, what it owes, its acts."""
    return _page(request, access)


@require_POST
@party_page
def statement(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _page(request, access, 400, statement_form=form)
    try:
        services.file_statement(
            access, statement=form.cleaned_data["statement"], today=timezone.localdate()
        )
    except services.PartyRefusal as exc:
        if exc.field:
            form.add_error(exc.field, exc.text)
            return _page(request, access, 400, statement_form=form)
        return _page(request, access, 400, statement_form=form, refusal=exc)
    messages.success(request, _("Your statement and defence is recorded in the case."))
    return redirect("party:case")


@require_POST
@party_page
def hearing(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    """The party's hearing request, once it ticked the confirmation (required here: the
    page works without script)."""
    form = HearingForm(request.POST)
    if not form.is_valid():
        return _page(request, access, 400, hearing_form=form)
    try:
        services.request_hearing(access, today=timezone.localdate())
    except services.PartyRefusal as exc:
        return _page(request, access, 400, refusal=exc)
    messages.success(request, _("Your request for a hearing is recorded in the case."))
    return redirect("party:case")


@require_POST
@party_page
def consent(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.give_consent(
                access,
                signed_name=form.cleaned_data["signed_name"],
                address=form.cleaned_data["address"],
                agreed=form.cleaned_data["agree"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("Your consent to electronic service is recorded."))
            return redirect("party:case")
    return _page(request, access, 400, consent_form=form)


@require_POST
@party_page
def withdraw_consent(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    form = WithdrawConsentForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_consent(
                access, signed_name=form.cleaned_data["signed_name"], today=timezone.localdate()
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("Your consent to electronic service is withdrawn."))
            return redirect("party:case")
    return _page(request, access, 400, withdraw_form=form)


@require_POST
@party_page
def rating(request: HttpRequest, access: PartyAccess) -> HttpResponse:
    form = RatingForm(request.POST)
    if form.is_valid():
        view = queries.party_view(access, timezone.localdate())
        try:
            services.rate_conduct(
                access,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
                decided=view.decided,
            )
        except services.PartyRefusal as exc:
            form.add_error(exc.field or None, exc.text)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("party:case")
    return _page(request, access, 400, rating_form=form)


@party_page
def document(request: HttpRequest, access: PartyAccess, document_id: int) -> HttpResponse:
    """A document served to the party, as issued (the stored PDF)."""
    found = queries.served_document(access, document_id)
    if found is None:
        raise Http404
    try:
        pdf = open_pdf(found)
    except StoredDocumentBroken as exc:
        return render(
            request, "party/unavailable.html", {"message": " ".join(exc.messages)}, status=503
        )
    return pdf_response(pdf, document_filename(found), attachment=True)


# --- the organ's side ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def reissue(request: HttpRequest, case_pk: int) -> HttpResponse:
    """An officer or head of the case's organ re-issues the party's access code: the new
    code is shown once; every earlier code stops working."""
    require_role(request.user, *ACT_ROLES)
    case = get_scoped_or_404(request.user, Case.objects.select_related("organ"), pk=case_pk)
    code = ""
    if request.method == "POST":
        code = services.display(services.reissue_code(case, actor=request.user))  # type: ignore[arg-type]
    return render(
        request,
        "party/reissue.html",
        {"case": case, "code": code, "url": services.sign_in_url()},
    )

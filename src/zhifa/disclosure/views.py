"""The public pages of published decisions (no login: only what was published, redacted)
and the organ's pages (its publications, the failed ones first, approval, correction,
take-down after credit repair, its settings). Another organ's publication is a 404."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.accounts.models import ORGAN_ROLES
from zhifa.core.scope import get_scoped_or_404, require_role
from zhifa.documents.views import pdf_response
from zhifa.registry.models import EnforcementSubject
from zhifa.registry.views import rate_limited
from zhifa.rules.engine.audit import deadline_note
from zhifa.rules.engine.publication import LEAK_TEXTS, default_data
from zhifa.transparency.bundle import proof_columns, proof_of

from . import double_publicity, policy, services
from .forms import CorrectForm, ExportForm, ReasonForm, SearchForm, SettingsForm
from .models import EndKind, Publication, PublicationStatus
from .search import Filters, public_decisions, search
from .services import LOG_SOURCE

PAGE_SIZE = 20
#: The public list counts the matches of a search only this far past the page shown
#: ("page 1 of 51+"): a word found in most decisions is not counted through all of them.
COUNT_AHEAD = 1000
#: How long (seconds) a server process keeps a decision page it rendered for a visitor
#: who is not signed in. The key is a digest of all the page shows, so a change to the
#: decision (withdrawal, take-down, correction) or to its proof (a new checkpoint) is
#: served at once: the cache only saves rendering the same page again.
PAGE_CACHE_SECONDS = 300


# --- public -----------------------------------------------------------------------------------


class CountingAhead(Paginator):  # type: ignore[type-arg]
    """A paginator of public decisions that reads the matches only up to
    ``COUNT_AHEAD`` past the page asked for (their ids, in any order: ``more`` when
    there are more, ``pages_label``: "51+"). When that is all of them, the page is read
    by those ids, so a rare word never has the database read every decision in order
    looking for twenty matches; when there are more, the page is read from
    ``in_order`` (the same decisions, newest first: ``search(..., in_order=True)``)."""

    def __init__(
        self,
        found: QuerySet[Publication],
        per_page: int,
        page: Any,
        in_order: QuerySet[Publication] | None = None,
    ) -> None:
        in_order = found if in_order is None else in_order
        super().__init__(in_order, per_page)
        self.found, self.in_order = found, in_order
        try:
            number = max(1, int(page))
        except (TypeError, ValueError):
            number = 1
        self.limit = (number - 1) * per_page + COUNT_AHEAD

    @cached_property
    def matches(self) -> list[int]:
        return list(self.found.order_by().values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def count(self) -> int:
        return len(self.matches)

    @property
    def more(self) -> bool:
        return self.count > self.limit

    @property
    def pages_label(self) -> str:
        return f"{self.num_pages}+" if self.more else str(self.num_pages)

    def page(self, number: Any) -> Any:
        if not self.more:
            self.object_list = (
                public_decisions()
                .filter(pk__in=self.matches)
                .order_by(*(self.in_order.query.order_by or ("-published_on", "-pk")))
                .only(*LIST_FIELDS)
            )
        return super().page(number)


@rate_limited
def decision_list(request: HttpRequest) -> HttpResponse:
    """The published decisions, newest first, with search and filters (item 7)."""
    # The organs with a public decision: one look-up each by the organ's index (a
    # semi-join over every decision would read them all on a large table).
    organs = EnforcementSubject.objects.filter(
        Exists(public_decisions().order_by().filter(organ_id=OuterRef("pk")))
    ).order_by("name")
    form = SearchForm(request.GET or None, organs=organs)
    found = in_order = public_decisions().order_by("-published_on", "-pk")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        words = data.get("q") or ""
        filters = Filters(
            party=data.get("party") or "",
            violation=data.get("violation") or "",
            organ=data.get("organ"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        found, in_order = search(words, filters), search(words, filters, in_order=True)
    elif form.is_bound:
        found = in_order = found.none()
    number = request.GET.get("page")
    page = CountingAhead(
        found, PAGE_SIZE, number, in_order.select_related(None).only(*LIST_FIELDS)
    ).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/public_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


#: What the list reads of a publication (never the PDF).
LIST_FIELDS = (
    "id",
    "organ_id",
    "status",
    "summary",
    "published_on",
    "ended_on",
    "end_kind",
    "end_reason",
    "decided_on",
)


def _public(pk: int) -> Publication:
    try:
        found: Publication = public_decisions().defer("document_pdf").get(pk=pk)
    except Publication.DoesNotExist:
        raise Http404(_("No published decision has this number.")) from None
    return found


#: What a decision's page shows of its row, read first (as values, with its proof) to
#: find the page already rendered.
PAGE_FIELDS = (
    "status",
    "summary",
    "published_on",
    "ended_on",
    "end_kind",
    "end_reason",
    "document_sm3",
)


def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One published decision: its redacted summary, the redacted 决定书 where the
    scope publishes it; withdrawn or taken down: that it left, when and why.

    One query (what the page shows, with its proof) finds the page a visitor not signed
    in was given, kept (``PAGE_CACHE_SECONDS``) under a digest of all it shows: never
    stale, only not rendered again. Otherwise a second query reads the decision."""
    rows = list(
        public_decisions()
        .filter(pk=pk)
        .annotate(**proof_columns(LOG_SOURCE, str(pk)))
        .order_by()
        .values_list(*PAGE_FIELDS, "proof_index", "proof_leaf_hash", "proof_checkpoint_size")[:1]
    )
    if not rows:
        raise Http404(_("No published decision has this number."))
    *shown, index, leaf_hash, checkpoint_size = rows[0]
    proof = proof_of(index, leaf_hash, checkpoint_size)
    key = ""
    if not request.user.is_authenticated:
        page = [pk, shown, proof, get_language(), request.get_full_path()]
        digest = hashlib.sha256(
            json.dumps(page, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()
        key = f"disclosure:decision-page:{digest}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body)
    publication = _public(pk)
    response = render(
        request,
        "disclosure/public_decision.html",
        {
            "p": publication,
            "view": publication.public_view(),
            "shown": _shown(publication),
            "proof": proof,
        },
    )
    if key:
        cache.set(key, response.content, PAGE_CACHE_SECONDS)
    return response


def _shown(publication: Publication) -> list[tuple[str, str]]:
    if publication.status != PublicationStatus.PUBLISHED:
        return []
    summary = publication.summary
    labels = [
        ("number", _("Document number")),
        ("party", _("Party")),
        ("party_uscc", _("Unified social credit code")),
        ("violation", _("Violation")),
        ("facts", _("Facts in brief")),
        ("basis", _("Legal basis")),
        ("penalty", _("Penalty")),
        ("organ", _("Organ")),
        ("decided_on", _("Decided on")),
    ]
    return [(str(label), str(summary.get(key, ""))) for key, label in labels if summary.get(key)]


def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The redacted 决定书 (rendered from the checked summary when published)."""
    found = public_decisions().filter(pk=pk, status=PublicationStatus.PUBLISHED).first()
    if found is None or not found.document_pdf:
        raise Http404(_("This decision has no published document."))
    number = str(found.summary.get("number", found.pk))
    return pdf_response(
        bytes(found.document_pdf), f"行政处罚决定书（公开版）{number}.pdf", attachment=False
    )


# --- the organ's pages ------------------------------------------------------------------------


def _organ_user(request: HttpRequest) -> Any:
    user: Any = request.user
    require_role(user, *ORGAN_ROLES)
    return user


def _leak_label(kind: str) -> str:
    zh, en = LEAK_TEXTS.get(kind, (kind, kind))
    return en if (get_language() or "").startswith("en") else zh


def _note(publication: Publication) -> str:
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    return deadline_note(tuple(publication.due_unscheduled_years or ()), lang) or ""


@login_required
def organ_list(request: HttpRequest) -> HttpResponse:
    """The organ's publications: the failed ones (with the fields named) and those
    awaiting approval first, then the others."""
    user = _organ_user(request)
    rows = (
        Publication.objects.filter(organ_id=user.organ_id)
        .select_related("case")
        .defer("document_pdf")
    )
    failed = list(rows.filter(status=PublicationStatus.FAILED).order_by("due_on", "pk"))
    awaiting = list(rows.filter(status=PublicationStatus.AWAITING_APPROVAL).order_by("due_on"))
    others = Paginator(
        rows.exclude(
            status__in=[PublicationStatus.FAILED, PublicationStatus.AWAITING_APPROVAL]
        ).order_by("-decided_on", "-pk"),
        50,
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    not_delivered = rows.filter(
        status=PublicationStatus.PUBLISHED, first_exported_on__isnull=True
    ).order_by("decided_on", "pk")
    return render(
        request,
        "disclosure/organ_list.html",
        {
            "export_overdue": double_publicity.overdue(not_delivered, today),
            "failed": [(p, _failures(p)) for p in failed],
            "awaiting": awaiting,
            "page": others,
            "today": today,
            "settings": services.organ_settings(user.organ),
            "can_edit_settings": policy.can_edit_settings(user, user.organ_id) is None,
        },
    )


def _failures(publication: Publication) -> list[str]:
    out = []
    for failure in publication.failures or []:
        if failure.get("kind") == "case":
            out.append(str(failure.get("message", "")))
        else:
            out.append(f"{failure.get('field')}: {_leak_label(str(failure.get('kind')))}")
    return out


def _mine(request: HttpRequest, pk: int) -> Publication:
    user = _organ_user(request)
    found: Publication = get_scoped_or_404(
        user, Publication.objects.select_related("case", "approved_by").defer("document_pdf"), pk=pk
    )
    return found


@login_required
def organ_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    publication = _mine(request, pk)
    return render(
        request,
        "disclosure/organ_detail.html",
        {
            "p": publication,
            "failures": _failures(publication),
            "note": _note(publication),
            "can_approve": policy.can_approve(user, publication) is None,
            "can_correct": policy.can_correct(user, publication) is None,
            "can_take_down": policy.can_take_down(user, publication) is None,
            "reason_form": ReasonForm(),
            "correct_form": CorrectForm(initial={"facts_brief": publication.facts_brief}),
        },
    )


def _act(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    publication = _mine(request, pk)
    try:
        action(publication)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return (
            render(request, "403.html", status=403)
            if False
            else redirect("disclosure:organ_detail", pk=pk)
        )
    return redirect("disclosure:organ_detail", pk=pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    return _act(request, pk, lambda p: services.approve(p, actor=user, on=timezone.localdate()))


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda p: services.reject(p, actor=user, on=timezone.localdate(), reason=reason),
    )


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    form = CorrectForm(request.POST)
    text = form.cleaned_data["facts_brief"] if form.is_valid() else ""
    return _act(request, pk, lambda p: services.correct(p, actor=user, facts_brief=text))


@login_required
@require_POST
def take_down(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda p: services.take_down(
            p,
            on=timezone.localdate(),
            kind=EndKind.CREDIT_REPAIR,
            reason=reason,
            actor=user,
        ),
    )


@login_required
def organ_settings(request: HttpRequest) -> HttpResponse:
    user = _organ_user(request)
    current = services.organ_settings(user.organ)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.save_settings(user.organ, actor=user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            except PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                messages.success(request, _("The disclosure settings were saved."))
                return redirect("disclosure:organ_list")
    else:
        form = SettingsForm(
            initial={
                "sector": current.sector,
                "require_approval": current.require_approval,
                "ordinary_months": current.ordinary_months,
                "serious_months": current.serious_months,
            }
        )
    return render(
        request,
        "disclosure/organ_settings.html",
        {
            "form": form,
            "periods": list(default_data().periods.values()),
            "can_edit": policy.can_edit_settings(user, user.organ_id) is None,
        },
    )


# --- 双公示 export (DISC-double-publicity) ---------------------------------------------------


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The 双公示 export of the user's organ (organ users) or region (supervisors): GET
    shows the check of every row (the items that fail, named); POST delivers the file
    (CSV or XLSX, the passing rows) and records the delivery of each decision in it.
    Another organ's or region's: 404."""
    user: Any = request.user
    if not double_publicity.may_export(user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = ExportForm(data or None)
    rows: list[double_publicity.Row] = []
    checked = False
    if form.is_bound and form.is_valid():
        clean = form.cleaned_data
        found = double_publicity.exportable(
            user,
            date_from=clean.get("date_from"),
            date_to=clean.get("date_to"),
            organ_id=clean.get("organ"),
            region_code=clean.get("region") or "",
        )
        rows = double_publicity.build_rows(found[:5000])
        checked = True
        if request.method == "POST":
            fmt = clean.get("format") or "csv"
            body, content_type, ext = double_publicity.render(rows, fmt)
            double_publicity.record_export(rows, actor=user, on=timezone.localdate(), fmt=fmt)
            response = HttpResponse(body, content_type=content_type)
            day = timezone.localdate().isoformat()
            response["Content-Disposition"] = (
                f'attachment; filename="shuanggongshi-xzcf-{day}.{ext}"'
            )
            return response
    return render(
        request,
        "disclosure/export.html",
        {
            "form": form,
            "checked": checked,
            "rows": rows,
            "passing": sum(1 for r in rows if r.ok),
            "failing": [r for r in rows if not r.ok],
            "query": data.urlencode() if data else "",
            "rule": double_publicity.RULE,
        },
    )

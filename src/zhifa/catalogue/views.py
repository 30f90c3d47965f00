"""Catalogue pages: laws and articles, power lists with the JL update warning,
discretion benchmarks and the 三张清单, the review catalogue, import and export. All
organ data is narrowed by the scope layer; laws are shared legal data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.accounts.models import Role
from zhifa.core.scope import (
    get_scoped_or_404,
    may_change_law,
    require_law_keeper,
    require_role,
    scoped,
    visible_organs,
)
from zhifa.core.validation import parse_id
from zhifa.core.views import apply_service, can_manage, parse_filters
from zhifa.registry.tabular import CONTENT_TYPES, FORMATS

from . import exchange, services
from .filters import (
    BandListFilter,
    BenchmarkFilter,
    LawFilter,
    PowerItemFilter,
    ReviewEntryFilter,
)
from .forms import (
    ArticleForm,
    ArticleVersionForm,
    BandLookupForm,
    BenchmarkForm,
    ImportForm,
    LawForm,
    PowerItemForm,
    RepealForm,
    ReviewEntryForm,
    ReviewForm,
    band_forms,
)
from .models import (
    THREE_LISTS,
    ArticleVersion,
    BenchmarkBand,
    Circumstance,
    DiscretionBenchmark,
    Law,
    LawLevel,
    PowerCategory,
    PowerItem,
    ReviewCatalogueItem,
)

PAGE_SIZE = 50
MANAGE_CATALOGUE = (Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def enforcing_organs(user: Any) -> QuerySet[Any]:
    return visible_organs(user).filter(subject_type__in=["statutory", "authorised", "entrusted"])


# --- laws ------------------------------------------------------------------------------


@login_required
def law_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, LawFilter)
    laws = filters.filter(Law.objects.all())
    page = Paginator(laws, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/law_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "levels": LawLevel.choices,
            "can_add": may_change_law(request.user),
        },
    )


@login_required
def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    law = Law.objects.filter(pk=law_id).first()
    if law is None:
        raise Http404
    articles = law.articles.prefetch_related(
        Prefetch("versions", queryset=ArticleVersion.objects.order_by("valid_from"))
    ).order_by("ordinal", "number")
    return render(
        request,
        "catalogue/law_detail.html",
        {
            "law": law,
            "articles": articles,
            "can_edit": may_change_law(request.user),
            "article_form": ArticleForm(),
            "version_form": ArticleVersionForm(),
            "repeal_form": RepealForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
def law_create(request: HttpRequest) -> HttpResponse:
    require_law_keeper(request.user)
    form = LawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        law = apply_service(
            form, lambda: services.save_law(actor=request.user, **form.cleaned_data)
        )
        if law:
            messages.success(request, _("Saved."))
            return redirect("catalogue:law_detail", law.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New law")})


def _post_form(request: HttpRequest, form: Any, action: Any, done: str) -> None:
    if form.is_valid() and apply_service(form, lambda: action(form.cleaned_data)):
        messages.success(request, done)
    else:
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
            for k, v in form.errors.items()
        )
        messages.error(request, _("Not saved: %(e)s") % {"e": errors})


@login_required
@require_POST
def article_add(request: HttpRequest, law_id: int) -> HttpResponse:
    require_law_keeper(request.user)
    law = Law.objects.filter(pk=law_id).first()
    if law is None:
        raise Http404
    _post_form(
        request,
        ArticleForm(request.POST),
        lambda d: services.add_article(law, actor=request.user, **d),
        _("Article added."),
    )
    return redirect("catalogue:law_detail", law.pk)


def _article_action(
    request: HttpRequest, article_id: int, form_class: Any, act: Any, done: str
) -> HttpResponse:
    """A law-text change on one article: role check, form, service, message, back to
    the law's page."""
    require_law_keeper(request.user)
    from .models import Article

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404
    _post_form(
        request,
        form_class(request.POST),
        lambda d: act(article, actor=request.user, **d),
        done,
    )
    return redirect("catalogue:law_detail", article.law_id)


@login_required
@require_POST
def article_version(request: HttpRequest, article_id: int) -> HttpResponse:
    return _article_action(
        request,
        article_id,
        ArticleVersionForm,
        services.add_article_version,
        _("New version recorded; the power items citing it are flagged for review."),
    )


@login_required
@require_POST
def article_repeal(request: HttpRequest, article_id: int) -> HttpResponse:
    return _article_action(
        request,
        article_id,
        RepealForm,
        services.repeal_article,
        _("Repeal recorded; the power items citing it are flagged for review."),
    )


# --- power items -----------------------------------------------------------------------


def power_items_queryset(user: Any) -> QuerySet[PowerItem]:
    return services.with_open_warnings(
        scoped(user, PowerItem.objects.all(), organ_field="subject").select_related("subject")
    )


@login_required
def power_item_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, PowerItemFilter)
    items = filters.filter(power_items_queryset(request.user)).prefetch_related("basis__law")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/power_item_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "categories": PowerCategory.choices,
            "organs": enforcing_organs(request.user),
            "can_add": can_manage(request.user, MANAGE_CATALOGUE),
            "today": timezone.localdate(),
        },
    )


@login_required
def power_item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_scoped_or_404(
        request.user, power_items_queryset(request.user), organ_field="subject", pk=item_id
    )
    today = timezone.localdate()
    basis = item.basis.select_related("law").prefetch_related("versions")
    # The band lookup the case workflow uses, tried by hand: ?on=DATE&circumstance=…
    band_form = BandLookupForm(request.GET or None, initial={"on": today})
    band_choice = None
    if band_form.is_bound and band_form.is_valid():
        band_choice = services.band_for(
            item, band_form.cleaned_data["on"], band_form.cleaned_data["circumstance"]
        )
    return render(
        request,
        "catalogue/power_item_detail.html",
        {
            "item": item,
            "basis": [(a, a.version_on(today)) for a in basis],
            "warnings": item.update_warnings.select_related(
                "change__article__law", "reviewed_by"
            ).order_by("-deadline"),
            "benchmarks": item.benchmarks.prefetch_related("bands"),
            "entrustments": item.entrustments.select_related("entrusted"),
            "can_edit": can_manage(request.user, MANAGE_CATALOGUE),
            "review_form": ReviewForm(),
            "band_form": band_form,
            "band_choice": band_choice,
            "today": today,
        },
    )


def _power_item_fields(form: PowerItemForm) -> dict[str, Any]:
    return {
        k: form.cleaned_data[k] for k in PowerItemForm.Meta.fields if k not in ("subject", "basis")
    }


@login_required
def power_item_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    form = PowerItemForm(
        (request.POST if request.method == "POST" else None), organs=enforcing_organs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        item = apply_service(
            form,
            lambda: services.save_power_item(
                actor=request.user,
                subject=form.cleaned_data["subject"],
                basis=list(form.cleaned_data["basis"]),
                **_power_item_fields(form),
            ),
        )
        if item:
            messages.success(request, _("Saved."))
            return redirect("catalogue:power_item_detail", item.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New power item")})


@login_required
def power_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    item = get_scoped_or_404(request.user, PowerItem.objects, organ_field="subject", pk=item_id)
    form = PowerItemForm(
        (request.POST if request.method == "POST" else None),
        instance=item,
        organs=enforcing_organs(request.user).filter(pk=item.subject_id),
    )
    if request.method == "POST" and form.is_valid():
        fresh = PowerItem.objects.get(pk=item.pk)
        saved = apply_service(
            form,
            lambda: services.save_power_item(
                fresh,
                actor=request.user,
                basis=list(form.cleaned_data["basis"]),
                **_power_item_fields(form),
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("catalogue:power_item_detail", item.pk)
    return render(request, "registry/form.html", {"form": form, "title": str(item)})


@login_required
@require_POST
def power_item_review(request: HttpRequest, item_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    item = get_scoped_or_404(request.user, PowerItem.objects, organ_field="subject", pk=item_id)
    _post_form(
        request,
        ReviewForm(request.POST),
        lambda d: services.record_power_item_review(
            item, actor=request.user, on=timezone.localdate(), **d
        ),
        _("Review recorded."),
    )
    return redirect("catalogue:power_item_detail", item.pk)


# --- benchmarks ------------------------------------------------------------------------


def benchmarks_queryset(user: Any) -> QuerySet[DiscretionBenchmark]:
    return scoped(
        user, DiscretionBenchmark.objects.all(), organ_field="power_item__subject"
    ).select_related("power_item__subject", "penalty_article__law")


@login_required
def benchmark_list(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, BenchmarkFilter)
    benchmarks = filters.filter(benchmarks_queryset(request.user)).prefetch_related("bands")
    page = Paginator(benchmarks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/benchmark_list.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "organs": enforcing_organs(request.user),
            "can_add": can_manage(request.user, MANAGE_CATALOGUE),
        },
    )


@login_required
def benchmark_detail(request: HttpRequest, benchmark_id: int) -> HttpResponse:
    benchmark = get_scoped_or_404(
        request.user,
        benchmarks_queryset(request.user),
        organ_field="power_item__subject",
        pk=benchmark_id,
    )
    order = {value: i for i, value in enumerate(Circumstance.values)}
    bands = sorted(benchmark.bands.all(), key=lambda b: order[b.circumstance])
    return render(
        request,
        "catalogue/benchmark_detail.html",
        {
            "benchmark": benchmark,
            "bands": bands,
            "can_edit": can_manage(request.user, MANAGE_CATALOGUE),
            "versions": benchmark.power_item.benchmarks.filter(
                violation=benchmark.violation
            ).order_by("-valid_from"),
        },
    )


def _bands_data(forms_: list[Any]) -> list[dict[str, Any]]:
    data = []
    for f in forms_:
        d = f.cleaned_data
        if any(
            d.get(k) not in (None, "") for k in ("conditions", "penalty", "fine_min", "fine_max")
        ):
            data.append({"circumstance": f.circumstance, **d})
    return data


def _benchmark_form_page(
    request: HttpRequest, benchmark: DiscretionBenchmark | None
) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    organs = enforcing_organs(request.user)
    form = BenchmarkForm(
        (request.POST if request.method == "POST" else None), instance=benchmark, organs=organs
    )
    bands = band_forms((request.POST if request.method == "POST" else None), benchmark)
    if request.method == "POST" and form.is_valid() and all(b.is_valid() for b in bands):
        fields = {k: form.cleaned_data[k] for k in BenchmarkForm.Meta.fields if k != "power_item"}
        target = DiscretionBenchmark.objects.get(pk=benchmark.pk) if benchmark else None
        saved = apply_service(
            form,
            lambda: services.save_benchmark(
                target,
                actor=request.user,
                power_item=form.cleaned_data["power_item"],
                bands_data=_bands_data(bands),
                **fields,
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("catalogue:benchmark_detail", saved.pk)
    return render(
        request,
        "catalogue/benchmark_form.html",
        {
            "form": form,
            "bands": bands,
            "title": str(benchmark) if benchmark else _("New discretion benchmark"),
        },
    )


@login_required
def benchmark_create(request: HttpRequest) -> HttpResponse:
    return _benchmark_form_page(request, None)


@login_required
def benchmark_edit(request: HttpRequest, benchmark_id: int) -> HttpResponse:
    benchmark = get_scoped_or_404(
        request.user,
        DiscretionBenchmark.objects,
        organ_field="power_item__subject",
        pk=benchmark_id,
    )
    return _benchmark_form_page(request, benchmark)


@login_required
def three_lists(request: HttpRequest) -> HttpResponse:
    """The organ's 三张清单: no-penalty, mitigated and lighter lists, drawn from the bands
    of its benchmarks."""
    filters, params, filter_errors = parse_filters(request, BandListFilter)
    bands = filters.filter(
        scoped(
            request.user,
            BenchmarkBand.objects.filter(circumstance__in=THREE_LISTS),
            organ_field="benchmark__power_item__subject",
        )
    ).select_related("benchmark__power_item__subject")
    lists = [
        (value, label, [b for b in bands if b.circumstance == value])
        for value, label in Circumstance.choices
        if value in THREE_LISTS
    ]
    return render(
        request,
        "catalogue/three_lists.html",
        {
            "lists": lists,
            "filters": params,
            "filter_errors": filter_errors,
            "organs": enforcing_organs(request.user),
        },
    )


# --- the review catalogue --------------------------------------------------------------


@login_required
def review_catalogue(request: HttpRequest) -> HttpResponse:
    filters, params, filter_errors = parse_filters(request, ReviewEntryFilter)
    entries = (
        filters.filter(scoped(request.user, ReviewCatalogueItem.objects.all(), organ_field="organ"))
        .select_related("organ")
        .prefetch_related("power_items")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/review_catalogue.html",
        {
            "page": page,
            "filters": params,
            "filter_errors": filter_errors,
            "organs": enforcing_organs(request.user),
            "can_add": can_manage(request.user, MANAGE_CATALOGUE),
        },
    )


@login_required
def review_entry_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    form = ReviewEntryForm(
        (request.POST if request.method == "POST" else None), organs=enforcing_organs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        entry = apply_service(
            form,
            lambda: services.save_review_entry(
                actor=request.user,
                organ=data.pop("organ"),
                power_items=list(data.pop("power_items")),
                **data,
            ),
        )
        if entry:
            messages.success(request, _("Saved."))
            return redirect("catalogue:review_catalogue")
    return render(
        request, "registry/form.html", {"form": form, "title": _("New review catalogue entry")}
    )


@login_required
def review_entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    entry = get_scoped_or_404(
        request.user, ReviewCatalogueItem.objects, organ_field="organ", pk=entry_id
    )
    form = ReviewEntryForm(
        (request.POST if request.method == "POST" else None),
        instance=entry,
        organs=enforcing_organs(request.user).filter(pk=entry.organ_id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("organ")
        fresh = ReviewCatalogueItem.objects.get(pk=entry.pk)
        saved = apply_service(
            form,
            lambda: services.save_review_entry(
                fresh, actor=request.user, power_items=list(data.pop("power_items")), **data
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("catalogue:review_catalogue")
    return render(request, "registry/form.html", {"form": form, "title": entry.title})


# --- import and export -----------------------------------------------------------------

IMPORT_ROLES = {
    "power_items": MANAGE_CATALOGUE,
    "benchmarks": MANAGE_CATALOGUE,
    "officers": (Role.ORGAN_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR),
}


def may_import(user: Any) -> bool:
    """Who may open the import page (the catalogue's menu shows the link to them only)."""
    try:
        require_role(user, *MANAGE_CATALOGUE)
    except PermissionDenied:
        return False
    return True


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_CATALOGUE)
    organs = enforcing_organs(request.user)
    form = ImportForm(
        (request.POST if request.method == "POST" else None),
        (request.FILES if request.method == "POST" else None),
        organs=organs,
        initial={"kind": request.GET.get("kind", "power_items")},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        require_role(request.user, *IMPORT_ROLES[kind])
        upload = form.cleaned_data["file"]
        result = exchange.import_table(
            kind, upload, upload.name, form.cleaned_data["organ"], request.user
        )
        if result.ok:
            messages.success(
                request,
                _("Imported: %(c)d created, %(u)d updated.")
                % {"c": result.created, "u": result.updated},
            )
    return render(
        request,
        "catalogue/import.html",
        {
            "form": form,
            "result": result,
            "columns": [
                (label, exchange.COLUMNS[kind])
                for kind, label in ImportForm.base_fields["kind"].choices  # type: ignore[attr-defined]
            ],
        },
    )


@login_required
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in exchange.KINDS or fmt not in FORMATS:
        raise Http404
    organs = enforcing_organs(request.user)
    organ_id = request.GET.get("organ")
    if organ_id:
        organ_pk = parse_id(organ_id)
        if organ_pk is None:
            raise Http404
        organs = organs.filter(pk=organ_pk)
    data = exchange.export_table(kind, fmt, organs, request.user)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.{fmt}"'
    return response


@login_required
def organ_export_json(request: HttpRequest, organ_id: int) -> JsonResponse:
    organ = get_scoped_or_404(
        request.user,
        visible_organs(request.user).select_related("region"),
        organ_field="",
        pk=organ_id,
    )
    response = JsonResponse(
        exchange.catalogue_json(organ), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="catalogue-{organ.pk}.json"'
    return response

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhifa.core.api import ErrorOut, FieldError, error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import (
    get_scoped_or_404,
    require_law_keeper,
    require_role,
    scoped,
    visible_organs,
)
from zhifa.core.validation import Day, Id

from . import bands, exchange, services
from .filters import BenchmarkFilter, LawFilter, PowerItemFilter, ReviewEntryFilter
from .models import (
    Article,
    Circumstance,
    DiscretionBenchmark,
    Law,
    LawLevel,
    PowerCategory,
    PowerItem,
    ReviewCatalogueItem,
)
from .views import (
    IMPORT_ROLES,
    MANAGE_CATALOGUE,
    benchmarks_queryset,
    enforcing_organs,
)

router = Router(tags=["catalogue"])


# --- laws ------------------------------------------------------------------------------


class LawOut(Schema):
    id: int
    name: str
    level: str
    citable: bool
    issuing_body: str
    document_number: str
    promulgated_on: date | None
    valid_from: date
    repealed_on: date | None


class ArticleVersionOut(Schema):
    text: str
    valid_from: date
    valid_to: date | None


class ArticleOut(Schema):
    id: int
    number: str
    citation: str
    repealed_on: date | None
    versions: list[ArticleVersionOut]


class LawDetailOut(LawOut):
    articles: list[ArticleOut]


def _law_out(law: Law) -> dict[str, object]:
    return {
        "id": law.pk,
        "name": law.name,
        "level": law.level,
        "citable": law.citable,
        "issuing_body": law.issuing_body,
        "document_number": law.document_number,
        "promulgated_on": law.promulgated_on,
        "valid_from": law.valid_from,
        "repealed_on": law.repealed_on,
    }


def _article_out(a: Article) -> dict[str, object]:
    return {
        "id": a.pk,
        "number": a.number,
        "citation": a.citation,
        "repealed_on": a.repealed_on,
        "versions": [
            {"text": v.text, "valid_from": v.valid_from, "valid_to": v.valid_to}
            for v in a.versions.all()
        ],
    }


@router.get("/laws", response=list[LawOut], summary="Laws, regulations, rules and documents")
@paginate(BoundedLimitOffset)
def list_laws(request: HttpRequest, filters: Query[LawFilter]) -> list[dict[str, object]]:
    if not request.user.is_authenticated:
        raise Http404
    return Paged(filters.filter(Law.objects.all()), _law_out)  # type: ignore[return-value]


@router.get("/laws/{law_id}", response=LawDetailOut, summary="One law with its articles")
def get_law(request: HttpRequest, law_id: Id) -> dict[str, object]:
    law = Law.objects.filter(pk=law_id).first()
    if law is None:
        raise Http404
    out = _law_out(law)
    out["articles"] = [
        _article_out(a) for a in law.articles.select_related("law").prefetch_related("versions")
    ]
    return out


class LawIn(InputSchema):
    name: str
    level: LawLevel
    issuing_body: str
    document_number: str = ""
    promulgated_on: date | None = None
    valid_from: date


@router.post("/laws", response={201: LawOut}, summary="Record a law")
def create_law(request: HttpRequest, payload: LawIn) -> Status[dict[str, object]]:
    require_law_keeper(request.user)
    data = payload.model_dump()
    data["level"] = payload.level.value
    return Status(201, _law_out(services.save_law(actor=request.user, **data)))


class LawRepealIn(InputSchema):
    repealed_on: date


@router.post(
    "/laws/{law_id}/repeal",
    response=LawOut,
    summary="Repeal a whole law (every article; flags the power items citing them)",
)
def repeal_law(request: HttpRequest, law_id: Id, payload: LawRepealIn) -> dict[str, object]:
    require_law_keeper(request.user)
    law = Law.objects.filter(pk=law_id).first()
    if law is None:
        raise Http404
    return _law_out(services.repeal_law(law, actor=request.user, on=payload.repealed_on))


class ArticleIn(InputSchema):
    number: str
    text: str
    ordinal: int = 0
    valid_from: date | None = None


@router.post("/laws/{law_id}/articles", response={201: ArticleOut}, summary="Add an article")
def add_article(request: HttpRequest, law_id: Id, payload: ArticleIn) -> Status[dict[str, object]]:
    require_law_keeper(request.user)
    law = Law.objects.filter(pk=law_id).first()
    if law is None:
        raise Http404
    article = services.add_article(law, actor=request.user, **payload.model_dump())
    return Status(201, _article_out(article))


class VersionIn(InputSchema):
    text: str
    valid_from: date


def _article(article_id: int) -> Article:
    article = Article.objects.select_related("law").filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


@router.post(
    "/articles/{article_id}/versions",
    response={201: ArticleOut},
    summary="Record a new version of an article (flags the power items citing it)",
)
def add_article_version(
    request: HttpRequest, article_id: Id, payload: VersionIn
) -> Status[dict[str, object]]:
    require_law_keeper(request.user)
    article = _article(article_id)
    services.add_article_version(
        article, actor=request.user, text=payload.text, valid_from=payload.valid_from
    )
    return Status(201, _article_out(_article(article_id)))


class RepealIn(InputSchema):
    on: date


@router.post(
    "/articles/{article_id}/repeal",
    response=ArticleOut,
    summary="Repeal an article (flags the power items citing it)",
)
def repeal_article(request: HttpRequest, article_id: Id, payload: RepealIn) -> dict[str, object]:
    require_law_keeper(request.user)
    services.repeal_article(_article(article_id), actor=request.user, on=payload.on)
    return _article_out(_article(article_id))


# --- power items -----------------------------------------------------------------------


class WarningOut(Schema):
    rule: str
    message: str
    article: str
    change: str
    changed_on: date
    deadline: date


class PowerItemOut(Schema):
    id: int
    subject_id: int
    subject_name: str
    code: str
    name: str
    category: str
    basis: list[str]
    basis_article_ids: list[int]
    responsibilities: str
    valid_from: date
    valid_to: date | None
    published: bool
    published_on: date | None
    update_warnings: list[WarningOut]


def _power_item_out(p: PowerItem) -> dict[str, object]:
    warnings = getattr(p, "open_warnings_list", None)
    if warnings is None:
        warnings = list(
            p.update_warnings.filter(reviewed_on__isnull=True).select_related(
                "change__article__law"
            )
        )
    return {
        "id": p.pk,
        "subject_id": p.subject_id,
        "subject_name": p.subject.name,
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "basis": [a.citation for a in p.basis.all()],
        "basis_article_ids": [a.pk for a in p.basis.all()],
        "responsibilities": p.responsibilities,
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "published": p.published,
        "published_on": p.published_on,
        "update_warnings": [
            {
                "rule": "JL-power-list-update",
                # The msgid of the power item pages (catalogue/_warnings.html).
                "message": _("Basis changed: review by %(d)s") % {"d": w.deadline.isoformat()},
                "article": str(w.change.article),
                "change": w.change.kind,
                "changed_on": w.change.changed_on,
                "deadline": w.deadline,
            }
            for w in warnings
        ],
    }


def _items_with_details(user: object) -> object:
    from django.db.models import Prefetch

    from .models import PowerItemWarning

    return (
        scoped(user, PowerItem.objects.all(), organ_field="subject")
        .select_related("subject")
        .prefetch_related(
            "basis__law",
            Prefetch(
                "update_warnings",
                queryset=PowerItemWarning.objects.filter(reviewed_on__isnull=True)
                .select_related("change__article__law")
                .order_by("deadline"),
                to_attr="open_warnings_list",
            ),
        )
    )


@router.get("/power-items", response=list[PowerItemOut], summary="Power items in your scope")
@paginate(BoundedLimitOffset)
def list_power_items(
    request: HttpRequest, filters: Query[PowerItemFilter]
) -> list[dict[str, object]]:
    items = filters.filter(_items_with_details(request.user))  # type: ignore[arg-type]
    return Paged(items, _power_item_out)  # type: ignore[return-value]


@router.get("/power-items/{item_id}", response=PowerItemOut, summary="One power item")
def get_power_item(request: HttpRequest, item_id: Id) -> dict[str, object]:
    item = get_scoped_or_404(
        request.user,
        _items_with_details(request.user),  # type: ignore[arg-type]
        organ_field="subject",
        pk=item_id,
    )
    return _power_item_out(item)


class PowerItemIn(InputSchema):
    subject_id: Id
    code: str
    name: str
    category: PowerCategory
    basis_article_ids: list[Id] = []
    responsibilities: str = ""
    valid_from: date
    valid_to: date | None = None
    published: bool = False
    published_on: date | None = None


def _articles(ids: list[int]) -> list[Article]:
    articles = list(Article.objects.select_related("law").filter(pk__in=ids))
    if len(articles) != len(set(ids)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"basis_article_ids": "Unknown article id."})
    return articles


@router.post(
    "/power-items",
    response={201: PowerItemOut, **error_responses(404)},
    summary="Add a power item",
)
def create_power_item(request: HttpRequest, payload: PowerItemIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_CATALOGUE)
    data = payload.model_dump()
    subject = get_scoped_or_404(
        request.user, enforcing_organs(request.user), organ_field="", pk=data.pop("subject_id")
    )
    basis = _articles(data.pop("basis_article_ids"))
    data["category"] = payload.category.value
    item = services.save_power_item(actor=request.user, subject=subject, basis=basis, **data)
    return Status(201, _power_item_out(item))


class PowerItemPatch(InputSchema):
    """Only the fields given change. ``null`` clears ``responsibilities`` (the empty
    text), ``valid_to`` and ``published_on``, and leaves the other fields as they are
    (their columns take no NULL)."""

    name: str | None = None
    category: PowerCategory | None = None
    basis_article_ids: list[Id] | None = None
    responsibilities: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    published: bool | None = None
    published_on: date | None = None


@router.patch("/power-items/{item_id}", response=PowerItemOut, summary="Change a power item")
def update_power_item(
    request: HttpRequest, item_id: Id, payload: PowerItemPatch
) -> dict[str, object]:
    require_role(request.user, *MANAGE_CATALOGUE)
    item = get_scoped_or_404(
        request.user, PowerItem.objects.select_related("subject"), organ_field="subject", pk=item_id
    )
    data = payload.model_dump(exclude_unset=True)
    ids = data.pop("basis_article_ids", None)
    if "responsibilities" in data and data["responsibilities"] is None:
        data["responsibilities"] = ""
    for name in ("name", "category", "valid_from", "published"):
        if name in data and data[name] is None:
            del data[name]
    if data.get("category") is not None:
        data["category"] = str(data["category"])
    services.save_power_item(
        item, actor=request.user, basis=_articles(ids) if ids is not None else None, **data
    )
    return _power_item_out(PowerItem.objects.select_related("subject").get(pk=item.pk))


class ReviewIn(InputSchema):
    note: str
    on: date | None = None


@router.post(
    "/power-items/{item_id}/review",
    response=PowerItemOut,
    summary="Record the review of a power item after its basis changed",
)
def review_power_item(request: HttpRequest, item_id: Id, payload: ReviewIn) -> dict[str, object]:
    from django.utils import timezone

    require_role(request.user, *MANAGE_CATALOGUE)
    item = get_scoped_or_404(
        request.user, PowerItem.objects.select_related("subject"), organ_field="subject", pk=item_id
    )
    services.record_power_item_review(
        item, actor=request.user, on=payload.on or timezone.localdate(), note=payload.note
    )
    return _power_item_out(PowerItem.objects.select_related("subject").get(pk=item.pk))


# --- benchmarks ------------------------------------------------------------------------


class BandOut(Schema):
    circumstance: str
    conditions: str
    penalty: str
    fine_min: Decimal | None
    fine_max: Decimal | None


class BenchmarkOut(Schema):
    id: int
    power_item_id: int
    power_item_code: str
    violation: str
    penalty_article: str | None
    statutory_range: str
    statutory_min: Decimal | None
    statutory_max: Decimal | None
    description: str
    valid_from: date
    valid_to: date | None
    published: bool
    published_on: date | None
    bands: list[BandOut]


def _band_out(b: object) -> dict[str, object]:
    return {
        "circumstance": b.circumstance,  # type: ignore[attr-defined]
        "conditions": b.conditions,  # type: ignore[attr-defined]
        "penalty": b.penalty,  # type: ignore[attr-defined]
        "fine_min": b.fine_min,  # type: ignore[attr-defined]
        "fine_max": b.fine_max,  # type: ignore[attr-defined]
    }


def _benchmark_out(b: DiscretionBenchmark) -> dict[str, object]:
    return {
        "id": b.pk,
        "power_item_id": b.power_item_id,
        "power_item_code": b.power_item.code,
        "violation": b.violation,
        "penalty_article": str(b.penalty_article) if b.penalty_article else None,
        "statutory_range": b.statutory_range,
        "statutory_min": b.statutory_min,
        "statutory_max": b.statutory_max,
        "description": b.description,
        "valid_from": b.valid_from,
        "valid_to": b.valid_to,
        "published": b.published,
        "published_on": b.published_on,
        "bands": [_band_out(band) for band in b.bands.all()],
    }


@router.get("/benchmarks", response=list[BenchmarkOut], summary="Discretion benchmarks")
@paginate(BoundedLimitOffset)
def list_benchmarks(
    request: HttpRequest, filters: Query[BenchmarkFilter]
) -> list[dict[str, object]]:
    benchmarks = filters.filter(benchmarks_queryset(request.user)).prefetch_related("bands")
    return Paged(benchmarks, _benchmark_out)  # type: ignore[return-value]


@router.get("/benchmarks/{benchmark_id}", response=BenchmarkOut, summary="One benchmark")
def get_benchmark(request: HttpRequest, benchmark_id: Id) -> dict[str, object]:
    benchmark = get_scoped_or_404(
        request.user,
        benchmarks_queryset(request.user).prefetch_related("bands"),
        organ_field="power_item__subject",
        pk=benchmark_id,
    )
    return _benchmark_out(benchmark)


class BandIn(InputSchema):
    circumstance: Circumstance
    conditions: str
    penalty: str = ""
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None


class BenchmarkIn(InputSchema):
    power_item_id: Id
    violation: str
    penalty_article_id: Id | None = None
    statutory_range: str
    statutory_min: Decimal | None = None
    statutory_max: Decimal | None = None
    description: str = ""
    valid_from: date
    valid_to: date | None = None
    published: bool = False
    published_on: date | None = None
    bands: list[BandIn]


@router.post(
    "/benchmarks",
    response={201: BenchmarkOut, **error_responses(404)},
    summary="Add a benchmark version",
)
def create_benchmark(request: HttpRequest, payload: BenchmarkIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_CATALOGUE)
    data = payload.model_dump()
    item = get_scoped_or_404(
        request.user, PowerItem.objects, organ_field="subject", pk=data.pop("power_item_id")
    )
    article_id = data.pop("penalty_article_id")
    data["penalty_article"] = _articles([article_id])[0] if article_id else None
    bands = [{**band, "circumstance": str(band["circumstance"])} for band in data.pop("bands")]
    benchmark = services.save_benchmark(
        actor=request.user, power_item=item, bands_data=bands, **data
    )
    fresh = DiscretionBenchmark.objects.select_related("power_item", "penalty_article__law")
    return Status(201, _benchmark_out(fresh.get(pk=benchmark.pk)))


class BandChoiceOut(Schema):
    benchmark_id: int
    violation: str
    version_valid_from: date
    circumstance: Circumstance
    conditions: str
    penalty: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    statutory_min: Decimal | None
    statutory_max: Decimal | None


#: A circumstance in the catalogue's words (``general``) or the case-file format's
#: (``ordinary``, as the case steps' ``benchmark.circumstance`` take it).
BandCircumstance = Literal["no_penalty", "mitigated", "lighter", "general", "ordinary", "heavier"]


@router.get(
    "/power-items/{item_id}/band",
    response=BandChoiceOut,
    summary="The discretion band for a circumstance on a date (rule DISC-benchmark)",
    description=(
        "`circumstance` in the catalogue's words (`general`, 一般处罚) or the case-file "
        "format's (`ordinary`, as a case step's `benchmark.circumstance`); the answer "
        "names it in the catalogue's words."
    ),
)
def band_for(
    request: HttpRequest,
    item_id: Id,
    on: Day,
    circumstance: BandCircumstance,
    violation: str | None = None,
) -> dict[str, object]:
    item = get_scoped_or_404(request.user, PowerItem.objects, organ_field="subject", pk=item_id)
    wanted = bands.GENERAL if circumstance == "ordinary" else circumstance
    choice = services.band_for(item, on, wanted, violation)
    if choice is None:
        raise Http404
    return {
        "benchmark_id": choice.version.id,
        "violation": choice.version.violation,
        "version_valid_from": choice.version.valid_from,
        "circumstance": choice.band.circumstance,
        "conditions": choice.band.conditions,
        "penalty": choice.band.penalty,
        "fine_min": choice.band.fine_min,
        "fine_max": choice.band.fine_max,
        "statutory_min": choice.version.statutory_min,
        "statutory_max": choice.version.statutory_max,
    }


# --- the review catalogue --------------------------------------------------------------


class ReviewEntryOut(Schema):
    id: int
    organ_id: int
    title: str
    criteria: str
    category: str
    power_item_codes: list[str]
    basis: str
    valid_from: date
    valid_to: date | None
    published: bool


@router.get(
    "/review-catalogue",
    response=list[ReviewEntryOut],
    summary="Major-decision review catalogue entries in your scope",
)
@paginate(BoundedLimitOffset)
def list_review_catalogue(
    request: HttpRequest, filters: Query[ReviewEntryFilter]
) -> list[dict[str, object]]:
    entries = filters.filter(
        scoped(request.user, ReviewCatalogueItem.objects.all(), organ_field="organ")
    ).prefetch_related("power_items")
    return Paged(  # type: ignore[return-value]
        entries,
        lambda e: {
            "id": e.pk,
            "organ_id": e.organ_id,
            "title": e.title,
            "criteria": e.criteria,
            "category": e.category,
            "power_item_codes": [p.code for p in e.power_items.all()],
            "basis": e.basis,
            "valid_from": e.valid_from,
            "valid_to": e.valid_to,
            "published": e.published,
        },
    )


class ReviewEntryIn(InputSchema):
    organ_id: Id
    title: str
    criteria: str
    category: PowerCategory | None = None
    power_item_ids: list[Id] = []
    basis: str = ""
    valid_from: date
    valid_to: date | None = None
    published: bool = False
    published_on: date | None = None


@router.post(
    "/review-catalogue",
    response={201: ReviewEntryOut, **error_responses(404)},
    summary="Add an entry to the major-decision review catalogue",
)
def create_review_entry(request: HttpRequest, payload: ReviewEntryIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_CATALOGUE)
    data = payload.model_dump()
    organ = get_scoped_or_404(
        request.user, enforcing_organs(request.user), organ_field="", pk=data.pop("organ_id")
    )
    ids = data.pop("power_item_ids")
    # Only the organ's own items: another organ's item is as unknown as a missing one.
    items = list(PowerItem.objects.filter(subject=organ, pk__in=ids))
    if len(items) != len(set(ids)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"power_item_ids": "Unknown power item id."})
    data["category"] = payload.category.value if payload.category else ""
    entry = services.save_review_entry(actor=request.user, organ=organ, power_items=items, **data)
    return Status(
        201,
        {
            "id": entry.pk,
            "organ_id": entry.organ_id,
            "title": entry.title,
            "criteria": entry.criteria,
            "category": entry.category,
            "power_item_codes": [p.code for p in items],
            "basis": entry.basis,
            "valid_from": entry.valid_from,
            "valid_to": entry.valid_to,
            "published": entry.published,
        },
    )


# --- import and export -----------------------------------------------------------------


class RowErrorOut(Schema):
    path: str
    row: int
    column: str
    message: str


class ImportOut(Schema):
    kind: str
    applied: bool
    created: int
    updated: int
    errors: list[RowErrorOut]


class ImportErrorOut(ErrorOut):
    """The API's one error shape. When the file was read but rows are wrong, also the
    import's row-by-row report (``kind``, ``applied``, ``created``, ``updated``, and each
    error's ``row`` and ``column``); a request refused before the file is read (a missing
    or mistyped ``organ_id`` or ``file``) has ``errors`` that name the field only."""

    kind: str | None = None
    applied: bool | None = None
    created: int | None = None
    updated: int | None = None
    errors: list[RowErrorOut | FieldError] = []  # type: ignore[assignment]


@router.post(
    "/imports/{kind}",
    response={200: ImportOut, 400: ImportErrorOut},
    summary="Import power items, benchmarks or officers (.xlsx or .csv); whole or nothing",
)
def import_file(
    request: HttpRequest,
    kind: str,
    organ_id: Form[Id],
    file: File[UploadedFile],
) -> Status[dict[str, object]]:
    if kind not in exchange.KINDS:
        raise Http404
    require_role(request.user, *IMPORT_ROLES[kind])
    organ = get_scoped_or_404(
        request.user, enforcing_organs(request.user), organ_field="", pk=organ_id
    )
    result = exchange.import_table(kind, file, file.name or "", organ, request.user)
    body = result.as_dict()
    for error in body["errors"]:
        error["path"] = f"file.rows[{error['row']}].{error['column']}"
    if result.ok:
        return Status(200, body)
    body.update(
        status=400,
        code="invalid",
        message=_("The file was not imported: fix the rows listed and send it again."),
    )
    return Status(400, body)


@router.get(
    "/exports/{kind}",
    summary="Export power items, benchmarks or officers in your scope (.xlsx or .csv)",
)
def export_table(
    request: HttpRequest, kind: str, format: str = "xlsx", organ_id: Id | None = None
) -> HttpResponse:
    from django.utils import timezone

    from zhifa.registry.tabular import CONTENT_TYPES, FORMATS

    if kind not in exchange.KINDS or format not in FORMATS:
        raise Http404
    organs = enforcing_organs(request.user)
    if organ_id is not None:
        organs = organs.filter(pk=organ_id)
    response = HttpResponse(
        exchange.export_table(kind, format, organs, request.user),
        content_type=CONTENT_TYPES[format],
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.{format}"'
    return response


@router.get(
    "/organs/{organ_id}/catalogue",
    summary="The whole catalogue of an organ (power items, benchmarks, review catalogue)",
)
def organ_catalogue(request: HttpRequest, organ_id: Id) -> dict[str, object]:
    organ = get_scoped_or_404(
        request.user,
        visible_organs(request.user).select_related("region"),
        organ_field="",
        pk=organ_id,
    )
    return exchange.catalogue_json(organ)

"""The published annual statistics API (public: no authentication; published snapshots
only, never a party's data). docs/statistics.md lists every answer:

- 200: the figures, or a page of a list;
- 400 (``invalid``): a year outside 2000–9998, a version or offset that is not a
  positive number in range, a limit outside 1–100 — ``errors`` names the parameter;
- 404 (``not_found``): the organ has not published that year (or that version), no
  such organ or region, or a list key that does not exist.

The running (unpublished) figures are on the staff pages only."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhifa.core.paging import BoundedLimitOffset, Paged, offset_error
from zhifa.core.schemas import InputSchema
from zhifa.core.validation import DB_MAX_ID, Id
from zhifa.registry.models import Region
from zhifa.rules.engine import statistics as rules

from . import policy, published, queries
from .labels import LIST_LABELS

router = Router(tags=["statistics"])

Year = Annotated[int, Field(ge=policy.FIRST_YEAR, le=policy.LAST_YEAR, description="A year")]
ListKey = Annotated[
    str,
    Field(
        max_length=32,
        description="One of: " + ", ".join(queries.LIST_KEYS) + " (another key is a 404).",
    ),
]
RegionCode = Annotated[
    str, Field(max_length=9, description="GB/T 2260 region code (6 or 9 digits).")
]


class AmountOut(Schema):
    decisions: int = Field(description="Decisions with at least one penalty of this kind.")
    amount: Decimal = Field(description="Yuan.")


class PenaltyOut(Schema):
    decisions: int = Field(description="Penalty decisions (each counted once).")
    categories: dict[str, int] = Field(
        description="Decisions by heaviest category (GB118-annual-stats): "
        + ", ".join(rules.DISPLAY_ORDER)
        + "."
    )
    fines: AmountOut
    confiscations: AmountOut


class CoercionOut(Schema):
    seizures: int = Field(description="Sealing or seizure measures taken (查封、扣押).")
    court_applications: int = Field(description="Applications to the court for enforcement.")
    other_measures: None = Field(
        description="Always null: the platform does not record other coercive measures."
    )


class FiguresOut(Schema):
    year: int
    penalty: PenaltyOut
    coercion: CoercionOut
    preservations: int = Field(description="Evidence preserved by registration (APL Art. 56).")
    licensing: None = Field(description="Always null: not recorded on this platform.")
    inspection: None = Field(description="Always null: not recorded on this platform.")
    levy: None = Field(description="Always null: not recorded on this platform.")


class VersionOut(Schema):
    version: int
    published_on: date
    reason: str
    digest: str


class OrganStatisticsOut(Schema):
    organ_id: int
    organ: str
    region_code: str
    year: int
    version: int
    published_on: date
    reason: str = Field(description="The reason for the correction (empty for version 1).")
    digest: str = Field(description="SM3 of the snapshot's figures and lists.")
    figures: FiguresOut
    versions: list[VersionOut]


class PublishedOrganOut(Schema):
    organ_id: int
    organ: str
    version: int
    published_on: date
    decisions: int


class RegionStatisticsOut(Schema):
    region_code: str
    region: str
    year: int
    figures: FiguresOut = Field(description="The sum of its organs' published figures.")
    published: list[PublishedOrganOut] = Field(description="The organs it sums.")
    not_published: list[str] = Field(description="Its organs that have not published.")


class PublicationOut(Schema):
    organ_id: int
    organ: str
    region_code: str
    year: int
    version: int
    published_on: date


class ListedOut(Schema):
    document_number: str = Field(description="文号 of the decision (or measure).")
    organ: str
    date: date
    kind: str = Field(description="The heaviest category, or the coercion step's list key.")
    kind_label: str
    fine: Decimal | None = Field(description="Yuan; null when the decision has no fine.")
    confiscation: Decimal | None


class PublishedFilter(InputSchema):
    year: int | None = Field(None, ge=policy.FIRST_YEAR, le=policy.LAST_YEAR)
    organ_id: int | None = Field(None, ge=1, le=DB_MAX_ID)
    region: str = Field("", max_length=9, description="Region code: its organs and below.")


class VersionQuery(InputSchema):
    version: int | None = Field(
        None, ge=1, le=DB_MAX_ID, description="A version (default: the latest)."
    )


def _region(code: str) -> Region:
    found = Region.objects.filter(code=code).first() if code.isdigit() else None
    if found is None:
        raise Http404
    return found


@router.get(
    "/statistics/published",
    response=list[PublicationOut],
    auth=None,
    summary="Published annual statistics (latest versions)",
)
@paginate(BoundedLimitOffset)
def list_published(request: HttpRequest, filters: Query[PublishedFilter]) -> Any:
    found = (
        published.current()
        .select_related("organ__region")
        .defer("figures", "lists")
        .order_by("-year", "organ_id")
    )
    if filters.year is not None:
        found = found.filter(year=filters.year)
    if filters.organ_id is not None:
        found = found.filter(organ_id=filters.organ_id)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        found = (
            found.filter(organ__region__path__startswith=region.path) if region else found.none()
        )
    return Paged(
        found,
        lambda p: {
            "organ_id": p.organ_id,
            "organ": p.organ.name,
            "region_code": p.organ.region.code,
            "year": p.year,
            "version": p.version,
            "published_on": p.published_on,
        },
    )


@router.get(
    "/statistics/organs/{organ_id}/{year}",
    response=OrganStatisticsOut,
    auth=None,
    summary="An organ's published statistics of a year",
)
def get_organ_statistics(
    request: HttpRequest,
    organ_id: Id,
    year: Year,
    query: Query[VersionQuery],
) -> dict[str, Any]:
    publication = published.organ_publication(organ_id, year, query.version)
    return {
        "organ_id": publication.organ_id,
        "organ": publication.organ.name,
        "region_code": publication.organ.region.code,
        "year": publication.year,
        "version": publication.version,
        "published_on": publication.published_on,
        "reason": publication.reason,
        "digest": publication.digest,
        "figures": publication.figures,
        "versions": [
            {
                "version": v.version,
                "published_on": v.published_on,
                "reason": v.reason,
                "digest": v.digest,
            }
            for v in published.versions(organ_id, year)
        ],
    }


@router.get(
    "/statistics/regions/{code}/{year}",
    response=RegionStatisticsOut,
    auth=None,
    summary="A region's published statistics of a year (its organs and those below)",
)
def get_region_statistics(request: HttpRequest, code: RegionCode, year: Year) -> dict[str, Any]:
    region = _region(code)
    figures, publications = published.region_figures(region, year)
    done = {p.organ_id for p in publications}
    return {
        "region_code": region.code,
        "region": region.name,
        "year": year,
        "figures": figures.to_json(),
        "published": [
            {
                "organ_id": p.organ_id,
                "organ": p.organ.name,
                "version": p.version,
                "published_on": p.published_on,
                "decisions": p.figures["penalty"]["decisions"],
            }
            for p in publications
        ],
        "not_published": list(
            published.region_organs(region)
            .filter(active=True)
            .exclude(pk__in=done)
            .order_by("region__code", "name")
            .values_list("name", flat=True)
        ),
    }


class _IdPage:
    """The rows of a list of step IDs, converted for the page served only."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        if (key.start or 0) > DB_MAX_ID:
            raise offset_error()
        rows = queries.rows_of(self.ids[key])
        names = published.organ_names(r.organ_id for r in rows)
        return [
            {
                "document_number": r.number,
                "organ": names.get(r.organ_id, ""),
                "date": r.day,
                "kind": r.kind,
                "kind_label": str(LIST_LABELS.get(r.kind, r.kind)),
                "fine": r.fine,
                "confiscation": r.confiscation,
            }
            for r in rows
        ]


def _check_key(key: str) -> None:
    if key not in queries.LIST_KEYS:
        raise Http404


@router.get(
    "/statistics/organs/{organ_id}/{year}/lists/{key}",
    response=list[ListedOut],
    auth=None,
    summary="The decisions a published figure of an organ counts",
)
@paginate(BoundedLimitOffset)
def organ_list(
    request: HttpRequest,
    organ_id: Id,
    year: Year,
    key: ListKey,
    query: Query[VersionQuery],
) -> Any:
    _check_key(key)
    publication = published.organ_publication(organ_id, year, query.version)
    return _IdPage(list(publication.lists.get(key, [])))


@router.get(
    "/statistics/regions/{code}/{year}/lists/{key}",
    response=list[ListedOut],
    auth=None,
    summary="The decisions a published figure of a region counts",
)
@paginate(BoundedLimitOffset)
def region_list(request: HttpRequest, code: RegionCode, year: Year, key: ListKey) -> Any:
    _check_key(key)
    return _IdPage(published.region_list(_region(code), year, key))

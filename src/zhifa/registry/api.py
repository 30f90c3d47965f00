from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zhifa.core.scope import get_scoped_or_404, visible_organs, visible_regions

from .filters import OrganFilter
from .models import EnforcementSubject, Region

router = Router(tags=["registry"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class OrganOut(Schema):
    id: int
    name: str
    short_name: str
    subject_type: str
    subject_type_label: str
    can_enforce: bool
    region_code: str
    region_name: str
    parent_id: int | None
    uscc: str
    is_justice_bureau: bool


class UserBrief(Schema):
    username: str
    full_name: str
    role: str


class OrganDetailOut(OrganOut):
    users: list[UserBrief]


def _organ_out(organ: EnforcementSubject) -> dict[str, object]:
    return {
        "id": organ.pk,
        "name": organ.name,
        "short_name": organ.short_name,
        "subject_type": organ.subject_type,
        "subject_type_label": str(organ.get_subject_type_display()),
        "can_enforce": organ.can_enforce,
        "region_code": organ.region.code,
        "region_name": organ.region.name,
        "parent_id": organ.parent_id,
        "uscc": organ.uscc,
        "is_justice_bureau": organ.is_justice_bureau,
    }


@router.get("/regions", response=list[RegionOut], summary="Regions in your scope")
@paginate(LimitOffsetPagination)
def list_regions(request: HttpRequest) -> list[dict[str, object]]:
    regions = visible_regions(request.user).select_related("parent")
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent.code if r.parent else None,
        }
        for r in regions
    ]


@router.get("/organs", response=list[OrganOut], summary="Enforcement subjects in your scope")
@paginate(LimitOffsetPagination)
def list_organs(request: HttpRequest, filters: Query[OrganFilter]) -> list[dict[str, object]]:
    organs = filters.filter(visible_organs(request.user)).select_related("region")
    return [_organ_out(o) for o in organs]


@router.get(
    "/organs/{organ_id}", response=OrganDetailOut, summary="One enforcement subject and its users"
)
def get_organ(request: HttpRequest, organ_id: int) -> dict[str, object]:
    organ = get_scoped_or_404(
        request.user,
        EnforcementSubject.objects.select_related("region"),
        organ_field="",
        pk=organ_id,
    )
    out = _organ_out(organ)
    out["users"] = [
        {"username": u.username, "full_name": u.full_name, "role": u.role}
        for u in organ.users.filter(is_active=True).order_by("username")
    ]
    return out


__all__ = ["Region", "router"]

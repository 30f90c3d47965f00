from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    organ_id: int | None
    organ_name: str | None
    region_code: str | None


@router.get("/me", response=MeOut, summary="The logged-in user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,
        full_name=user.get_full_name(),
        role=user.role,
        role_label=str(user.get_role_display()) if user.role else "",
        organ_id=user.organ_id,
        organ_name=user.organ.name if user.organ_id else None,
        region_code=user.region.code if user.region_id else None,
    )

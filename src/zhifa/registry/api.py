from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhifa.core.api import error_responses
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, require_role, visible_organs, visible_regions
from zhifa.core.validation import Id, text_problem

from . import services
from .filters import EntrustmentFilter, OfficerFilter, OrganFilter
from .models import (
    Certificate,
    CertificateStatus,
    EnforcementSubject,
    Entrustment,
    Officer,
    OfficerKind,
    Region,
    RegionLevel,
    SubjectType,
)
from .views import (
    MANAGE_CERTIFICATES,
    MANAGE_ENTRUSTMENTS,
    MANAGE_OFFICERS,
    MANAGE_SUBJECTS,
    can_see_id_number,
    certificates_queryset,
    entrustments_queryset,
    officers_queryset,
    with_certificates,
)

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
    level: str
    legal_basis: str
    authorising_law: str
    contact_phone: str
    contact_address: str


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
        "level": organ.level,
        "legal_basis": organ.legal_basis,
        "authorising_law": organ.authorising_law,
        "contact_phone": organ.contact_phone,
        "contact_address": organ.contact_address,
    }


@router.get("/regions", response=list[RegionOut], summary="Regions in your scope")
@paginate(BoundedLimitOffset)
def list_regions(request: HttpRequest) -> list[dict[str, object]]:
    regions = visible_regions(request.user).select_related("parent")
    return Paged(  # type: ignore[return-value]
        regions,
        lambda r: {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent.code if r.parent else None,
        },
    )


@router.get("/organs", response=list[OrganOut], summary="Enforcement subjects in your scope")
@paginate(BoundedLimitOffset)
def list_organs(request: HttpRequest, filters: Query[OrganFilter]) -> list[dict[str, object]]:
    organs = filters.filter(visible_organs(request.user)).select_related("region")
    return Paged(organs, _organ_out)  # type: ignore[return-value]


@router.get(
    "/organs/{organ_id}", response=OrganDetailOut, summary="One enforcement subject and its users"
)
def get_organ(request: HttpRequest, organ_id: Id) -> dict[str, object]:
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


class SubjectIn(InputSchema):
    name: str
    subject_type: SubjectType
    region_code: str
    parent_id: Id | None = None
    short_name: str = ""
    level: RegionLevel | None = None
    legal_basis: str = ""
    authorising_law: str = ""
    uscc: str = ""
    contact_phone: str = ""
    contact_address: str = ""


@router.post(
    "/organs",
    response={201: OrganOut, **error_responses(404)},
    summary="Register a subject in your region (supervisors and administrators)",
)
def create_organ(request: HttpRequest, payload: SubjectIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_SUBJECTS)
    data = payload.model_dump()
    region = visible_regions(request.user).filter(code=data.pop("region_code")).first()
    if region is None:
        from django.http import Http404

        raise Http404
    parent_id = data.pop("parent_id")
    parent = (
        get_scoped_or_404(request.user, visible_organs(request.user), organ_field="", pk=parent_id)
        if parent_id
        else None
    )
    data["subject_type"] = payload.subject_type.value
    data["level"] = payload.level.value if payload.level else ""
    organ = services.create_subject(actor=request.user, region=region, parent=parent, **data)
    return Status(201, _organ_out(organ))


#: The details a ``null`` clears (stored as the empty text: the columns take no NULL).
CLEARABLE_DETAILS = (
    "short_name",
    "legal_basis",
    "authorising_law",
    "uscc",
    "contact_phone",
    "contact_address",
)


class SubjectDetailsIn(InputSchema):
    """Only the fields given change. ``null`` clears a text detail (the empty text) and
    leaves ``level`` as it is; ``active`` takes only ``true`` or ``false``."""

    short_name: str | None = None
    level: RegionLevel | None = None
    legal_basis: str | None = None
    authorising_law: str | None = None
    uscc: str | None = None
    contact_phone: str | None = None
    contact_address: str | None = None
    active: bool = Field(None, description="Whether the subject is active (not null).")


@router.patch(
    "/organs/{organ_id}/details",
    response=OrganOut,
    summary="Record a subject's details (supervisors and administrators)",
)
def update_organ_details(
    request: HttpRequest, organ_id: Id, payload: SubjectDetailsIn
) -> dict[str, object]:
    require_role(request.user, *MANAGE_SUBJECTS)
    organ = get_scoped_or_404(
        request.user,
        EnforcementSubject.objects.select_related("region"),
        organ_field="",
        pk=organ_id,
    )
    fields = payload.model_dump(exclude_unset=True)
    if fields.get("level") is None:
        fields.pop("level", None)
    for name in CLEARABLE_DETAILS:
        if name in fields and fields[name] is None:
            fields[name] = ""
    return _organ_out(services.update_subject_details(organ, actor=request.user, **fields))


# --- officers and certificates ---------------------------------------------------------


class CertificateOut(Schema):
    id: int
    number: str
    issuing_authority: str
    valid_from: date
    valid_to: date
    status: str
    status_reason: str
    status_changed_on: date | None
    verify_path: str


class OfficerOut(Schema):
    id: int
    name: str
    organ_id: int
    organ_name: str
    kind: str
    post: str
    enforcement_fields: str
    legal_qualification: bool
    active: bool
    id_number: str | None = None
    certificates: list[CertificateOut]


def _certificate_out(c: Certificate) -> dict[str, object]:
    from django.urls import reverse

    return {
        "id": c.pk,
        "number": c.number,
        "issuing_authority": c.issuing_authority,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "status": c.status,
        "status_reason": c.status_reason,
        "status_changed_on": c.status_changed_on,
        "verify_path": reverse("verify", args=[c.number]),
    }


def _officer_out(request: HttpRequest, o: Officer) -> dict[str, object]:
    return {
        "id": o.pk,
        "name": o.name,
        "organ_id": o.organ_id,
        "organ_name": o.organ.name,
        "kind": o.kind,
        "post": o.post,
        "enforcement_fields": o.enforcement_fields,
        "legal_qualification": o.legal_qualification,
        "active": o.active,
        # The national ID number never leaves the officer's organ.
        "id_number": o.id_number if can_see_id_number(request.user, o) else None,
        "certificates": [_certificate_out(c) for c in o.certificates.all()],
    }


@router.get("/officers", response=list[OfficerOut], summary="Officers in your scope")
@paginate(BoundedLimitOffset)
def list_officers(request: HttpRequest, filters: Query[OfficerFilter]) -> list[dict[str, object]]:
    officers = with_certificates(filters.filter(officers_queryset(request.user)))
    return Paged(officers, lambda o: _officer_out(request, o))  # type: ignore[return-value]


@router.get("/officers/{officer_id}", response=OfficerOut, summary="One officer")
def get_officer(request: HttpRequest, officer_id: Id) -> dict[str, object]:
    officer = get_scoped_or_404(
        request.user, with_certificates(officers_queryset(request.user)), pk=officer_id
    )
    return _officer_out(request, officer)


class OfficerIn(InputSchema):
    organ_id: Id
    name: str
    id_number: str
    kind: OfficerKind = OfficerKind.OFFICER
    post: str = ""
    enforcement_fields: str = ""
    legal_qualification: bool = False
    legal_qualification_number: str = ""
    active: bool = True


@router.post(
    "/officers", response={201: OfficerOut, **error_responses(404)}, summary="Register an officer"
)
def create_officer(request: HttpRequest, payload: OfficerIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_OFFICERS)
    data = payload.model_dump()
    organ = get_scoped_or_404(
        request.user, visible_organs(request.user), organ_field="", pk=data.pop("organ_id")
    )
    officer = services.save_officer(actor=request.user, organ=organ, **data)
    return Status(201, _officer_out(request, officer))


class OfficerPatch(InputSchema):
    name: str | None = None
    kind: OfficerKind | None = None
    post: str | None = None
    enforcement_fields: str | None = None
    legal_qualification: bool | None = None
    legal_qualification_number: str | None = None
    active: bool | None = None


@router.patch("/officers/{officer_id}", response=OfficerOut, summary="Change an officer")
def update_officer(
    request: HttpRequest, officer_id: Id, payload: OfficerPatch
) -> dict[str, object]:
    require_role(request.user, *MANAGE_OFFICERS)
    officer = get_scoped_or_404(request.user, officers_queryset(request.user), pk=officer_id)
    fields = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    officer = services.save_officer(officer, actor=request.user, **fields)
    return _officer_out(request, officer)


class TrainingIn(InputSchema):
    year: int
    hours: Decimal
    topic: str = ""


class ExamIn(InputSchema):
    taken_on: date
    name: str
    score: Decimal | None = None
    passed: bool = False


@router.post(
    "/officers/{officer_id}/trainings",
    response={201: OfficerOut},
    summary="Record training hours",
)
def add_training(
    request: HttpRequest, officer_id: Id, payload: TrainingIn
) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_OFFICERS)
    officer = get_scoped_or_404(request.user, officers_queryset(request.user), pk=officer_id)
    services.record_training(officer, actor=request.user, **payload.model_dump())
    return Status(201, _officer_out(request, officer))


@router.post("/officers/{officer_id}/exams", response={201: OfficerOut}, summary="Record an exam")
def add_exam(request: HttpRequest, officer_id: Id, payload: ExamIn) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_OFFICERS)
    officer = get_scoped_or_404(request.user, officers_queryset(request.user), pk=officer_id)
    services.record_exam(officer, actor=request.user, **payload.model_dump())
    return Status(201, _officer_out(request, officer))


class CertificateIn(InputSchema):
    number: str
    issuing_authority: str
    valid_from: date
    valid_to: date


@router.post(
    "/officers/{officer_id}/certificates",
    response={201: CertificateOut},
    summary="Issue a certificate (supervisors and administrators)",
)
def issue_certificate(
    request: HttpRequest, officer_id: Id, payload: CertificateIn
) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_CERTIFICATES)
    officer = get_scoped_or_404(request.user, officers_queryset(request.user), pk=officer_id)
    certificate = services.issue_certificate(officer, actor=request.user, **payload.model_dump())
    return Status(201, _certificate_out(certificate))


class CertificateStatusIn(InputSchema):
    status: CertificateStatus
    reason: str
    effective_on: date


class StatusChangeOut(Schema):
    status: str
    reason: str
    effective_on: date


class CertificateDetailOut(CertificateOut):
    officer_id: int
    history: list[StatusChangeOut]


def _certificate_detail(c: Certificate) -> dict[str, object]:
    out = _certificate_out(c)
    out["officer_id"] = c.officer_id
    out["history"] = [
        {"status": h.status, "reason": h.reason, "effective_on": h.effective_on}
        for h in c.history.all()
    ]
    return out


@router.get(
    "/certificates/{certificate_id}",
    response=CertificateDetailOut,
    summary="One certificate with its status history",
)
def get_certificate(request: HttpRequest, certificate_id: Id) -> dict[str, object]:
    certificate = get_scoped_or_404(
        request.user,
        certificates_queryset(request.user).prefetch_related("history"),
        organ_field="officer__organ",
        pk=certificate_id,
    )
    return _certificate_detail(certificate)


@router.post(
    "/certificates/{certificate_id}/status",
    response=CertificateDetailOut,
    summary="Suspend, reinstate or revoke a certificate (supervisors and administrators)",
)
def change_certificate_status(
    request: HttpRequest, certificate_id: Id, payload: CertificateStatusIn
) -> dict[str, object]:
    require_role(request.user, *MANAGE_CERTIFICATES)
    certificate = get_scoped_or_404(
        request.user,
        certificates_queryset(request.user),
        organ_field="officer__organ",
        pk=certificate_id,
    )
    services.change_certificate_status(
        certificate,
        status=payload.status.value,
        reason=payload.reason,
        effective_on=payload.effective_on,
        actor=request.user,
    )
    fresh = Certificate.objects.prefetch_related("history").get(pk=certificate.pk)
    return _certificate_detail(fresh)


# --- entrustments ----------------------------------------------------------------------


class EntrustmentOut(Schema):
    id: int
    entrusting_organ_id: int
    entrusting_organ_name: str
    entrusted_id: int
    entrusted_name: str
    power_item_codes: list[str]
    matters: str
    valid_from: date
    valid_to: date
    instrument_number: str
    has_instrument: bool
    published: bool
    published_on: date | None
    filed_on: date | None
    filing_number: str
    status: str


def _entrustment_out(e: Entrustment) -> dict[str, object]:
    return {
        "id": e.pk,
        "entrusting_organ_id": e.entrusting_organ_id,
        "entrusting_organ_name": e.entrusting_organ.name,
        "entrusted_id": e.entrusted_id,
        "entrusted_name": e.entrusted.name,
        "power_item_codes": [p.code for p in e.power_items.all()],
        "matters": e.matters,
        "valid_from": e.valid_from,
        "valid_to": e.valid_to,
        "instrument_number": e.instrument_number,
        "has_instrument": bool(e.instrument),
        "published": e.published,
        "published_on": e.published_on,
        "filed_on": e.filed_on,
        "filing_number": e.filing_number,
        "status": e.status,
    }


@router.get(
    "/entrustments",
    response=list[EntrustmentOut],
    summary="Entrustments your organs give or receive",
)
@paginate(BoundedLimitOffset)
def list_entrustments(
    request: HttpRequest, filters: Query[EntrustmentFilter]
) -> list[dict[str, object]]:
    entrustments = filters.filter(entrustments_queryset(request.user)).prefetch_related(
        "power_items"
    )
    return Paged(entrustments, _entrustment_out)  # type: ignore[return-value]


@router.get("/entrustments/{entrustment_id}", response=EntrustmentOut, summary="One entrustment")
def get_entrustment(request: HttpRequest, entrustment_id: Id) -> dict[str, object]:
    from django.http import Http404

    entrustment = (
        entrustments_queryset(request.user)
        .prefetch_related("power_items")
        .filter(pk=entrustment_id)
        .first()
    )
    if entrustment is None:
        raise Http404
    return _entrustment_out(entrustment)


@router.post(
    "/entrustments",
    response={201: EntrustmentOut, **error_responses(404)},
    summary="Record an entrustment with its written instrument (multipart form)",
)
def create_entrustment(
    request: HttpRequest,
    entrusting_organ_id: Form[Id],
    entrusted_id: Form[Id],
    valid_from: Form[date],
    valid_to: Form[date],
    instrument: File[UploadedFile],
    power_item_ids: Form[list[Id]] = [],  # noqa: B006 (ninja reads the default)
    matters: Form[str] = "",
    instrument_number: Form[str] = "",
    published: Form[bool] = False,
    published_on: Form[date | None] = None,
    filed_on: Form[date | None] = None,
    filing_number: Form[str] = "",
) -> Status[dict[str, object]]:
    require_role(request.user, *MANAGE_ENTRUSTMENTS)
    # Form[Text] loses the default in django-ninja: the texts are checked here.
    bad = [
        {"loc": ("form", name), "msg": problem, "type": "bad_text"}
        for name, value in (
            ("matters", matters),
            ("instrument_number", instrument_number),
            ("filing_number", filing_number),
        )
        if (problem := text_problem(value))
    ]
    if bad:
        raise NinjaValidationError(bad)
    entrusting = get_scoped_or_404(
        request.user, visible_organs(request.user), organ_field="", pk=entrusting_organ_id
    )
    # The entrusted organisation must be in the user's scope or be registered under
    # the entrusting organ; anything else is "not found", revealing nothing.
    entrusted = (
        EnforcementSubject.objects.filter(pk=entrusted_id)
        .filter(Q(pk__in=visible_organs(request.user)) | Q(parent=entrusting))
        .first()
    )
    if entrusted is None:
        from django.http import Http404

        raise Http404
    # Only the entrusting organ's own items; any other id is unknown, whoever owns it.
    # The catalogue's power items, through the relation (the registry imports no
    # catalogue module, docs/adr/0010-app-layers.md).
    power_items = Entrustment._meta.get_field("power_items").related_model._default_manager
    items = list(power_items.filter(subject=entrusting, pk__in=power_item_ids))
    if len(items) != len(set(power_item_ids)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"power_item_ids": "Unknown power item id."})
    entrustment = services.create_entrustment(
        actor=request.user,
        entrusting_organ=entrusting,
        entrusted=entrusted,
        power_items=items,
        valid_from=valid_from,
        valid_to=valid_to,
        instrument=instrument,
        matters=matters,
        instrument_number=instrument_number,
        published=published,
        published_on=published_on,
        filed_on=filed_on,
        filing_number=filing_number,
    )
    return Status(201, _entrustment_out(entrustment))


__all__ = ["Region", "router"]

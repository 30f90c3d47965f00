import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.core.api import api, error_body
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import get_scoped_or_404, require_role, scoped
from zhifa.core.validation import Id, Text

from . import evidence_files
from .domain import shown_payload, visible_entries, withheld_keys
from .export import object_entries
from .filters import EntryFilter
from .models import Entry, Evidence
from .presentation import action_label, actor_name
from .services import EVIDENCE_ROLES, ObjectRef, add_evidence, check_attachable
from .views import BROWSE_ROLES, OBJECT_TYPE_RE, READ_ROLES

router = Router(tags=["records"])


class EntryOut(Schema):
    organ_id: int
    organ_name: str
    seq: int
    recorded_at: dt.datetime
    actor_username: str | None
    actor_name: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    payload: dict[str, Any] = Field(
        description="What the entry recorded, without the keys in `withheld`."
    )
    withheld: list[str] = Field(
        description="Payload keys withheld from you (confidential to some users of the "
        "scope: a complaint's filer part is read only by its assigned staff and the "
        "supervisor, COMPLAINT-confidential). The entry hash still covers them."
    )
    entry_hash: str

    # Resolvers let the paginator slice the queryset in the database.
    @staticmethod
    def resolve_organ_name(obj: Entry) -> str:
        return obj.organ.name

    @staticmethod
    def resolve_actor_username(obj: Entry) -> str | None:
        return obj.actor_label if obj.actor_id else None

    @staticmethod
    def resolve_actor_name(obj: Entry) -> str:
        return actor_name(obj)

    @staticmethod
    def resolve_action_label(obj: Entry) -> str:
        return action_label(obj.action)

    @staticmethod
    def resolve_payload(obj: Entry) -> Any:
        return shown_payload(json.loads(obj.payload), getattr(obj, "withheld", ()))

    @staticmethod
    def resolve_withheld(obj: Entry) -> list[str]:
        withheld = getattr(obj, "withheld", ())
        return sorted(k for k in withheld if k in json.loads(obj.payload)) if withheld else []


def _with_withheld(user: Any) -> Callable[[list[Entry]], list[Entry]]:
    """Marks each entry of a page with the payload keys ``user`` may not read (one
    query per confidential type on the page)."""

    def mark(entries: list[Entry]) -> list[Entry]:
        found = withheld_keys(user, entries)
        for entry in entries:
            entry.withheld = found.get(entry.pk, ())  # type: ignore[attr-defined]
        return entries

    return mark


class EvidenceOut(Schema):
    id: int
    organ_id: int
    kind: str
    title: str
    object_type: str
    object_id: str
    original_name: str
    content_type: str
    size: int
    sm3: str
    sha256: str
    collected_by: list[str]
    collected_at: dt.datetime
    location: str
    device_id: str
    duration_seconds: int | None
    download_url: str

    @staticmethod
    def resolve_collected_by(obj: Evidence) -> list[str]:
        return [u.username for u in obj.collected_by.all()]

    @staticmethod
    def resolve_download_url(obj: Evidence) -> str:
        return reverse("records:evidence_file", args=[obj.pk])


class EvidenceIn(InputSchema):
    kind: str
    title: str
    collected_by: list[str]
    collected_at: dt.datetime
    location: str
    device_id: str = ""
    duration_seconds: int | None = None
    object_type: str = ""
    object_id: str = ""
    name: str | None = None


@router.get("/records/entries", response=list[EntryOut], summary="Record entries in your scope")
@paginate(BoundedLimitOffset)
def list_entries(request: HttpRequest, filters: Query[EntryFilter]) -> Any:
    require_role(request.user, *BROWSE_ROLES)  # type: ignore[arg-type]
    entries = visible_entries(
        request.user, filters.filter(scoped(request.user, Entry.objects.all(), "organ"))
    )
    entries = entries.select_related("organ", "actor").order_by("-recorded_at", "-pk")
    return Paged(entries, convert_page=_with_withheld(request.user))


@router.get(
    "/records/objects/{object_type}/{object_id}/entries",
    response=list[EntryOut],
    summary="The timeline of one object",
)
@paginate(BoundedLimitOffset)
def object_timeline(request: HttpRequest, object_type: str, object_id: str) -> Any:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    if not OBJECT_TYPE_RE.match(object_type):
        raise Http404
    entries = object_entries(request.user, object_type, object_id)
    entries = entries.select_related("organ", "actor").order_by("recorded_at", "organ_id", "seq")
    return Paged(entries, convert_page=_with_withheld(request.user))


@router.get("/records/evidence", response=list[EvidenceOut], summary="Evidence in your scope")
@paginate(BoundedLimitOffset)
def list_evidence(
    request: HttpRequest, object_type: Text = "", object_id: Text = ""
) -> QuerySet[Evidence]:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    items = scoped(request.user, Evidence.objects.all(), "organ").prefetch_related("collected_by")
    if object_type:
        items = items.filter(object_type=object_type, object_id=object_id)
    return items


@router.get("/records/evidence/{evidence_id}", response=EvidenceOut, summary="One evidence item")
def get_evidence(request: HttpRequest, evidence_id: Id) -> Evidence:
    require_role(request.user, *READ_ROLES)  # type: ignore[arg-type]
    return get_scoped_or_404(request.user, Evidence.objects.all(), "organ", pk=evidence_id)


def size_limited(
    path: str = "body.file", limit: Callable[[], int | None] = lambda: None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator (``decorate_view``) for a multipart operation: installs the size
    limit (``limit()`` bytes; the largest evidence limit when it gives None) before
    ninja reads the body, and refuses an oversized file with the one error shape,
    naming ``path``. Used by every API operation that takes files."""

    def decorate(run: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            bytes_ = limit()
            evidence_files.install_size_limit(request, bytes_)
            request.FILES  # noqa: B018 - parse now, with the limit in place
            if getattr(request, "evidence_upload_too_large", False):
                body = error_body(
                    400,
                    "invalid",
                    _("The request is not valid."),
                    [{"path": path, "message": evidence_files.too_large_message(bytes_)}],
                )
                return api.create_response(request, body, status=400)
            return run(request, *args, **kwargs)

        return wrapper

    return decorate


@decorate_view(size_limited())
@router.post(
    "/records/evidence",
    response={201: EvidenceOut},
    summary="Upload an evidence file (multipart); type detected from content",
)
def upload_evidence(
    request: HttpRequest, data: Form[EvidenceIn], file: File[UploadedFile]
) -> Status[Evidence]:
    user = request.user
    require_role(user, *EVIDENCE_ROLES)  # type: ignore[arg-type]
    collectors = list(
        get_user_model().objects.filter(
            username__in=data.collected_by,
            organ_id=user.organ_id,  # type: ignore[union-attr]
            is_active=True,
        )
    )
    if not data.collected_by or len(collectors) != len(set(data.collected_by)):
        raise ValidationError(
            {"collected_by": [_("Every collecting officer must be an active user of your organ.")]}
        )
    obj = None
    if data.object_type or data.object_id:
        if not OBJECT_TYPE_RE.match(data.object_type) or not data.object_id:
            raise ValidationError(
                {"object_type": [_("Give both object_type (app.model) and object_id, or neither.")]}
            )
        obj = ObjectRef(data.object_type, data.object_id)
        check_attachable(user, obj)
    collected_at = data.collected_at
    if timezone.is_naive(collected_at):
        collected_at = timezone.make_aware(collected_at)
    evidence = add_evidence(
        actor=user,
        upload=file,
        original_name=data.name if data.name is not None else (file.name or ""),
        kind=data.kind,
        title=data.title,
        collected_by=collectors,
        collected_at=collected_at,
        location=data.location,
        device_id=data.device_id,
        duration_seconds=data.duration_seconds,
        obj=obj,
    )
    return Status(201, evidence)

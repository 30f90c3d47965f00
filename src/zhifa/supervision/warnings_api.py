"""The warnings API (SUP-warning, issue #17): the warnings of your scope, as the page
``/supervision/warnings/`` lists them — the same scope (a supervisor's region, an organ
head's organ, an officer's own), the same filters (level, organ, rule) and the same
engine. Paginated (``limit``/``offset``); errors in the one shape (400 naming the
parameter, 401 without a session or token, 403 for a role that sees no warnings or an
organ outside your scope, naming `query.organ`).

Order: the warnings of the warning models that are not a case's (complaints not
acknowledged, certificates, entrustments, power lists, the reviewer ratio,
publications, supervision notices owing a reply; red first, then by due day) come
first, then the cases' (red first, then by due day and case) — those in one query per
page, whatever their number."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhifa.cases.models import AuditItem
from zhifa.core.api import ForbiddenField
from zhifa.core.paging import BoundedLimitOffset, Paged
from zhifa.core.schemas import InputSchema
from zhifa.core.scope import visible_organs
from zhifa.core.validation import DB_MAX_ID

from . import notices, organ_warnings, warnings
from .warnings import ComplaintWarning

router = Router(tags=["supervision"])


class WarningFilter(InputSchema):
    level: Literal["red", "yellow"] | None = Field(None, description="red or yellow.")
    organ: int | None = Field(None, ge=1, le=DB_MAX_ID, description="The organ's id.")
    rule: str | None = Field(
        None,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="A rule ID, such as APL-60-decision-deadline.",
    )


class WarningOut(Schema):
    model: str = Field(
        description="The warning model (GET /public/warning-models/ on the portal lists "
        "them): case_deadline, case_finding, complaint_ack, certificate, entrustment, "
        "power_list, reviewer_ratio, court_appearance, publication or notice."
    )
    level: str = Field(description="red or yellow.")
    rule: str = Field(description="The catalogue rule the warning names.")
    citation: str
    organ_id: int
    organ_name: str
    due: dt.date | None = Field(description="The due day (none for the reviewer ratio).")
    case: int | None = Field(description="The case, for a case's warning.")
    case_number: str
    complaint: int | None = Field(description="The complaint, for a complaint's warning.")
    notice: int | None = Field(
        None, description="The supervision notice, for a notice's warning (SUP-notice)."
    )
    officers: list[str] = Field(
        description="The case's investigators, or the officer whose certificate it is."
    )
    subject: str = Field(
        description="What it concerns: the certificate's number, the entrusted "
        "organisation, the power item, the case number of a publication, the reviewers "
        "over the officers, the complaint's number, the notice's number."
    )
    message_zh: str
    message_en: str
    unscheduled_years: list[int] = Field(
        description="Years the due day was counted through without a holiday schedule."
    )


def _case_out(rows: list[AuditItem]) -> list[dict[str, Any]]:
    return [
        {
            "model": "case_finding" if item.kind == "finding" else "case_deadline",
            "level": item.level,  # type: ignore[attr-defined]
            "rule": item.rule,
            "citation": item.citation,
            "organ_id": item.case.organ_id,
            "organ_name": item.case.organ.name,
            "due": item.due,
            "case": item.case_id,
            "case_number": item.case.number,
            "complaint": None,
            "officers": warnings.officer_names(item.case),
            "subject": item.case.number,
            "message_zh": item.message_zh,
            "message_en": item.message_en,
            "unscheduled_years": list(item.unscheduled_years or ()),
        }
        for item in rows
    ]


def _clock_out(w: ComplaintWarning) -> dict[str, Any]:
    return {
        "model": "complaint_ack",
        "level": w.level,
        "rule": w.rule,
        "citation": w.citation,
        "organ_id": w.clock.organ_id,
        "organ_name": w.clock.organ_name,
        "due": w.clock.due,
        "case": None,
        "case_number": "",
        "complaint": w.clock.pk,
        "officers": [],
        "subject": w.clock.number,
        "message_zh": "",
        "message_en": "",
        "unscheduled_years": [],
    }


def _notice_out(w: notices.NoticeWarning) -> dict[str, Any]:
    return {
        "model": "notice",
        "level": w.level,
        "rule": w.rule,
        "citation": w.citation,
        "organ_id": w.organ_id,
        "organ_name": w.organ_name,
        "due": w.due,
        "case": None,
        "case_number": "",
        "complaint": None,
        "notice": w.pk,
        "officers": [],
        "subject": w.number,
        "message_zh": "",
        "message_en": "",
        "unscheduled_years": [],
    }


def _other_out(w: organ_warnings.OrganWarning) -> dict[str, Any]:
    return {
        "model": w.model,
        "level": w.level,
        "rule": w.rule,
        "citation": w.citation,
        "organ_id": w.organ_id,
        "organ_name": w.organ_name,
        "due": w.due,
        "case": None,
        "case_number": w.subject if w.model == "publication" else "",
        "complaint": None,
        "officers": [w.officer] if w.officer else [],
        "subject": w.subject,
        "message_zh": "",
        "message_en": "",
        "unscheduled_years": [],
    }


class Chained:
    """The warnings held in memory (``head``, already converted) followed by the cases'
    (``tail``, converted for the page served): what ``@paginate`` slices and counts."""

    def __init__(self, head: list[dict[str, Any]], tail: Paged) -> None:
        self.head = head
        self.tail = tail

    def all(self) -> "Chained":
        return self

    def count(self) -> int:
        return len(self.head) + self.tail.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        start = key.start or 0
        stop = key.stop
        page = self.head[start:stop]
        n = len(self.head)
        if stop is None or stop > n:
            page += self.tail[max(start - n, 0) : None if stop is None else stop - n]
        return page


def _level_key(row: dict[str, Any]) -> tuple[int, dt.date]:
    return (warnings.LEVELS.index(row["level"]), row["due"] or dt.date.max)


@router.get(
    "/supervision/warnings",
    response=list[WarningOut],
    summary="The warnings of your scope (SUP-warning and the warning models)",
    description=(
        "The warnings of every source the page `/supervision/warnings/` lists "
        "(`supervision.warnings.gather`). **403** `forbidden` — your role sees no "
        "warnings, or `organ` names an organ outside your scope (`errors` names "
        "`query.organ`)."
    ),
)
@paginate(BoundedLimitOffset)
def list_warnings(request: HttpRequest, filters: Query[WarningFilter]) -> Any:
    user: Any = request.user
    if user.role not in warnings.ROLES and not user.is_superuser:
        raise PermissionDenied(_("Warnings are for supervisors, organ heads and officers."))
    organ = filters.organ
    if organ is not None and not visible_organs(user).filter(pk=organ).exists():
        raise ForbiddenField(
            "query.organ", _("organ: the organ is not in your scope; choose one of the list.")
        )
    found = warnings.gather(
        user, timezone.localdate(), level=filters.level or "", organ=organ, rule=filters.rule or ""
    )
    head = (
        [_clock_out(c) for c in found.clocks]
        + [_other_out(w) for w in found.others]
        + [_notice_out(w) for w in found.notices]
    )
    head.sort(key=_level_key)
    return Chained(head, Paged(warnings.listed(found.cases), convert_page=_case_out))

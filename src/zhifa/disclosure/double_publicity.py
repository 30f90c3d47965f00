"""双公示 export (issue #15 item 5, DISC-double-publicity): the published penalty
decisions of an organ or a region, in the credit platform's 行政处罚 layout (the
engine's ``double_publicity.COLUMNS``), as rows checked item by item, then written as
CSV (UTF-8 with BOM, so that Excel opens it) or XLSX (every cell text: codes and
amounts stay exactly as written).

What goes in a row is what the public portal shows (the published, redacted summary:
DISC-redaction), the amounts of the decision in 万元, and the organ's name and credit
code. An individual's name is masked and the ID-number items are left empty: the
credit platform publishes what it receives (docs/disclosure.md). Each row's text items
are checked again for personal information; a row that leaks, or whose value is too
long for its item, fails, naming the item — it is never truncated.

``record_export`` is the one state change: the publications delivered get their first
and last delivery days, each with its record entry (``disclosure.export``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from zhifa.accounts.models import ORGAN_ROLES, Role
from zhifa.core.scope import scoped
from zhifa.records.services import append_entry
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import double_publicity as layout
from zhifa.rules.engine.parameters import Parameters
from zhifa.rules.engine.publication import redaction_leaks

from . import redaction
from .models import Publication, PublicationStatus
from .services import TASK

if TYPE_CHECKING:
    from zhifa.accounts.models import User

EXPORT = "disclosure.export"
RULE = layout.RULE
FORMATS = ("csv", "xlsx")
#: Who exports: the organ's users (their organ) and supervisors (their region).
EXPORT_ROLES = frozenset({*ORGAN_ROLES, Role.SUPERVISOR, Role.ADMINISTRATOR})
#: The 备注 of an individual's row: why the name is masked and the ID items are empty.
INDIVIDUAL_NOTE = "自然人姓名已隐去、证件号码依法不予公开（DISC-redaction）"
#: The text items checked again for personal information (the codes and amounts are
#: not free text; the organisation's own name and credit code are allowed).
CHECKED_TEXT = ("CF_XDR_MC", "CF_WFXW", "CF_SY", "CF_YJ", "CF_NR", "CF_NR_ZKDX", "BZ")


@dataclass
class Row:
    publication_id: int
    document_number: str
    values: dict[str, str]
    problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- scope ------------------------------------------------------------------------------------


def may_export(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or getattr(user, "role", None) in EXPORT_ROLES)
    )


def in_scope(
    user: Any, *, organ_id: int | None = None, region_code: str = ""
) -> QuerySet[Publication]:
    """The publications ``user`` may export, narrowed to ``organ_id`` or the region
    ``region_code`` (and the regions under it). An organ or a region outside the user's
    scope is a 404 (its existence is not revealed)."""
    found = scoped(user, Publication.objects.all())
    if organ_id is not None:
        organ = scoped(user, EnforcementSubject.objects.all(), organ_field="").filter(pk=organ_id)
        if not organ.exists():
            raise Http404
        found = found.filter(organ_id=organ_id)
    if region_code:
        region = Region.objects.filter(code=region_code).first() if region_code.isdigit() else None
        if region is None:
            raise Http404
        if not _region_visible(user, region):
            raise Http404
        found = found.filter(organ__region__path__startswith=region.path)
    return found


def _region_visible(user: Any, region: Region) -> bool:
    from zhifa.core.scope import visible_regions

    return visible_regions(user).filter(pk=region.pk).exists()


def exportable(
    user: Any,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    organ_id: int | None = None,
    region_code: str = "",
) -> QuerySet[Publication]:
    """The published decisions of the user's scope decided in the range, oldest first
    (withdrawn and taken-down ones are not delivered)."""
    found = in_scope(user, organ_id=organ_id, region_code=region_code).filter(
        status=PublicationStatus.PUBLISHED
    )
    if date_from is not None:
        found = found.filter(decided_on__gte=date_from)
    if date_to is not None:
        found = found.filter(decided_on__lte=date_to)
    return (
        found.select_related("organ", "case", "decision")
        .defer("document_pdf")
        .order_by("decided_on", "pk")
    )


# --- rows -------------------------------------------------------------------------------------


def _amount(penalties: Iterable[dict[str, Any]], types: frozenset[str]) -> str:
    total = None
    for penalty in penalties:
        if penalty.get("type") in types and penalty.get("amount") is not None:
            total = (total or 0) + layout.wan(penalty["amount"])
    return layout.format_amount(total)


def _permits(penalties: Iterable[dict[str, Any]]) -> str:
    """暂扣或吊销证照名称及编号: the permit a suspension or revocation names, when the
    decision records it (its name and number)."""
    found = []
    for penalty in penalties:
        if penalty.get("type") in ("suspend_permit", "revoke_permit"):
            text = " ".join(
                str(penalty.get(k) or "").strip() for k in ("permit", "permit_number")
            ).strip()
            if text:
                found.append(text)
    return "；".join(found)


def row_values(publication: Publication) -> dict[str, str]:
    """The layout's items of a published decision, from its published summary (what the
    portal shows), its decision's penalties and its organ."""
    summary = publication.summary or {}
    case = publication.case
    organ = publication.organ
    penalties = [p for p in (publication.decision.data or {}).get("penalties") or [] if p]
    individual = case.party_type != "organisation"
    categories = []
    for penalty in penalties:
        name = layout.CATEGORY_OF_PENALTY.get(str(penalty.get("type")), "其他")
        if name not in categories:
            categories.append(name)
    values = {
        "CF_XDR_MC": str(summary.get("party", "")),
        "CF_XDR_LB": layout.CATEGORY_INDIVIDUAL if individual else layout.CATEGORY_ORGANISATION,
        "CF_XDR_SHXYM": "" if individual else str(summary.get("party_uscc", "")),
        "CF_WSH": str(summary.get("number", "")),
        "CF_WFXW": str(summary.get("violation", "")),
        "CF_SY": str(summary.get("facts", "")),
        "CF_YJ": str(summary.get("basis", "")),
        "CF_CFLB": ";".join(categories),
        "CF_NR": str(summary.get("penalty", "")),
        "CF_NR_FK": _amount(penalties, layout.FINE_TYPES),
        "CF_NR_WFFF": _amount(penalties, layout.CONFISCATION_TYPES),
        "CF_NR_ZKDX": _permits(penalties),
        "CF_JDRQ": layout.format_date(publication.decided_on),
        "CF_GSJZQ": layout.format_date(publication.takedown_on),
        "CF_CFJG": str(summary.get("organ", "") or organ.name),
        "CF_CFJGDM": organ.uscc,
        "CF_SJLY": organ.name,
        "CF_SJLYDM": organ.uscc,
        "BZ": INDIVIDUAL_NOTE if individual else "",
    }
    return {key: values.get(key, "") for key in layout.COLUMN_KEYS}


def build_row(publication: Publication) -> Row:
    """One row, checked: each item against its length (the engine's ``check_row``) and
    the text items against DISC-redaction."""
    values = row_values(publication)
    problems = [
        {"field": p.key, "title": p.title, "kind": p.kind, "message": _text(p.message)}
        for p in layout.check_row(values)
    ]
    facts = redaction.decision_facts(publication.case, publication.decision)
    for leak in redaction_leaks({k: values[k] for k in CHECKED_TEXT}, facts):
        problems.append(
            {
                "field": leak.field,
                "title": layout.BY_KEY[leak.field].title,
                "kind": leak.kind,
                "message": _text(leak.message),
            }
        )
    return Row(publication.pk, str(values["CF_WSH"]), values, problems)


def build_rows(publications: Iterable[Publication]) -> list[Row]:
    return [build_row(p) for p in publications]


def _text(message: Any) -> str:
    from django.utils.translation import get_language

    return str(message.en if (get_language() or "").startswith("en") else message.zh)


# --- files ------------------------------------------------------------------------------------


def header() -> list[str]:
    return [c.title for c in layout.COLUMNS]


def to_csv(rows: Iterable[Row]) -> bytes:
    """CSV, UTF-8 with a BOM (Excel reads it as UTF-8), the layout's titles as header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows:
        writer.writerow([row.values[k] for k in layout.COLUMN_KEYS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[Row]) -> bytes:
    """XLSX, one sheet 行政处罚, every cell text (a credit code, a date or an amount is
    kept exactly as the layout writes it)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政处罚"
    sheet.append(header())
    for index, row in enumerate(rows, start=2):
        for col, key in enumerate(layout.COLUMN_KEYS, start=1):
            cell = sheet.cell(row=index, column=col)
            cell.value = row.values[key]
            cell.data_type = TYPE_STRING
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(rows: list[Row], fmt: str) -> tuple[bytes, str, str]:
    """The file of ``rows`` (the passing ones only) in ``fmt``: its bytes, content type
    and extension."""
    passing = [r for r in rows if r.ok]
    if fmt == "xlsx":
        return (
            to_xlsx(passing),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    return to_csv(passing), "text/csv; charset=utf-8", "csv"


# --- the 7-working-day clock ------------------------------------------------------------------


def export_due(publication: Publication) -> dt.date:
    """DISC-double-publicity: the last day to deliver ``publication``'s decision."""
    params = Parameters(publication.case.settings or {})
    return layout.export_due(database_calendar(), publication.decided_on, params).due


def overdue(
    publications: Iterable[Publication], today: dt.date
) -> list[tuple[Publication, dt.date]]:
    """The published decisions not yet delivered whose delivery day has passed, each
    with its due day."""
    late = []
    for publication in publications:
        if publication.first_exported_on is not None:
            continue
        due = export_due(publication)
        if due < today:
            late.append((publication, due))
    return late


# --- the state change -------------------------------------------------------------------------


def record_export(rows: Iterable[Row], *, actor: User | None, on: dt.date, fmt: str) -> list[int]:
    """The rows delivered (the passing ones): each publication's first delivery day
    (kept once set) and last delivery day, with its record entry, in one transaction.
    Returns the publications recorded."""
    ids = [r.publication_id for r in rows if r.ok]
    with transaction.atomic():
        for publication in (
            Publication.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        ):
            first = publication.first_exported_on is None
            if first:
                publication.first_exported_on = on
            publication.last_exported_on = on
            publication.save(update_fields=["first_exported_on", "last_exported_on", "updated_at"])
            due = export_due(publication)
            append_entry(
                actor=actor,
                organ=publication.organ_id,
                action=EXPORT,
                obj=publication,
                payload={
                    "case": publication.case_id,
                    "on": on,
                    "format": fmt,
                    "first": first,
                    "first_exported_on": publication.first_exported_on,
                    "due_on": due,
                    "on_time": (publication.first_exported_on or on) <= due,
                    "rule": layout.RULE,
                },
                system_task=None if actor is not None else TASK,
            )
    return ids

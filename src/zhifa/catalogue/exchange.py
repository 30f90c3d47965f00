"""Import and export of power lists, discretion benchmarks and officers (Excel and CSV),
and the JSON export of an organ's whole catalogue.

An import applies whole or changes nothing: every row goes through the same service
functions as the pages, inside one transaction; any error in any row rolls the whole
transaction back and is reported with its row number, column and what is wrong.

File columns have fixed Chinese headers (the file format, not UI text); the English
key is accepted as a header too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhifa.registry import services as registry_services
from zhifa.registry.models import (
    Certificate,
    EnforcementSubject,
    Officer,
    OfficerKind,
)
from zhifa.registry.tabular import RowError, TableError, read_table, write_table
from zhifa.registry.validators import normalise_id_number

from . import services
from .models import (
    Article,
    Circumstance,
    DiscretionBenchmark,
    PowerCategory,
    PowerItem,
)

KINDS = ("power_items", "benchmarks", "officers")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False


POWER_ITEM_COLUMNS = [
    Column("code", "编码", True),
    Column("name", "名称", True),
    Column("category", "类别", True),
    Column("basis", "法律依据", False),
    Column("responsibilities", "责任事项", False),
    Column("valid_from", "生效日期", True),
    Column("valid_to", "失效日期", False),
    Column("published", "已公布", False),
    Column("published_on", "公布日期", False),
]
BENCHMARK_COLUMNS = [
    Column("power_item", "权力事项编码", True),
    Column("violation", "违法行为", True),
    Column("penalty_article", "处罚依据", False),
    Column("statutory_range", "法定处罚幅度", True),
    Column("statutory_min", "法定罚款下限", False),
    Column("statutory_max", "法定罚款上限", False),
    Column("description", "说明", False),
    Column("valid_from", "生效日期", True),
    Column("valid_to", "失效日期", False),
    Column("published", "已公布", False),
    Column("published_on", "公布日期", False),
    Column("circumstance", "裁量情形", True),
    Column("conditions", "适用条件", True),
    Column("penalty", "处罚内容", False),
    Column("fine_min", "罚款下限", False),
    Column("fine_max", "罚款上限", False),
]
OFFICER_COLUMNS = [
    Column("name", "姓名", True),
    Column("id_number", "身份证号码", True),
    Column("kind", "人员类别", False),
    Column("post", "职务", False),
    Column("enforcement_fields", "执法领域", False),
    Column("legal_qualification", "法律职业资格", False),
    Column("legal_qualification_number", "法律职业资格证书编号", False),
    Column("certificate_number", "执法证号", False),
    Column("issuing_authority", "发证机关", False),
    Column("certificate_valid_from", "执法证有效期起", False),
    Column("certificate_valid_to", "执法证有效期止", False),
]
COLUMNS = {
    "power_items": POWER_ITEM_COLUMNS,
    "benchmarks": BENCHMARK_COLUMNS,
    "officers": OFFICER_COLUMNS,
}


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "applied": self.ok,
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }


class _Rollback(Exception):
    pass


# --- cell parsers (raise ValueError with the message to report) ------------------------

TRUE = {"是", "y", "yes", "true", "1", "已公布", "有"}
FALSE = {"否", "n", "no", "false", "0", "未公布", "无", ""}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(_("Write 是 or 否."))


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    normalised = text.replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", normalised)
    match = match or re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if not match:
        raise ValueError(_("Write the date as YYYY-MM-DD."))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueError(_("No such date.")) from exc


def parse_decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("Write a number (yuan).")) from exc
    if value < 0 or not value.is_finite():
        raise ValueError(_("Write a number (yuan) not below zero."))
    return value


def _choice(choices: Any, text: str) -> str:
    """A choice by its value or its label (in the current language or in Chinese)."""
    text = text.strip()
    for value, label in choices.choices:
        with translation.override("zh-hans"):
            chinese = str(label)
        if text in (value, str(label), chinese):
            return str(value)
    raise ValueError(
        _("Unknown value %(v)s; use one of: %(choices)s")
        % {"v": text, "choices": "、".join(str(label) for _v, label in choices.choices)}
    )


CITATION_RE = re.compile(r"《([^》]+)》\s*((?:第[^条]+条\s*)+)")


def parse_articles(text: str) -> list[Article]:
    """Articles cited as 《法律全称》第一百二十四条第二百零一条; several separated by ；"""
    articles: list[Article] = []
    text = text.strip()
    if not text:
        return articles
    for part in re.split(r"[；;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = CITATION_RE.fullmatch(part)
        if not match:
            raise ValueError(
                _("Cite as 《law name》第…条, several separated by ；: %(p)s") % {"p": part}
            )
        law_name = match[1]
        for number in re.findall(r"第[^条]+条", match[2]):
            found = (
                Article.objects.select_related("law")
                .filter(law__name=law_name, number=number)
                .first()
            )
            if found is None:
                raise ValueError(
                    _("The catalogue has no article %(a)s of 《%(law)s》.")
                    % {"a": number, "law": law_name}
                )
            articles.append(found)
    return articles


# --- reading ---------------------------------------------------------------------------


def _header_map(kind: str, header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    columns = COLUMNS[kind]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for position, name in enumerate(header):
        name = name.strip()
        for column in columns:
            if name in (column.header, column.key):
                index[column.key] = position
    for column in columns:
        if column.required and column.key not in index:
            errors.append(RowError(1, column.header, _("This required column is missing.")))
    return index, errors


class RowReader:
    """Reads one row's cells and collects every problem with its column header."""

    def __init__(self, kind: str, number: int, cells: list[str], index: dict[str, int]):
        self.kind, self.number, self.cells, self.index = kind, number, cells, index
        self.headers = {c.key: c.header for c in COLUMNS[kind]}
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        position = self.index.get(key)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def get(
        self, key: str, parser: Callable[[str], Any] | None = None, required: bool = False
    ) -> Any:
        text = self.text(key)
        if required and not text:
            self.error(key, _("This cell is required."))
            return None
        if parser is None:
            return text
        try:
            return parser(text)
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(key, key), message))

    def validation_error(self, exc: ValidationError, field_to_key: dict[str, str]) -> None:
        if hasattr(exc, "error_dict"):
            for field_name, messages in exc.message_dict.items():
                key = field_to_key.get(field_name, field_name)
                for message in messages:
                    self.error(key if key in self.headers else "", message)
        else:
            for message in exc.messages:
                self.error("", message)


def import_table(
    kind: str, file: IO[bytes], filename: str, organ: EnforcementSubject, user: Any
) -> ImportResult:
    """Import a file of ``kind`` into ``organ``'s catalogue or registry: whole or not at
    all."""
    if kind not in KINDS:
        raise ValueError(kind)
    result = ImportResult(kind=kind)
    try:
        header, rows = read_table(file, filename)
    except TableError as exc:
        result.errors = exc.errors
        return result
    index, header_errors = _header_map(kind, header)
    if header_errors:
        result.errors = header_errors
        return result
    importer = {
        "power_items": _import_power_items,
        "benchmarks": _import_benchmarks,
        "officers": _import_officers,
    }[kind]
    try:
        with transaction.atomic():
            importer(rows, index, organ, user, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


def _apply(reader: RowReader, action: Callable[[], Any], fields: dict[str, str]) -> Any:
    """Run a service in a savepoint, so that later rows are still checked after an
    error (the whole import is rolled back at the end all the same)."""
    try:
        with transaction.atomic():
            return action()
    except ValidationError as exc:
        reader.validation_error(exc, fields)
        return None


def _import_power_items(
    rows: list[tuple[int, list[str]]],
    index: dict[str, int],
    organ: EnforcementSubject,
    user: Any,
    result: ImportResult,
) -> None:
    seen: dict[str, int] = {}
    existing = {p.code: p for p in PowerItem.objects.filter(subject=organ)}
    for number, cells in rows:
        r = RowReader("power_items", number, cells, index)
        code = r.get("code", required=True)
        if code and code in seen:
            r.error("code", _("The code repeats row %(n)d.") % {"n": seen[code]})
        seen.setdefault(code, number)
        fields = {
            "code": code,
            "name": r.get("name", required=True),
            "category": r.get("category", lambda t: _choice(PowerCategory, t), required=True),
            "responsibilities": r.get("responsibilities"),
            "valid_from": r.get("valid_from", parse_date, required=True),
            "valid_to": r.get("valid_to", parse_date),
            "published": r.get("published", parse_bool),
            "published_on": r.get("published_on", parse_date),
        }
        basis = r.get("basis", parse_articles)
        if not r.errors:
            item = existing.get(code)
            saved = _apply(
                r,
                lambda item=item, fields=fields, basis=basis: services.save_power_item(
                    item, actor=user, subject=organ, basis=basis, **fields
                ),
                {},
            )
            if saved is not None:
                if item is None:
                    result.created += 1
                else:
                    result.updated += 1
        result.errors.extend(r.errors)


BAND_KEYS = ("circumstance", "conditions", "penalty", "fine_min", "fine_max")


def _import_benchmarks(
    rows: list[tuple[int, list[str]]],
    index: dict[str, int],
    organ: EnforcementSubject,
    user: Any,
    result: ImportResult,
) -> None:
    items = {p.code: p for p in PowerItem.objects.filter(subject=organ)}
    groups: dict[tuple[str, str, str], list[tuple[RowReader, dict[str, Any]]]] = {}
    heads: dict[tuple[str, str, str], dict[str, Any]] = {}
    for number, cells in rows:
        r = RowReader("benchmarks", number, cells, index)
        code = r.get("power_item", required=True)
        if code and code not in items:
            r.error("power_item", _("No power item with this code on the organ's list."))
        band = {
            "circumstance": r.get(
                "circumstance", lambda t: _choice(Circumstance, t), required=True
            ),
            "conditions": r.get("conditions", required=True),
            "penalty": r.get("penalty"),
            "fine_min": r.get("fine_min", parse_decimal),
            "fine_max": r.get("fine_max", parse_decimal),
        }
        key = (code, r.text("violation"), r.text("valid_from"))
        if key not in heads:
            articles = r.get("penalty_article", parse_articles) or []
            if len(articles) > 1:
                r.error("penalty_article", _("Cite one article."))
            heads[key] = {
                "violation": r.get("violation", required=True),
                "penalty_article": articles[0] if articles else None,
                "statutory_range": r.get("statutory_range", required=True),
                "statutory_min": r.get("statutory_min", parse_decimal),
                "statutory_max": r.get("statutory_max", parse_decimal),
                "description": r.get("description"),
                "valid_from": r.get("valid_from", parse_date, required=True),
                "valid_to": r.get("valid_to", parse_date),
                "published": r.get("published", parse_bool),
                "published_on": r.get("published_on", parse_date),
            }
        groups.setdefault(key, []).append((r, band))
    for key, members in groups.items():
        readers = [r for r, _band in members]
        if any(r.errors for r in readers):
            for r in readers:
                result.errors.extend(r.errors)
            continue
        head = heads[key]
        item = items[key[0]]
        benchmark = DiscretionBenchmark.objects.filter(
            power_item=item, violation=head["violation"], valid_from=head["valid_from"]
        ).first()
        try:
            with transaction.atomic():
                services.save_benchmark(
                    benchmark,
                    actor=user,
                    power_item=item,
                    bands_data=[band for _r, band in members],
                    **head,
                )
        except ValidationError as exc:
            first = readers[0]
            for field_name, messages in exc.message_dict.items():
                match = re.fullmatch(r"bands\.(\d+)(?:\.(\w+))?", field_name)
                if match:
                    target = readers[int(match[1])]
                    column = match[2] or "circumstance"
                else:
                    target, column = first, field_name
                for message in messages:
                    target.error(column if column in target.headers else "", message)
            for r in readers:
                result.errors.extend(r.errors)
            continue
        if benchmark is None:
            result.created += 1
        else:
            result.updated += 1


def _import_officers(
    rows: list[tuple[int, list[str]]],
    index: dict[str, int],
    organ: EnforcementSubject,
    user: Any,
    result: ImportResult,
) -> None:
    may_certify = bool(
        getattr(user, "is_superuser", False)
        or getattr(user, "role", None) in ("supervisor", "administrator")
    )
    seen_ids: dict[str, int] = {}
    for number, cells in rows:
        r = RowReader("officers", number, cells, index)
        id_number = normalise_id_number(r.get("id_number", required=True) or "")
        if id_number and id_number in seen_ids:
            r.error("id_number", _("The ID number repeats row %(n)d.") % {"n": seen_ids[id_number]})
        seen_ids.setdefault(id_number, number)
        fields = {
            "name": r.get("name", required=True),
            "id_number": id_number,
            "kind": r.get("kind", lambda t: _choice(OfficerKind, t) if t else OfficerKind.OFFICER),
            "post": r.get("post"),
            "enforcement_fields": r.get("enforcement_fields"),
            "legal_qualification": r.get("legal_qualification", parse_bool),
            "legal_qualification_number": r.get("legal_qualification_number"),
        }
        certificate = {
            "number": r.get("certificate_number"),
            "issuing_authority": r.get("issuing_authority"),
            "valid_from": r.get("certificate_valid_from", parse_date),
            "valid_to": r.get("certificate_valid_to", parse_date),
        }
        officer = Officer.objects.filter(id_number=id_number).first() if id_number else None
        if officer is not None and officer.organ_id != organ.pk:
            r.error("id_number", _("This person is registered with another organ."))
        wants_certificate = any(certificate.values())
        existing_certificate = None
        if wants_certificate:
            existing_certificate = Certificate.objects.filter(number=certificate["number"]).first()
            if existing_certificate is not None:
                if officer is None or existing_certificate.officer_id != officer.pk:
                    r.error("certificate_number", _("This certificate number is already taken."))
            elif not may_certify:
                r.error(
                    "certificate_number",
                    _("Only a supervisor or administrator may record a new certificate."),
                )
            else:
                for key, column in (
                    ("number", "certificate_number"),
                    ("issuing_authority", "issuing_authority"),
                    ("valid_from", "certificate_valid_from"),
                    ("valid_to", "certificate_valid_to"),
                ):
                    if not certificate[key]:
                        r.error(column, _("A new certificate needs this cell."))
        if not r.errors:
            saved = _apply(
                r,
                lambda officer=officer, fields=fields: registry_services.save_officer(
                    officer, actor=user, organ=organ, **fields
                ),
                {},
            )
            if saved is not None and wants_certificate and existing_certificate is None:
                _apply(
                    r,
                    lambda saved=saved, certificate=certificate: (
                        registry_services.issue_certificate(saved, actor=user, **certificate)
                    ),
                    {
                        "number": "certificate_number",
                        "valid_from": "certificate_valid_from",
                        "valid_to": "certificate_valid_to",
                        "officer": "kind",
                    },
                )
            if saved is not None and not r.errors:
                if officer is None:
                    result.created += 1
                else:
                    result.updated += 1
        result.errors.extend(r.errors)


# --- export ----------------------------------------------------------------------------


def _citations(articles: Any) -> str:
    by_law: dict[str, list[str]] = {}
    for article in articles:
        by_law.setdefault(article.law.name, []).append(article.number)
    return "；".join(f"《{law}》{''.join(numbers)}" for law, numbers in by_law.items())


def export_rows(kind: str, organs: Any, user: Any) -> tuple[list[str], list[list[Any]]]:
    headers = [c.header for c in COLUMNS[kind]]
    rows: list[list[Any]] = []
    if kind == "power_items":
        items = (
            PowerItem.objects.filter(subject__in=organs)
            .prefetch_related("basis__law")
            .order_by("subject__name", "code")
        )
        for p in items:
            rows.append(
                [
                    p.code,
                    p.name,
                    p.get_category_display(),
                    _citations(p.basis.all()),
                    p.responsibilities,
                    p.valid_from,
                    p.valid_to,
                    p.published,
                    p.published_on,
                ]
            )
    elif kind == "benchmarks":
        benchmarks = (
            DiscretionBenchmark.objects.filter(power_item__subject__in=organs)
            .select_related("power_item", "penalty_article__law")
            .prefetch_related("bands")
            .order_by("power_item__code", "violation", "valid_from")
        )
        for b in benchmarks:
            for band in b.bands.all():
                rows.append(
                    [
                        b.power_item.code,
                        b.violation,
                        _citations([b.penalty_article]) if b.penalty_article else "",
                        b.statutory_range,
                        b.statutory_min,
                        b.statutory_max,
                        b.description,
                        b.valid_from,
                        b.valid_to,
                        b.published,
                        b.published_on,
                        band.get_circumstance_display(),
                        band.conditions,
                        band.penalty,
                        band.fine_min,
                        band.fine_max,
                    ]
                )
    elif kind == "officers":
        officers = (
            Officer.objects.filter(organ__in=organs)
            .select_related("organ")
            .prefetch_related("certificates")
            .order_by("organ__name", "name")
        )
        own_organ = getattr(user, "organ_id", None)
        for o in officers:
            # The ID number leaves the organ never: other users get the column empty.
            id_number = o.id_number if own_organ and own_organ == o.organ_id else ""
            certificates = list(o.certificates.all()) or [None]
            for c in certificates:
                rows.append(
                    [
                        o.name,
                        id_number,
                        o.get_kind_display(),
                        o.post,
                        o.enforcement_fields,
                        o.legal_qualification,
                        o.legal_qualification_number,
                        c.number if c else "",
                        c.issuing_authority if c else "",
                        c.valid_from if c else None,
                        c.valid_to if c else None,
                    ]
                )
    else:
        raise ValueError(kind)
    return headers, rows


def export_table(kind: str, fmt: str, organs: Any, user: Any) -> bytes:
    headers, rows = export_rows(kind, organs, user)
    return write_table(fmt, headers, rows)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def catalogue_json(organ: EnforcementSubject) -> dict[str, Any]:
    """The whole catalogue of an organ: power items with their basis (and the article
    text in force today), open update warnings, benchmarks with bands, and the review
    catalogue."""
    today = timezone.localdate()
    items = (
        services.with_open_warnings(PowerItem.objects.filter(subject=organ))
        .prefetch_related("basis__law", "basis__versions", "benchmarks__bands")
        .select_related()
        .order_by("code")
    )
    benchmarks_articles = {
        b.pk: b
        for b in DiscretionBenchmark.objects.filter(power_item__subject=organ).select_related(
            "penalty_article__law"
        )
    }
    out_items = []
    for p in items:
        out_items.append(
            {
                "code": p.code,
                "name": p.name,
                "category": p.category,
                "responsibilities": p.responsibilities,
                "valid_from": p.valid_from.isoformat(),
                "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                "published": p.published,
                "published_on": p.published_on.isoformat() if p.published_on else None,
                "basis": [
                    {
                        "law": a.law.name,
                        "level": a.law.level,
                        "article": a.number,
                        "repealed_on": a.repealed_on.isoformat() if a.repealed_on else None,
                        "text": (v.text if (v := a.version_on(today)) else None),
                    }
                    for a in p.basis.all()
                ],
                "update_warnings": [
                    {"deadline": w.deadline.isoformat(), "rule": "JL-power-list-update"}
                    for w in p.open_warnings_list  # type: ignore[attr-defined]
                ],
                "benchmarks": [
                    {
                        "violation": b.violation,
                        "penalty_article": (
                            str(benchmarks_articles[b.pk].penalty_article)
                            if benchmarks_articles[b.pk].penalty_article
                            else None
                        ),
                        "statutory_range": b.statutory_range,
                        "statutory_min": _decimal(b.statutory_min),
                        "statutory_max": _decimal(b.statutory_max),
                        "description": b.description,
                        "valid_from": b.valid_from.isoformat(),
                        "valid_to": b.valid_to.isoformat() if b.valid_to else None,
                        "published": b.published,
                        "bands": [
                            {
                                "circumstance": band.circumstance,
                                "conditions": band.conditions,
                                "penalty": band.penalty,
                                "fine_min": _decimal(band.fine_min),
                                "fine_max": _decimal(band.fine_max),
                            }
                            for band in b.bands.all()
                        ],
                    }
                    for b in p.benchmarks.all()
                ],
            }
        )
    review = [
        {
            "title": e.title,
            "criteria": e.criteria,
            "category": e.category,
            "basis": e.basis,
            "power_items": [p.code for p in e.power_items.all()],
            "valid_from": e.valid_from.isoformat(),
            "valid_to": e.valid_to.isoformat() if e.valid_to else None,
            "published": e.published,
        }
        for e in organ.review_catalogue.prefetch_related("power_items")
    ]
    return {
        "organ": {
            "id": organ.pk,
            "name": organ.name,
            "subject_type": organ.subject_type,
            "region_code": organ.region.code,
            "uscc": organ.uscc,
        },
        "exported_at": timezone.now().isoformat(),
        "power_items": out_items,
        "review_catalogue": review,
    }

"""Bulk audit (issue #17, item 7): a supervisor uploads a zip (or several JSON files) of
case files exported by another system; the rules engine audits every file in the
background (``supervision.tasks.run_bulk_audit``) and the report shows each file's
findings and deadlines and the aggregate, on screen and as Excel.

The same engine, calendar and rendered document as ``zhifa audit``, the audit page and
``POST /api/v1/audit``: the law stays in ``rules.engine``. The archive is never
extracted to disk: a member's name is only shown, whatever path it holds.

Limits (settings, with clear messages): the upload's size, the number of case files,
a member's size uncompressed and its compression ratio (a zip bomb is refused before it
is read, and a member is never read past the size limit whatever its header claims).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhifa.core.roles import Role
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import InvalidCaseFile, audit, limits, load_case_file, render

from .models import BulkAudit, BulkAuditFile, BulkAuditStatus

log = logging.getLogger(__name__)

#: Who may upload and see bulk audits.
ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)

#: A running bulk audit without progress for this long has stopped (its worker died);
#: its page offers to resume it. An audit of one file takes well under a second.
STOPPED = dt.timedelta(minutes=10)
#: A queued one waiting this long: the page says the worker may not be running.
SLOW_QUEUE = dt.timedelta(minutes=2)
#: An archive may hold this many members per case file allowed (folders, other files).
MEMBERS_PER_FILE = 4
#: At most this many errors are kept per file (a file can be wrong everywhere).
MAX_ERRORS_PER_FILE = 50


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    files: int
    member_bytes: int
    ratio: int
    waiting: int


def current_limits() -> Limits:
    return Limits(
        upload_bytes=int(getattr(settings, "ZHIFA_BULK_AUDIT_MAX_UPLOAD_BYTES", 50 << 20)),
        files=int(getattr(settings, "ZHIFA_BULK_AUDIT_MAX_FILES", 1000)),
        member_bytes=int(getattr(settings, "ZHIFA_BULK_AUDIT_MAX_FILE_BYTES", limits.MAX_BYTES)),
        ratio=int(getattr(settings, "ZHIFA_BULK_AUDIT_MAX_RATIO", 200)),
        waiting=int(getattr(settings, "ZHIFA_BULK_AUDIT_MAX_WAITING", 2)),
    )


def _mb(size: int) -> str:
    """A size for a message: ``50 MB``, ``2.9 MB``, ``196 KB``."""
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f}".removesuffix(".0") + " MB"
    return f"{-(-size // 1024)} KB"


class UploadRefused(ValueError):
    """The upload as a whole cannot be audited; ``str()`` is the message for the field."""


# --- who sees what ----------------------------------------------------------------


def may_use(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) in ROLES)
    )


def visible(user: Any) -> QuerySet[BulkAudit]:
    """The bulk audits ``user`` may see: their own, and those uploaded in their region's
    subtree (a supervisor's or an administrator's); every one for a superuser and an
    administrator without a region; none for anybody else."""
    audits = BulkAudit.objects.select_related("uploaded_by", "region")
    if not may_use(user):
        return audits.none()
    if user.is_superuser or (user.role == Role.ADMINISTRATOR and user.region_id is None):
        return audits
    allowed = Q(uploaded_by=user.pk)
    if user.region_id is not None:
        allowed |= Q(region__path__startswith=user.region.path)
    return audits.filter(allowed)


def get_visible_or_404(user: Any, pk: int) -> BulkAudit:
    found = visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- the archive --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    index: int
    name: str
    info: zipfile.ZipInfo


def _display_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its system wrote it: UTF-8 when flagged, else the bytes
    re-read as UTF-8 or GBK (Chinese Windows archives), control characters dropped."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gbk"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    return name[:500] or "?"


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def plan(archive: zipfile.ZipFile) -> tuple[list[Member], list[dict[str, str]]]:
    """The members to audit (``.json`` files, in the archive's order, indexed by their
    place in it) and those skipped, each with its reason (an English msgid, translated
    on display). Folders inside the archive are read through (their names are only
    shown); directories themselves are ignored."""
    members: list[Member] = []
    skipped: list[dict[str, str]] = []
    for index, info in enumerate(archive.infolist()):
        if info.is_dir():
            continue
        name = _display_name(info)
        base = PurePosixPath(name.replace("\\", "/")).name
        if _unsafe(name):
            skipped.append(
                {"name": name, "reason": gettext_noop("absolute or parent path: ignored")}
            )
        elif name.startswith("__MACOSX/") or base.startswith("."):
            skipped.append({"name": name, "reason": gettext_noop("system file: ignored")})
        elif not base.lower().endswith(".json"):
            skipped.append({"name": name, "reason": gettext_noop("not a .json file")})
        else:
            members.append(Member(index, name, info))
    return members, skipped


def declared_members(handle: IO[bytes]) -> int | None:
    """How many members the archive's end record declares (zip64 too), read before the
    central directory is parsed: an archive of a million tiny members is refused without
    building a million entries. ``None``: no end record (not a zip)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - (22 + 65535 + 56 + 20)))
    tail = handle.read()
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    if count == 0xFFFF:
        at64 = tail.rfind(b"PK\x06\x06", 0, at)
        if at64 >= 0 and at64 + 40 <= len(tail):
            count = int.from_bytes(tail[at64 + 32 : at64 + 40], "little")
    return count


def check_archive(handle: IO[bytes], size: int, lim: Limits) -> list[dict[str, str]]:
    """Refuse (``UploadRefused``) an upload too large, not a zip, or with too many case
    files; return the members skipped."""
    if size > lim.upload_bytes:
        raise UploadRefused(
            _("The upload is larger than %(limit)s (it has %(size)s).")
            % {"limit": _mb(lim.upload_bytes), "size": _mb(size)}
        )
    declared = declared_members(handle)
    if declared is not None and declared > lim.files * MEMBERS_PER_FILE:
        raise UploadRefused(
            _("The archive has %(n)d members: at most %(limit)d (with folders and other files).")
            % {"n": declared, "limit": lim.files * MEMBERS_PER_FILE}
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            members, skipped = plan(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UploadRefused(_("The file is not a readable zip archive.")) from exc
    if not members:
        raise UploadRefused(_("The archive holds no .json case file."))
    if len(members) > lim.files:
        raise UploadRefused(
            _("The upload holds %(n)d case files: at most %(limit)d may be audited at once.")
            % {"n": len(members), "limit": lim.files}
        )
    return skipped


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    """Several uploaded JSON files as one archive (the form's "folder"): names made
    unique, nothing else changed."""
    out = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            count = seen.get(name, 0)
            seen[name] = count + 1
            stem, dot, extension = name.rpartition(".")
            unique = name if count == 0 else f"{stem} ({count + 1}){dot}{extension}"
            archive.writestr(unique, content)
    return out.getvalue()


class MemberProblem(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.msgid = message
        self.params = params


def read_member(archive: zipfile.ZipFile, member: Member, lim: Limits) -> bytes:
    info = member.info
    if info.flag_bits & 0x1:
        raise MemberProblem(gettext_noop("The file is encrypted in the archive."))
    if info.file_size > lim.member_bytes:
        raise MemberProblem(
            gettext_noop("The file is %(size)s uncompressed: at most %(limit)s per case file."),
            size=_mb(info.file_size),
            limit=_mb(lim.member_bytes),
        )
    if info.file_size > info.compress_size * lim.ratio:
        raise MemberProblem(
            gettext_noop(
                "The file is compressed more than %(ratio)d to 1 (a zip bomb?): not read."
            ),
            ratio=lim.ratio,
        )
    try:
        with archive.open(info) as handle:
            content = handle.read(lim.member_bytes + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError) as exc:
        raise MemberProblem(gettext_noop("The file cannot be read from the archive.")) from exc
    if len(content) > lim.member_bytes:  # its header understated its size
        raise MemberProblem(
            gettext_noop(
                "The file is larger uncompressed than its archive says: at most %(limit)s."
            ),
            limit=_mb(lim.member_bytes),
        )
    return content


# --- upload ---------------------------------------------------------------------------


def create(user: Any, name: str, content: bytes, as_of: dt.date | None, lang: str) -> BulkAudit:
    """Store the archive, record the bulk audit and queue its task, in one transaction
    (the task table is in the same database: both or neither). Raises
    ``UploadRefused``."""
    from .tasks import run_bulk_audit

    lim = current_limits()
    waiting = BulkAudit.objects.filter(
        uploaded_by=user.pk, status__in=(BulkAuditStatus.QUEUED, BulkAuditStatus.RUNNING)
    ).count()
    if waiting >= lim.waiting:
        raise UploadRefused(
            _("You already have %(n)d bulk audits waiting: upload this one when they are done.")
            % {"n": waiting}
        )
    skipped = check_archive(io.BytesIO(content), len(content), lim)
    bulk = BulkAudit(
        uploaded_by=user,
        region_id=getattr(user, "region_id", None),
        name=name[:255],
        as_of=as_of,
        upload_day=timezone.localdate(),
        lang=lang,
        skipped=skipped,
    )
    with transaction.atomic():
        bulk.upload.save("upload.zip", ContentFile(content), save=False)
        try:
            bulk.save()
            run_bulk_audit.enqueue(bulk.pk)
        except BaseException:
            bulk.upload.delete(save=False)
            raise
    return bulk


def resume(bulk: BulkAudit) -> None:
    """Queue a failed or stopped bulk audit again: its task continues where it stopped
    (the files already audited are kept)."""
    from .tasks import run_bulk_audit

    with transaction.atomic():
        BulkAudit.objects.filter(pk=bulk.pk).update(
            status=BulkAuditStatus.QUEUED, error="", updated_at=timezone.now()
        )
        run_bulk_audit.enqueue(bulk.pk)


def stopped(bulk: BulkAudit) -> bool:
    return bulk.status == BulkAuditStatus.RUNNING and timezone.now() - bulk.updated_at > STOPPED


# --- the run ----------------------------------------------------------------------------


def _texts(msgid: str, params: dict[str, Any]) -> dict[str, str]:
    with translation.override("en"):
        en = _(msgid) % params if params else _(msgid)
    with translation.override("zh-hans"):
        zh = _(msgid) % params if params else _(msgid)
    return {"message": en, "zh": zh}


def audit_member(
    bulk: BulkAudit, archive: zipfile.ZipFile, member: Member, lim: Limits
) -> BulkAuditFile:
    """The engine's audit of one member (not saved): its findings document, or why it
    could not be audited. Never raises for a bad file."""
    row = BulkAuditFile(bulk=bulk, index=member.index, name=member.name)
    try:
        content = read_member(archive, member, lim)
    except MemberProblem as problem:
        row.errors = [{"path": "", **_texts(problem.msgid, problem.params)}]
        return row
    try:
        case = load_case_file(content)
    except InvalidCaseFile as exc:
        row.errors = [
            {"path": e.path, "message": e.message, "zh": e.zh or e.message}
            for e in exc.errors[:MAX_ERRORS_PER_FILE]
        ]
        return row
    row.case_id = case.case_id[:255]
    day = bulk.as_of or case.as_of or bulk.upload_day
    try:
        document = json.loads(render(audit(case, day, database_calendar()), bulk.lang))
    except Exception:  # an engine fault on one file must not stop the others
        log.exception("bulk audit %s: the engine failed on %s", bulk.pk, member.name)
        row.errors = [
            {"path": "", **_texts(gettext_noop("The rules engine failed on this file."), {})}
        ]
        return row
    row.as_of = dt.date.fromisoformat(document["as_of"])
    row.findings = document["findings"]
    row.deadlines = document["deadlines"]
    row.late_fee = document["amounts"]["late_fee"]
    row.block_findings = sum(f["severity"] == "error" for f in row.findings)
    return row


def keep(row: BulkAuditFile) -> bool:
    """Write one file's result and add it to its audit's counts, in one transaction
    under the audit's row lock; ``False`` when the file was already written."""
    with transaction.atomic():
        bulk = BulkAudit.objects.select_for_update().get(pk=row.bulk_id)
        if BulkAuditFile.objects.filter(bulk=bulk, index=row.index).exists():
            return False
        row.save()
        if row.errors:
            bulk.files_failed += 1
        else:
            bulk.files_audited += 1
            bulk.findings_total += len(row.findings)
            bulk.files_with_block += row.block_findings > 0
            tally = dict(bulk.rules)
            for rule in sorted({f["rule"] for f in row.findings}):
                found = [f for f in row.findings if f["rule"] == rule]
                entry = dict(tally.get(rule) or {"findings": 0, "block": 0, "files": 0})
                entry["findings"] += len(found)
                entry["block"] += sum(f["severity"] == "error" for f in found)
                entry["files"] += 1
                entry["citation"] = found[0]["citation"]
                tally[rule] = entry
            bulk.rules = tally
        bulk.save(
            update_fields=[
                "files_audited",
                "files_failed",
                "files_with_block",
                "findings_total",
                "rules",
                "updated_at",
            ]
        )
    return True


def run(bulk_id: int) -> dict[str, Any]:
    """Audit every case file of the bulk audit not audited yet, keeping each result as
    it is produced; then mark it done. Idempotent: a run after an interruption continues
    with the files that have no result; a run of a finished audit does nothing."""
    claimed = BulkAudit.objects.filter(
        pk=bulk_id, status__in=(BulkAuditStatus.QUEUED, BulkAuditStatus.RUNNING)
    ).update(
        status=BulkAuditStatus.RUNNING,
        started_at=Coalesce("started_at", timezone.now()),
        updated_at=timezone.now(),
    )
    if not claimed:
        return {"bulk_audit": bulk_id, "status": "skipped"}
    bulk = BulkAudit.objects.get(pk=bulk_id)
    lim = current_limits()
    written = 0
    try:
        with bulk.upload.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            members, _skipped = plan(archive)
            BulkAudit.objects.filter(pk=bulk_id).update(files_total=len(members))
            done = set(bulk.files.values_list("index", flat=True))
            for member in members:
                if member.index in done:
                    continue
                written += keep(audit_member(bulk, archive, member, lim))
    except (OSError, zipfile.BadZipFile) as exc:
        log.warning("bulk audit %s: the archive cannot be read: %s", bulk_id, exc)
        BulkAudit.objects.filter(pk=bulk_id).update(
            status=BulkAuditStatus.FAILED,
            error=gettext_noop("The stored archive cannot be read."),
            finished_at=timezone.now(),
        )
        return {"bulk_audit": bulk_id, "status": "failed", "written": written}
    BulkAudit.objects.filter(pk=bulk_id).update(
        status=BulkAuditStatus.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    return {"bulk_audit": bulk_id, "status": "done", "written": written}


# --- the report ------------------------------------------------------------------------


def rule_rows(bulk: BulkAudit) -> list[dict[str, Any]]:
    """The aggregate per rule: most findings first, then rule ID."""
    rows = [{"rule": rule, **entry} for rule, entry in bulk.rules.items()]
    return sorted(rows, key=lambda r: (-r["findings"], r["rule"]))


def error_text(row: BulkAuditFile, lang: str) -> str:
    zh = lang.startswith("zh")
    return "; ".join(
        (f"{e['path']}: " if e["path"] else "") + (e["zh"] if zh else e["message"])
        for e in row.errors
    )


def deadline_counts(row: BulkAuditFile) -> dict[str, int]:
    counts = {"overdue": 0, "missed": 0, "open": 0}
    for deadline in row.deadlines:
        if deadline["status"] in counts:
            counts[deadline["status"]] += 1
    return counts


def document_of(row: BulkAuditFile) -> dict[str, Any]:
    """The file's findings document, as ``zhifa audit`` prints it."""
    return {
        "format": "zhifa-findings/1",
        "case_id": row.case_id,
        "as_of": row.as_of.isoformat() if row.as_of else None,
        "findings": row.findings,
        "deadlines": row.deadlines,
        "amounts": {"late_fee": row.late_fee},
    }


def _cell(value: Any) -> Any:
    """A value safe in a cell: no control characters (openpyxl refuses them), and text
    from another system's file never read as a formula."""
    if not isinstance(value, str):
        return value
    value = "".join(ch for ch in value if ch in "\t\n" or unicodedata.category(ch) != "Cc")
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([_cell(v) for v in values])


def workbook(bulk: BulkAudit) -> bytes:
    """The report as Excel: sheets aggregate, files, findings and deadlines."""
    from openpyxl import Workbook

    lang = translation.get_language() or "zh-hans"
    book = Workbook()
    sheet = book.active
    sheet.title = "aggregate"
    _append(sheet, [_("Bulk audit"), bulk.name])
    _append(sheet, [_("Status"), str(BulkAuditStatus(bulk.status).label)])
    _append(sheet, [_("Case files"), bulk.files_total])
    _append(sheet, [_("Files audited"), bulk.files_audited])
    _append(sheet, [_("Files with block findings"), bulk.files_with_block])
    _append(sheet, [_("Files with an error"), bulk.files_failed])
    _append(sheet, [_("Findings"), bulk.findings_total])
    _append(sheet, [_("Members skipped"), len(bulk.skipped)])
    _append(sheet, [])
    _append(sheet, [_("Rule ID"), _("Findings"), _("Block findings"), _("Files"), _("Legal basis")])
    for row in rule_rows(bulk):
        _append(sheet, [row["rule"], row["findings"], row["block"], row["files"], row["citation"]])
    if bulk.skipped:
        _append(sheet, [])
        _append(sheet, [_("Member skipped"), _("Reason")])
        for skipped in bulk.skipped:
            _append(sheet, [skipped["name"], _(skipped["reason"])])

    files = book.create_sheet("files")
    _append(
        files,
        [
            _("File"),
            _("Case ID"),
            _("Audit date"),
            _("Findings"),
            _("Block findings"),
            _("Deadlines overdue"),
            _("Deadlines missed"),
            _("Late fee"),
            _("Rules"),
            _("Error"),
        ],
    )
    findings = book.create_sheet("findings")
    _append(findings,
        [_("File"), _("Case ID"), _("Step"), _("Rule ID"), _("Severity"), _("Finding"),
         _("Legal basis")]
    )  # fmt: skip
    deadlines = book.create_sheet("deadlines")
    _append(
        deadlines,
        [_("File"), _("Case ID"), _("Rule ID"), _("From"), _("Due"), _("Status"), _("Note")],
    )
    for row in bulk.files.order_by("index").iterator():
        counts = deadline_counts(row)
        _append(
            files,
            [
                row.name,
                row.case_id,
                row.as_of.isoformat() if row.as_of else "",
                len(row.findings),
                row.block_findings,
                counts["overdue"],
                counts["missed"],
                row.late_fee,
                " ".join(sorted({f["rule"] for f in row.findings})),
                error_text(row, lang),
            ],
        )
        for f in row.findings:
            _append(findings,
                [row.name, row.case_id, f["step"], f["rule"], f["severity"], f["message"],
                 f["citation"]]
            )  # fmt: skip
        for d in row.deadlines:
            _append(
                deadlines,
                [row.name, row.case_id, d["rule"], d["from"], d["due"], d["status"], d["note"]],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

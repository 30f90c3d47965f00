"""Evidence files: streaming digests, size limits, type detection from content, and
content-addressed, never-overwritten storage through Django's storage API (storage
alias ``evidence``: the filesystem under MEDIA_ROOT by default, S3-compatible object
storage by configuration)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
HEAD_BYTES = 8192

#: Content types accepted for each kind, as detected from the file's first bytes.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "photo": frozenset(
        {
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/webp",
            "image/heic",
            "image/tiff",
            "image/bmp",
            "image/avif",
        }
    ),
    "document": frozenset(
        {
            "application/pdf",
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/rtf",
            "image/jpeg",
            "image/png",
            "image/tiff",
            "text/plain",
        }
    ),
    "audio": frozenset(
        {
            "audio/mpeg",
            "audio/mp4",
            "audio/aac",
            "audio/ogg",
            "audio/x-flac",
            "audio/x-wav",
            "audio/amr",
        }
    ),
    "video": frozenset(
        {
            "video/mp4",
            "video/quicktime",
            "video/x-msvideo",
            "video/x-matroska",
            "video/webm",
            "video/mpeg",
            "video/3gpp",
            "video/x-m4v",
        }
    ),
}

EXECUTABLE_TYPES = frozenset(
    {"application/x-executable", "application/x-msdownload", "application/wasm"}
)

DEFAULT_MAX_BYTES = {
    "photo": 30 * 1024 * 1024,
    "document": 100 * 1024 * 1024,
    "audio": 500 * 1024 * 1024,
    "video": 4 * 1024 * 1024 * 1024,
}


def kind_label(kind: str) -> str:
    from .models import EvidenceKind

    return str(EvidenceKind(kind).label)


def max_bytes(kind: str) -> int:
    limits = {**DEFAULT_MAX_BYTES, **getattr(settings, "RECORDS_EVIDENCE_MAX_BYTES", {})}
    return int(limits[kind])


def evidence_storage() -> Storage:
    return storages["evidence"]


def file_name_problem(name: str) -> str | None:
    """Why ``name`` is not acceptable as an original file name, or None. The name is
    kept for display only (storage names are digests), but a name that is a path is
    refused outright rather than silently cut."""
    if not name or not name.strip():
        return _("The file has no name.")
    if len(name) > 255:
        return _("The file name may have at most 255 characters.")
    if "/" in name or "\\" in name or ".." in name:
        return _("The file name must not contain a path (/, \\ or ..): %(name)s") % {"name": name}
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return _("The file name contains control characters.")
    return None


def _detect(head: bytes) -> tuple[str | None, str]:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime, kind.extension
    if head and b"\x00" not in head:
        try:
            # A multi-byte character may be cut at the end of the sample.
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:
                return None, ""
        return "text/plain", "txt"
    return None, ""


@dataclass
class Spooled:
    file: IO[bytes]
    size: int
    sm3: str
    sha256: str
    content_type: str
    extension: str


def _chunks(upload: Any) -> Iterator[bytes]:
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
        return
    while True:
        data = upload.read(CHUNK)
        if not data:
            return
        yield data


def spool(upload: Any, kind: str) -> contextlib.AbstractContextManager[Spooled]:
    """Copy ``upload`` to a temporary file, computing SM3, SHA-256 and size as it
    streams; refuse it (ValidationError on ``file``) when too large, empty, or of a
    type not allowed for ``kind``."""
    return spool_as(
        upload, allowed=ALLOWED_TYPES[kind], limit=max_bytes(kind), label=kind_label(kind)
    )


@contextlib.contextmanager
def spool_as(
    upload: Any,
    *,
    allowed: frozenset[str],
    limit: int,
    label: str,
    accepted: str | None = None,
) -> Iterator[Spooled]:
    """``spool`` for a file that is not an evidence kind (a signed receipt's scan): the
    content types ``allowed``, at most ``limit`` bytes; ``label`` names it in the
    messages. With ``accepted`` (the accepted types in plain words, for the public),
    a refused type is told in those words: no content type, no "evidence"."""
    sm3, sha256 = hashlib.new("sm3"), hashlib.sha256()
    size = 0
    head = b""
    with tempfile.TemporaryFile(dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)) as tmp:
        for chunk in _chunks(upload):
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    {
                        "file": [
                            _("The file is larger than the limit of %(limit)s for %(kind)s.")
                            % {"limit": filesizeformat(limit), "kind": label}
                        ]
                    }
                )
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            sm3.update(chunk)
            sha256.update(chunk)
            tmp.write(chunk)
        if size == 0:
            raise ValidationError({"file": [_("The file is empty.")]})
        content_type, extension = _detect(head)
        if accepted is not None and (content_type is None or content_type not in allowed):
            raise ValidationError(
                {
                    "file": [
                        (
                            _(
                                "The file is a program, whatever its name says, and is not "
                                "accepted. Accepted: %(accepted)s."
                            )
                            if content_type in EXECUTABLE_TYPES
                            else _(
                                "The file is not of a type accepted for %(kind)s, whatever "
                                "its name says. Accepted: %(accepted)s."
                            )
                        )
                        % {"kind": label, "accepted": accepted}
                    ]
                }
            )
        if content_type in EXECUTABLE_TYPES:
            raise ValidationError(
                {
                    "file": [
                        _(
                            "The file is an executable program (%(type)s), whatever its name "
                            "says; it is not accepted as evidence."
                        )
                        % {"type": content_type}
                    ]
                }
            )
        if content_type is None or content_type not in allowed:
            raise ValidationError(
                {
                    "file": [
                        _(
                            "The file's content (%(type)s) is not an accepted type for "
                            "%(kind)s; accepted: %(allowed)s."
                        )
                        % {
                            "type": content_type or _("unrecognised"),
                            "kind": label,
                            "allowed": ", ".join(sorted(allowed)),
                        }
                    ]
                }
            )
        tmp.seek(0)
        yield Spooled(tmp, size, sm3.hexdigest(), sha256.hexdigest(), content_type, extension)


def storage_name_for(sm3: str, extension: str) -> str:
    return f"evidence/{sm3[:2]}/{sm3[2:4]}/{sm3}.{extension}"


def store(spooled: Spooled) -> tuple[str, bool]:
    """Store the file under its digest unless an identical file is already there;
    return its storage name and whether this call stored it. Stored files are never
    overwritten."""
    storage = evidence_storage()
    name = storage_name_for(spooled.sm3, spooled.extension)
    if storage.exists(name):
        return name, False
    saved = storage.save(name, File(spooled.file, name=name))
    try:
        path = storage.path(saved)
    except NotImplementedError:  # object storage: immutability is the bucket's policy
        return saved, True
    os.chmod(path, 0o444)  # read-only on disk as well
    return saved, True


def discard(name: str) -> None:
    """Remove a file stored by an upload whose record was not written."""
    storage = evidence_storage()
    with contextlib.suppress(NotImplementedError, FileNotFoundError):
        os.chmod(storage.path(name), 0o644)
    storage.delete(name)


def digests_of_stored(name: str) -> tuple[int, str, str]:
    """Size, SM3 and SHA-256 of a stored file, read in chunks."""
    sm3, sha256 = hashlib.new("sm3"), hashlib.sha256()
    size = 0
    with evidence_storage().open(name, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            sm3.update(chunk)
            sha256.update(chunk)
    return size, sm3.hexdigest(), sha256.hexdigest()


class EvidenceSizeLimitHandler(FileUploadHandler):
    """The first upload handler of the evidence views: it skips (never writes) an
    uploaded file as soon as it passes the largest evidence size limit, so an
    oversized upload cannot fill the disk before the service refuses it. The exact
    per-kind limit is checked again while spooling."""

    def __init__(self, request: Any = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = limit if limit is not None else largest_limit()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                setattr(self.request, "evidence_upload_too_large", True)  # noqa: B010
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def largest_limit() -> int:
    """The largest size limit of the evidence kinds."""
    return max(max_bytes(kind) for kind in ALLOWED_TYPES)


def install_size_limit(request: Any, limit: int | None = None) -> None:
    """Put the size limit first (``limit`` bytes; the largest evidence limit unless
    told); call before the request body is read."""
    request.upload_handlers.insert(0, EvidenceSizeLimitHandler(request, limit))


def too_large_message(limit: int | None = None) -> str:
    return _("The file is larger than the largest accepted size (%(limit)s).") % {
        "limit": filesizeformat(limit if limit is not None else largest_limit())
    }

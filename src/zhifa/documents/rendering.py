"""Issuing a document (执法文书): the template filled (``formats``), laid out
(``layout``), the PDF stored under its SM3 digest in the evidence store and recorded in
the organ's chain, all in one transaction; a document is issued once. The case's side
(what the template is filled with, who may issue) is ``cases.documents``: this app
imports no case code (docs/adr/0010-app-layers.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhifa.records import evidence_files
from zhifa.records.services import append_entry

from . import formats, layout
from .apps import RENDER
from .models import IssuedDocument
from .services import issue_number

#: The Crockford base-32 alphabet: no I, L, O, U (no reading mistakes on paper).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12


class DocumentUnavailable(ValidationError):
    """The case has no step the document is made from (yet)."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A typed code as stored: upper case, without the dashes and spaces of print, read
    as Crockford base 32 is read (O for 0, I and L for 1); ``""`` for a text that is
    not a code (it is then looked up nowhere: PostgreSQL refuses a NUL in a query)."""
    code = "".join(c for c in text.upper() if c not in "- ").translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def public_url(code: str, base: str = "") -> str:
    """The absolute URL of a document's public page (ZHIFA_PUBLIC_BASE_URL, else the
    base URL of the request that rendered it)."""
    root = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or base or "").rstrip("/")
    return root + reverse("document_public", args=[code])


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Any) -> str:
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def citation(basis: dict[str, Any]) -> str:
    """《full law name》article: the law as the catalogue names it, in title marks."""
    law = str(basis.get("law", "")).strip()
    if law and not law.startswith("《"):
        law = f"《{law}》"
    return law + str(basis.get("article", "")).strip()


def issue_document(
    *,
    case: Any,
    step: Any,
    kind: str,
    actor: Any,
    number: str | None,
    context_for: Callable[[str, str, str], dict[str, Any]],
    base_url: str = "",
    part: int = 0,
) -> IssuedDocument:
    """The document of ``kind`` made from ``step`` of ``case`` (``part``: which of the
    step's records, for a document made per record): rendered, stored and
    recorded the first time, the same document afterwards. ``number``: the step's 文号,
    or ``None`` to issue one from the organ's sequence now; ``context_for(number, code,
    url)`` gives the template's context. Raises ``ValidationError`` (field ``kind``) when
    the text has characters the font cannot print."""
    issued = IssuedDocument.objects.filter(case=case, kind=kind, step=step, part=part)
    existing = issued.first()
    if existing is not None:
        return existing
    organ = case.organ
    with transaction.atomic():
        # Under the case's row lock, asked again: of two users issuing the document at
        # once, the second waits for the first and gets its document (one number, one
        # PDF, one entry; the unique constraint is the last guard).
        list(type(case)._default_manager.select_for_update().filter(pk=case.pk).values("pk"))
        existing = issued.first()
        if existing is not None:
            return existing
        if number is None:
            number = issue_number(organ, kind, step.on.year).text
        code = new_code()
        url = public_url(code, base_url)
        wording, label = formats.wording_for(kind, organ.region.code, step.on)
        context = context_for(number, code, url)
        blocks = formats.fill(kind, wording, context)
        title = next((b.text for b in blocks if b.style == "title" and b.text != organ.name), "")
        try:
            pdf = layout.build_pdf(
                layout.Document(blocks, title=title, subject=number, keywords=(code,))
            )
        except layout.MissingGlyphs as exc:
            raise unprintable(exc.characters, context) from exc
        stored = _store(pdf)
        document = IssuedDocument.objects.create(
            organ=organ,
            case=case,
            step=step,
            kind=kind,
            part=part,
            number=number,
            organ_name=organ.name,
            code=code,
            issued_on=step.on,
            template=label,
            size=len(pdf),
            sm3=stored.sm3,
            sha256=stored.sha256,
            storage_name=stored.storage_name,
            created_by=actor,
        )
        append_entry(
            actor=actor,
            organ=organ.pk,
            action=RENDER,
            obj=case,
            payload={
                "document": document.pk,
                "organ": organ.pk,
                "step": step.pk,
                "kind": kind,
                **({"part": part} if part else {}),
                "number": number,
                "organ_name": organ.name,
                "code": code,
                "issued_on": step.on,
                "template": label,
                "size": len(pdf),
                "sm3": stored.sm3,
                "sha256": stored.sha256,
                "storage_name": stored.storage_name,
            },
        )
    return document


@dataclass(frozen=True)
class Rendered:
    """A document rendered without a case (``render_document``): the PDF as stored."""

    pdf: bytes
    template: str
    size: int
    sm3: str
    sha256: str
    storage_name: str


def render_document(
    kind: str, region_code: str, on: dt.date, context: dict[str, Any], *, subject: str = ""
) -> Rendered:
    """A document that is not a case's (a template registered with
    ``formats.register_format``): filled with ``context``, with the wording of
    ``region_code`` in force ``on``, laid out and stored under its SM3 digest like an
    issued document. The caller keeps the digests on its row and records them in its
    entry (``records verify`` re-hashes the file when its action is registered with
    ``register_file_action``). Raises ``ValidationError`` (field ``kind``) when the text
    has characters the font cannot print."""
    wording, label = formats.wording_for(kind, region_code, on)
    blocks = formats.fill(kind, wording, context)
    title = next((b.text for b in blocks if b.style == "title"), "")
    try:
        pdf = layout.build_pdf(layout.Document(blocks, title=title, subject=subject))
    except layout.MissingGlyphs as exc:
        raise unprintable(exc.characters, context) from exc
    stored = _store(pdf)
    return Rendered(pdf, label, len(pdf), stored.sm3, stored.sha256, stored.storage_name)


def open_stored_pdf(storage_name: str, sm3: str) -> bytes | None:
    """A stored PDF by its storage name, ``None`` when missing or not the file whose SM3
    digest is ``sm3`` (never served then)."""
    try:
        with evidence_files.evidence_storage().open(storage_name, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError:
        return None
    return data if data and sm3_of(data) == sm3 else None


def unprintable(characters: str, context: Any) -> ValidationError:
    """The error of a document holding ``characters`` the font lacks (field ``kind``):
    the characters by their code points (an invisible one has no other name) and where
    the case holds them (``party.name``, ``content.facts``…), or the template's wording
    when no field does. Nothing was written: the number, the file and the entry are the
    transaction's."""
    fields = _holding(context, set(characters))
    where = "、".join(fields[:5]) if fields else _("the wording of the template")
    return ValidationError(
        {
            "kind": _(
                "The document cannot be printed: the document font lacks %(chars)s, found "
                "in %(fields)s. Correct it there, or ask the administrator to add it to the "
                "font (documents/fonts/extra-characters.txt)."
            )
            % {"chars": layout.named_characters(characters), "fields": where}
        }
    )


def _holding(value: Any, characters: set[str], path: str = "") -> list[str]:
    """The paths of the texts in ``value`` that hold one of ``characters``."""
    if isinstance(value, str):
        return [path] if characters & set(value) else []
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    found: list[str] = []
    for key, item in items:
        found += _holding(item, characters, f"{path}.{key}" if path else str(key))
    return found


class _Stored:
    def __init__(self, sm3: str, sha256: str, storage_name: str) -> None:
        self.sm3, self.sha256, self.storage_name = sm3, sha256, storage_name


def _store(pdf: bytes) -> _Stored:
    """The PDF in the evidence store, under its SM3 digest (never overwritten). A file
    stored for a transaction that then fails stays: content-addressed, harmless."""
    sm3 = hashlib.new("sm3", pdf).hexdigest()
    sha256 = hashlib.sha256(pdf).hexdigest()
    spooled = evidence_files.Spooled(
        io.BytesIO(pdf), len(pdf), sm3, sha256, "application/pdf", "pdf"
    )
    name, _new = evidence_files.store(spooled)
    return _Stored(sm3, sha256, name)


class StoredDocumentBroken(ValidationError):
    """The stored PDF of an issued document is missing, or is not the file issued (its
    SM3 digest differs from the one recorded): it is never served or filed as the
    document (``records verify`` reports it too)."""


def open_pdf(document: IssuedDocument) -> bytes:
    """The issued document's stored PDF, checked against its SM3 digest. Raises
    ``StoredDocumentBroken`` (field ``document``) when it is missing or altered."""
    try:
        with evidence_files.evidence_storage().open(document.storage_name, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError:
        data = b""
    if not data or sm3_of(data) != document.sm3:
        raise StoredDocumentBroken(
            {
                "document": _(
                    "The stored file of %(document)s (SM3 %(sm3)s) is missing or is not the "
                    "file issued: it is not served. Tell the administrator (zhifa records "
                    "verify)."
                )
                % {"document": document, "sm3": document.sm3}
            }
        )
    return data


def sm3_of(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()

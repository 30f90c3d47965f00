from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The action recording an issued document (``rendering.issue_document``).
RENDER = "document.render"

#: An issued document's fields its ``document.render`` entry records, by the entry's
#: member → the row's ``values()`` lookup. ``organ``, ``step`` and ``organ_name`` are
#: recorded since the review of issue #14; an earlier entry's row is compared on the
#: others.
DOCUMENT_FIELDS = {
    "organ": "organ_id",
    "step": "step_id",
    "kind": "kind",
    "part": "part",
    "number": "number",
    "organ_name": "organ_name",
    "code": "code",
    "issued_on": "issued_on",
    "template": "template",
    "size": "size",
    "sm3": "sm3",
    "sha256": "sha256",
    "storage_name": "storage_name",
}


def _rendered(object_id: str, body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The document an entry on its case issued: its ID and its recorded fields (a
    document of the whole step records no ``part``: 0)."""
    document = body.get("document")
    if isinstance(document, int):
        recorded = {name: body[name] for name in DOCUMENT_FIELDS if name in body}
        recorded.setdefault("part", 0)
        yield str(document), {"case": object_id, **recorded}


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from zhifa.records.domain import RecordedObject, register_recorded_object
        from zhifa.records.presentation import register_action_labels
        from zhifa.records.verification import register_file_action

        register_action_labels({RENDER: _("Document issued")})
        # ``records verify`` re-hashes each issued document's stored PDF like an
        # evidence file, and compares its row (what the public page vouches for: the
        # organ, number, day, code and digest) with its entry: a PDF altered or removed
        # on disk, a row changed or deleted behind the record, fails.
        register_file_action(RENDER)
        register_recorded_object(
            RecordedObject(
                object_type="documents.issueddocument",
                model="documents.IssuedDocument",
                noun="issued document",
                creates={},
                updates={},
                creates_on_other={RENDER: _rendered},
                fields={"case": "case_id", **DOCUMENT_FIELDS},
                title="number",
                every_row="organ_id",
            )
        )

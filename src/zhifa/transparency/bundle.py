"""The proof bundle of one entry: what ``verify_offline.py`` checks."""

from __future__ import annotations

import base64
from typing import Any

from django.db import connection

from . import checkpoints as cps
from . import log
from .models import LogEntry, SignedCheckpoint
from .sources import get_source
from .verify_offline import BUNDLE_FORMAT


def leaf_is_public(entry: LogEntry) -> bool:
    """Whether the entry's leaf may still be shown (its source decides; e.g. not after a
    withdrawal). Only the latest entry of an object is ever asked: an object's earlier
    leaves are superseded and shown by their hash only."""
    source = get_source(entry.source)
    if source is None:
        return False
    newest = log.latest_entry(entry.source, entry.object_id)
    if newest is None or newest.index != entry.index:
        return False
    return source.is_public is None or bool(source.is_public(entry.object_id))


def build_bundle(entry: LogEntry, checkpoint: SignedCheckpoint) -> dict[str, Any]:
    """The bundle proving ``entry`` is in the tree ``checkpoint`` signs."""
    proof = log.inclusion_proof(entry.index, checkpoint.size)
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "origin": cps.origin(),
        "source": entry.source,
        "object_id": entry.object_id,
        "index": entry.index,
        "tree_size": checkpoint.size,
        "leaf_hash": base64.b64encode(bytes.fromhex(entry.leaf_hash)).decode(),
        "inclusion_proof": [base64.b64encode(h).decode() for h in proof],
        "checkpoint": checkpoint.note,
        "public_key": cps.verifier_key(),
    }
    if leaf_is_public(entry):
        bundle["leaf"] = base64.b64encode(bytes(entry.leaf)).decode()
    return bundle


def proof_summary(source: str, object_id: str) -> dict[str, Any] | None:
    """What a publication page shows of its log entry (``_proof.html``): the latest
    entry's index, the size of the checkpoint covering it (None until one does), and
    the URL of the entry's page. None when the object was never logged.

    One query, read on every visit of a public decision page (``bench/portal.py``):
    the object's latest entry and the latest checkpoint's size."""
    from django.urls import reverse

    quote = connection.ops.quote_name
    entries, checkpoints = LogEntry._meta.db_table, SignedCheckpoint._meta.db_table
    with connection.cursor() as cursor:
        # Table and column names from the models; the values are parameters.
        cursor.execute(
            f"SELECT {quote('index')}, leaf_hash, (SELECT MAX(size) FROM {quote(checkpoints)}) "  # noqa: S608
            f"FROM {quote(entries)} WHERE source = %s AND object_id = %s "
            f"ORDER BY {quote('index')} DESC LIMIT 1",
            [source, object_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    index, leaf_hash, newest = row
    return {
        "index": index,
        "leaf_hash": leaf_hash,
        "checkpoint_size": newest if newest is not None and newest > index else None,
        "url": reverse("transparency:entry", args=[index]),
    }

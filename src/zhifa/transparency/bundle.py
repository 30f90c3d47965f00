"""The proof bundle of one entry: what ``verify_offline.py`` checks."""

from __future__ import annotations

import base64
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL

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
    the URL of the entry's page. None when the object was never logged."""
    entry = log.latest_entry(source, object_id)
    if entry is None:
        return None
    newest = cps.latest()
    return proof_of(entry.index, entry.leaf_hash, newest.size if newest is not None else None)


def proof_columns(source: str, object_id: str) -> dict[str, RawSQL]:
    """What ``proof_summary`` reads, as columns to annotate the query of the page's
    object with (its page in one query; ``proof_of`` makes the summary of them):
    ``proof_index`` and ``proof_leaf_hash`` of the object's latest entry,
    ``proof_checkpoint_size`` of the latest checkpoint. Plain SQL: the page is read on
    every visit, and compiling subqueries cost more than running them."""
    quote = connection.ops.quote_name
    entries = quote(LogEntry._meta.db_table)
    checkpoints = quote(SignedCheckpoint._meta.db_table)
    index = quote("index")
    # Table and column names from the models; the values are parameters.
    latest = f"FROM {entries} WHERE source = %s AND object_id = %s ORDER BY {index} DESC LIMIT 1"
    return {
        "proof_index": RawSQL(f"SELECT {index} {latest}", [source, object_id]),  # noqa: S611
        "proof_leaf_hash": RawSQL(f"SELECT leaf_hash {latest}", [source, object_id]),  # noqa: S611
        "proof_checkpoint_size": RawSQL(f"SELECT MAX(size) FROM {checkpoints}", []),  # noqa: S611, S608
    }


def proof_of(
    index: int | None, leaf_hash: str | None, checkpoint_size: int | None
) -> dict[str, Any] | None:
    """``proof_summary`` of an object's latest entry (``index`` None: never logged) and
    the size of the latest checkpoint (None: none signed yet)."""
    from django.urls import reverse

    if index is None:
        return None
    covered = checkpoint_size is not None and checkpoint_size > index
    return {
        "index": index,
        "leaf_hash": leaf_hash,
        "checkpoint_size": checkpoint_size if covered else None,
        "url": reverse("transparency:entry", args=[index]),
    }

"""Export an object's entries and evidence as a ZIP with a manifest, and check such a
ZIP offline.

``manifest.json`` holds the entries (their full content), the evidence files' digests,
and for each organ's chain the digests of every entry from the first exported one up
to the latest signed checkpoint, with that checkpoint. The checker recomputes every
exported entry, links it through those digests to the checkpoint, checks the Ed25519
signature and re-hashes every evidence file. Only the standard library, ``canonical``
and ``cryptography`` are needed, not the database.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from zhifa.core.scope import scoped

from . import evidence_files
from .canonical import (
    canonical_json,
    checkpoint_message,
    entry_content,
    format_time,
    link_hash,
    sm3_hex,
)
from .domain import shown_payload, visible_entries, withheld_keys
from .models import Checkpoint, Entry
from .signing import public_key_hex, signature_valid, signing_key

FORMAT = "zhifa-records-export/1"
MANIFEST = "manifest.json"


def object_entries(user: Any, object_type: str, object_id: str) -> QuerySet[Entry]:
    """The entries about one object that ``user`` may see (scope layer, then the
    object's own policy: ``RecordedObject.visible_to``)."""
    return visible_entries(
        user,
        scoped(
            user,
            Entry.objects.filter(object_type=object_type, object_id=object_id),
            organ_field="organ",
        ),
    ).order_by("organ_id", "seq")


def _entry_doc(entry: Entry, withheld: tuple[str, ...] = ()) -> dict[str, Any]:
    payload = json.loads(entry.payload)
    hidden = sorted(k for k in withheld if k in payload)
    doc = {
        "organ": entry.organ_id,
        "seq": entry.seq,
        "recorded_at": format_time(entry.recorded_at),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "actor_name": entry.actor.get_full_name() if entry.actor else entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "payload": shown_payload(payload, hidden),
        "prev_hash": entry.prev_hash,
        "content_digest": entry.content_digest,
        "entry_hash": entry.entry_hash,
    }
    if hidden:
        # Confidential to some users of the scope (``RecordedObject.confidential``):
        # the content digest cannot be recomputed; the entry is checked in the chain.
        doc["withheld"] = hidden
    return doc


def _digests(organ_id: int, first: int, last: int) -> Iterator[str]:
    after = first - 1
    while after < last:
        batch = list(
            Entry.objects.filter(organ_id=organ_id, seq__gt=after, seq__lte=last)
            .order_by("seq")
            .values_list("seq", "content_digest")[:5000]
        )
        if not batch:
            return
        for _seq, digest in batch:
            yield digest
        after = batch[-1][0]


def write_export(user: Any, object_type: str, object_id: str, out: IO[bytes]) -> dict[str, Any]:
    """Write the ZIP for one object to ``out``; returns the manifest."""
    entries = list(object_entries(user, object_type, object_id).select_related("actor"))
    withheld = withheld_keys(user, entries)
    by_organ: dict[int, list[Entry]] = {}
    for entry in entries:
        by_organ.setdefault(entry.organ_id, []).append(entry)
    chains = []
    for organ_id, organ_entries in by_organ.items():
        first, last = organ_entries[0], organ_entries[-1]
        cp = (
            Checkpoint.objects.filter(organ_id=organ_id, seq__gte=last.seq).order_by("-seq").first()
        )
        to_seq = cp.seq if cp else last.seq
        chains.append(
            {
                "organ": organ_id,
                "organ_name": first.organ.name,
                "from_seq": first.seq,
                "start_prev_hash": first.prev_hash,
                "to_seq": to_seq,
                # The object's entries in this range: with the attestation below, an
                # entry left out of ``entries`` is seen.
                "object_seqs": [e.seq for e in organ_entries],
                "digests": list(_digests(organ_id, first.seq, to_seq)),
                "checkpoint": (
                    {
                        "seq": cp.seq,
                        "head_hash": cp.head_hash,
                        "signed_at": format_time(cp.signed_at),
                        "algorithm": cp.algorithm,
                        "public_key": cp.public_key,
                        "signature": cp.signature,
                    }
                    if cp
                    else None
                ),
            }
        )
    evidence = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            if entry.action != "evidence.add":
                continue
            payload = json.loads(entry.payload)
            arcname = f"evidence/{payload['sm3']}.{payload['storage_name'].rsplit('.', 1)[-1]}"
            try:
                src = evidence_files.evidence_storage().open(payload["storage_name"], "rb")
            except FileNotFoundError:
                # Exported anyway: verify-export then reports the file as missing.
                src = None
            if src is not None:
                with src, archive.open(arcname, "w", force_zip64=True) as dst:
                    while chunk := src.read(evidence_files.CHUNK):
                        dst.write(chunk)
            evidence.append(
                {
                    "evidence": payload.get("evidence"),
                    "organ": entry.organ_id,
                    "seq": entry.seq,
                    "file": arcname,
                    "size": payload["size"],
                    "sm3": payload["sm3"],
                    "sha256": payload["sha256"],
                }
            )
        manifest = {
            "format": FORMAT,
            "hash": "sm3",
            "chain_rule": "digest=SM3(content); hash=SM3(prev_hash||digest)",
            "exported_at": format_time(timezone.now()),
            "exported_by": user.get_username(),
            "object": {"type": object_type, "id": object_id},
            "entries": [_entry_doc(e, withheld.get(e.pk, ())) for e in entries],
            "evidence": evidence,
            "chains": chains,
        }
        manifest["attestation"] = _attest(manifest)
        archive.writestr(MANIFEST, canonical_json(manifest).encode())
    return manifest


def _attest(manifest: dict[str, Any]) -> dict[str, str]:
    """The platform's signature (the checkpoint key) over the whole manifest: it states
    that these were all the object's entries the exporting user could see, in the
    ranges listed, when it was exported. Without it a holder could leave an entry out
    (its digest stays in the chain, but nothing says it was about the object)."""
    key = signing_key()
    return {
        "algorithm": "ed25519",
        "public_key": public_key_hex(key),
        "signature": key.sign(_attested_bytes(manifest)).hex(),
    }


def _attested_bytes(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "attestation"}
    return b"zhifa-records-export-attestation/1\n" + canonical_json(body).encode()


# --- offline check ---------------------------------------------------------------------


@dataclass
class ExportCheck:
    entries: int = 0
    evidence: int = 0
    chains: int = 0
    checkpointed: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _check_entry(doc: dict[str, Any]) -> str | None:
    if doc.get("withheld"):
        # Part of the payload is withheld from the exporter: only the link is checked
        # here; the chain of digests and the attestation vouch for the rest.
        if link_hash(doc["prev_hash"], doc["content_digest"]) != doc["entry_hash"]:
            return "hash does not match its content and link"
        return None
    content = entry_content(
        organ=doc["organ"],
        seq=doc["seq"],
        recorded_at=doc["recorded_at"],
        actor=doc["actor"],
        actor_label=doc["actor_label"],
        action=doc["action"],
        object_type=doc["object_type"],
        object_id=doc["object_id"],
        payload=canonical_json(doc["payload"]),
    )
    if sm3_hex(content) != doc["content_digest"]:
        return "content does not match its digest (edited)"
    if link_hash(doc["prev_hash"], doc["content_digest"]) != doc["entry_hash"]:
        return "hash does not match its content and link"
    return None


def verify_export(path: Any, public_key: str | None = None) -> ExportCheck:
    """Check an export ZIP offline; ``public_key`` (hex) pins the signing key."""
    result = ExportCheck()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        result.problems.append(f"not a readable ZIP file: {exc}")
        return result
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as exc:
            result.problems.append(f"{MANIFEST} is missing or not JSON: {exc}")
            return result
        except RecursionError:
            result.problems.append(f"{MANIFEST} is nested too deep to be a manifest")
            return result
        if not isinstance(manifest, dict):
            result.problems.append(f"{MANIFEST} is not a JSON object")
            return result
        if manifest.get("format") != FORMAT:
            result.problems.append(f"unknown format {manifest.get('format')!r}")
            return result
        try:
            _check_manifest(archive, manifest, public_key, result)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            result.problems.append(f"{MANIFEST} is malformed: {type(exc).__name__}: {exc}"[:500])
    return result


def _check_manifest(
    archive: zipfile.ZipFile, manifest: dict[str, Any], public_key: str | None, result: ExportCheck
) -> None:
    entries = {(e["organ"], e["seq"]): e for e in manifest["entries"]}
    result.entries = len(entries)
    for (organ, seq), doc in sorted(entries.items()):
        problem = _check_entry(doc)
        if problem:
            result.problems.append(f"organ {organ}: entry {seq}: {problem}")
        elif doc.get("withheld"):
            keys = ", ".join(str(k) for k in doc["withheld"])
            result.warnings.append(
                f"organ {organ}: entry {seq}: {keys} withheld from the exporter "
                "(confidential): its content is vouched for by the chain and the "
                "attestation, not recomputed"
            )
    covered: set[tuple[int, int]] = set()
    for chain in manifest["chains"]:
        result.chains += 1
        organ = chain["organ"]
        h = chain["start_prev_hash"]
        first = chain["from_seq"]
        broken = False
        for offset, digest in enumerate(chain["digests"]):
            seq = first + offset
            doc = entries.get((organ, seq))
            if doc is not None:
                if doc["content_digest"] != digest or doc["prev_hash"] != h:
                    result.problems.append(
                        f"organ {organ}: entry {seq} does not fit the chain of digests"
                    )
                    broken = True
                    break
                covered.add((organ, seq))
            h = link_hash(h, digest)
        if broken:
            continue
        last = first + len(chain["digests"]) - 1
        if last != chain["to_seq"]:
            result.problems.append(
                f"organ {organ}: the digests end at {last}, not {chain['to_seq']}"
            )
            continue
        cp = chain.get("checkpoint")
        if cp is None:
            result.warnings.append(
                f"organ {organ}: entries up to {last} are not yet covered by a signed checkpoint"
            )
            continue
        message = checkpoint_message(
            organ=organ, seq=cp["seq"], head_hash=cp["head_hash"], signed_at=cp["signed_at"]
        )
        if cp["seq"] != last or cp["head_hash"] != h:
            result.problems.append(
                f"organ {organ}: the chain does not lead to the signed checkpoint at {cp['seq']}"
            )
        elif not signature_valid(cp["public_key"], cp["signature"], message):
            result.problems.append(f"organ {organ}: checkpoint {cp['seq']} signature is invalid")
        elif public_key and cp["public_key"].lower() != public_key.lower():
            result.problems.append(
                f"organ {organ}: checkpoint {cp['seq']} is signed by another key "
                f"({cp['public_key']})"
            )
        else:
            result.checkpointed += 1
    for key in sorted(set(entries) - covered):
        result.problems.append(f"organ {key[0]}: entry {key[1]} is not in any exported chain")
    _check_completeness(manifest, entries, public_key, result)
    for item in manifest["evidence"]:
        result.evidence += 1
        doc = entries.get((item["organ"], item["seq"]))
        recorded = doc["payload"] if doc else {}
        expected = (recorded.get("size"), recorded.get("sm3"), recorded.get("sha256"))
        sm3, sha256, size = hashlib.new("sm3"), hashlib.sha256(), 0
        try:
            with archive.open(item["file"]) as handle:
                while chunk := handle.read(evidence_files.CHUNK):
                    size += len(chunk)
                    sm3.update(chunk)
                    sha256.update(chunk)
        except KeyError:
            result.problems.append(f"evidence file {item['file']} is missing from the ZIP")
            continue
        if (size, sm3.hexdigest(), sha256.hexdigest()) != expected:
            result.problems.append(
                f"evidence file {item['file']} does not match the digests its entry recorded"
            )


def _check_completeness(
    manifest: dict[str, Any],
    entries: dict[tuple[int, int], Any],
    public_key: str | None,
    result: ExportCheck,
) -> None:
    """Every entry the chains list as the object's is in the manifest, and the
    platform's attestation over the manifest holds (so the lists are the exporter's)."""
    for chain in manifest["chains"]:
        organ = chain["organ"]
        for seq in chain.get("object_seqs") or ():
            if (organ, seq) not in entries:
                result.problems.append(
                    f"organ {organ}: entry {seq} about the object is missing from the "
                    "manifest (left out)"
                )
    attestation = manifest.get("attestation")
    if attestation is None:
        # Refused, not warned: stripping the attestation must not be a way around it.
        result.problems.append(
            "the manifest has no attestation: that no entry was left out is not proven "
            "(removed, or exported before attestations)"
        )
        return
    key = str(attestation["public_key"])
    if not signature_valid(key, str(attestation["signature"]), _attested_bytes(manifest)):
        result.problems.append(
            "the manifest's attestation is invalid (entries, ranges or evidence were changed "
            "after the export)"
        )
        return
    known = {
        str(c["checkpoint"]["public_key"]).lower()
        for c in manifest["chains"]
        if c.get("checkpoint")
    }
    if public_key and key.lower() != public_key.lower():
        result.problems.append(f"the manifest is attested by another key ({key})")
    elif not public_key and known and key.lower() not in known:
        result.problems.append(
            f"the manifest is attested by a key ({key}) that signed none of its checkpoints"
        )
    elif not public_key and not known:
        result.warnings.append(
            "the manifest's attestation key is not pinned (no checkpoint, no --public-key)"
        )

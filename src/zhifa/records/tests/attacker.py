"""Test helper: an attacker with database access, who disables the append-only
triggers and edits rows with raw SQL."""

from __future__ import annotations

from typing import Any

from django.db import connection

from zhifa.records.canonical import entry_content, format_time, link_hash, sm3_hex
from zhifa.records.db import disable_triggers_sql
from zhifa.records.models import Entry


def raw(sql: str, params: list[Any] | tuple[Any, ...] = (), table: str = "records_entry") -> None:
    with connection.cursor() as cursor:
        for statement in disable_triggers_sql(table, connection.vendor):
            cursor.execute(statement)
        cursor.execute(sql, params)


def rehash_from(organ_id: int, seq: int, until: int | None = None) -> None:
    """Recompute digests and hashes from ``seq`` on (to ``until``), as a careful
    attacker would, and move the chain head accordingly."""
    prev = Entry.objects.get(organ_id=organ_id, seq=seq - 1).entry_hash if seq > 1 else "0" * 64
    entries = Entry.objects.filter(organ_id=organ_id, seq__gte=seq).order_by("seq")
    if until is not None:
        entries = entries.filter(seq__lte=until)
    for e in entries:
        digest = sm3_hex(
            entry_content(
                organ=organ_id,
                seq=e.seq,
                recorded_at=format_time(e.recorded_at),
                actor=e.actor_id,
                actor_label=e.actor_label,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                payload=e.payload,
            )
        )
        h = link_hash(prev, digest)
        raw(
            "UPDATE records_entry SET prev_hash=%s, content_digest=%s, entry_hash=%s WHERE id=%s",
            [prev, digest, h, e.pk],
        )
        prev = h
    if until is not None:
        return
    last = Entry.objects.filter(organ_id=organ_id).order_by("-seq").first()
    raw(
        "UPDATE records_chain SET length=%s, head_hash=%s WHERE organ_id=%s",
        [last.seq if last else 0, prev, organ_id],
    )

"""Demo record: a few entries about a demo case, a scene photo as evidence, and a
signed checkpoint, so the timeline, the supervisor's browser and the export have
something to show. Idempotent."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from io import BytesIO
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.models import User

from .models import Entry
from .services import ObjectRef, add_evidence, append_entry, create_checkpoints

DEMO_CASE = ObjectRef("cases.case", "demo-1")


def _png(width: int = 64, height: int = 48) -> bytes:
    """A small valid PNG (a grey gradient), made here so the demo ships no binary."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes((x * 4) % 256 for x in range(width)) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def load(out: TextIO) -> None:
    if Entry.objects.filter(object_type=DEMO_CASE.object_type, object_id=DEMO_CASE.object_id):
        return
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if officer is None or head is None or officer.organ is None:
        return
    now = timezone.now()
    with transaction.atomic():
        append_entry(
            actor=officer,
            organ=officer.organ,
            action="case.register",
            obj=DEMO_CASE,
            payload={"party": "嘉兴某食品有限公司", "source": "投诉举报"},
        )
        append_entry(
            actor=head,
            organ=officer.organ,
            action="case.approve_registration",
            obj=DEMO_CASE,
            payload={"opinion": "同意立案"},
        )
    colleague = User.objects.filter(username="officer2").first()
    add_evidence(
        actor=officer,
        upload=BytesIO(_png()),
        original_name="现场照片.png",
        kind="photo",
        title="现场检查照片",
        collected_by=[u for u in (officer, colleague) if u is not None],
        collected_at=now - dt.timedelta(hours=2),
        location="嘉兴市南湖区某路 1 号",
        device_id="DSJ-330400-0001",
        obj=DEMO_CASE,
    )
    create_checkpoints()
    out.write("records: demo case demo-1 with entries, a photo and a signed checkpoint\n")

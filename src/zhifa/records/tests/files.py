"""Test helper: small files whose type is recognised from their content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.core.testing import FROZEN_NOW

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def upload(content: bytes = PNG, name: str = "scene.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def evidence_kwargs(actor: Any, **overrides: Any) -> dict[str, Any]:
    """Evidence collected an hour before ``FROZEN_NOW``: a test adding it runs on the
    frozen clock (no collection time may be later than now)."""
    values: dict[str, Any] = {
        "actor": actor,
        "upload": upload(),
        "original_name": "scene.png",
        "kind": "photo",
        "title": "现场照片",
        "collected_by": [actor],
        "collected_at": FROZEN_NOW - dt.timedelta(hours=1),
        "location": "嘉兴市南湖区某路1号",
    }
    values.update(overrides)
    return values

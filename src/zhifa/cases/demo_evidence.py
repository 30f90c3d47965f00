"""Demo evidence: real files on a few demo cases, so that a new user sees photos, a
scanned record and an audio clip on the case page, and ``zhifa records verify`` (and
the tamper tests) re-hash real files.

The files are made here, with the standard library only (no binary blob in the
repository, nothing downloaded): a PNG drawn pixel by pixel (``png``), a one-page PDF
written object by object with its cross-reference table (``pdf``; the Chinese text in
the PDF's standard Chinese font STSong-Light, which every reader provides) and a WAV
written with ``wave`` (``wav``). Their bytes depend on nothing but the arguments: the
same files on every run, on any day (the PNG is stored uncompressed, zlib level 0, so
not even the zlib version changes it).

``cases.demo.build`` attaches them through ``records.services.add_evidence`` (the upload
path: digests, type detection from the content, the record entry) on the day of the
case's investigation, collected by the investigating officers, before any later step
archives the case. The cases are built once, so a second ``zhifa demo`` adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
import wave
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.records.models import Evidence
from zhifa.records.services import add_evidence

Colour = tuple[int, int, int]

# --- PNG -------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(width: int, height: int, pixel: Callable[[int, int], Colour]) -> bytes:
    """An 8-bit RGB PNG of ``pixel(x, y)``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 0))
        + _png_chunk(b"IEND", b"")
    )


def _shelf(x: int, y: int) -> Colour:
    """Goods on a shelf: three brown boards with packets in four colours on them."""
    if y % 40 >= 34:  # a board
        return (120, 78, 40)
    packet = (x // 20) % 4
    top = 10 + (x * 7 % 9)  # packets of different heights
    if y % 40 >= top and x % 20 < 16:
        return [(200, 40, 40), (240, 200, 60), (60, 140, 60), (230, 230, 220)][packet]
    return (210, 205, 195)  # the wall behind


def _storefront(x: int, y: int) -> Colour:
    """A shop front: a red sign board, a glass door and a grey pavement."""
    if y < 28:
        return (250, 240, 200) if 8 <= y < 20 and x % 14 < 9 and 20 <= x < 140 else (190, 30, 30)
    if y >= 100:
        return (150, 150, 150) if (x // 10 + y // 10) % 2 else (165, 165, 165)
    if 60 <= x < 100:
        return (120, 170, 200) if x not in (60, 79, 80, 99) else (60, 60, 60)
    return (225, 215, 190)


def photo(scene: str) -> bytes:
    """A 160 × 120 photo of ``scene`` ("shelf" or "storefront")."""
    return png(160, 120, {"shelf": _shelf, "storefront": _storefront}[scene])


# --- PDF -------------------------------------------------------------------------------


def _utf16_hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF: ``title`` and ``lines`` in STSong-Light (UniGB-UTF16-H), in a
    frame, with a red seal: a scanned record (笔录) as the demo shows it."""
    text = [f"BT /F1 18 Tf 72 760 Td {_utf16_hex(title)} Tj ET"]
    for number, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 72 {720 - 22 * number} Td {_utf16_hex(line)} Tj ET")
    seal = " ".join(
        f"{430 + 40 * math.cos(a * math.pi / 18):.2f} {160 + 40 * math.sin(a * math.pi / 18):.2f} "
        + ("m" if a == 0 else "l")
        for a in range(37)
    )
    content = "\n".join(
        [
            "0.2 G 1 w 54 54 487 734 re S",
            *text,
            f"0.8 0.1 0.1 RG 2 w {seal} S",
        ]
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


# --- WAV -------------------------------------------------------------------------------

WAV_RATE = 8000


def wav(seconds: int, tones: Sequence[int]) -> bytes:
    """A mono 16-bit 8 kHz WAV of ``seconds``: the ``tones`` (Hz) in turn, a quarter of a
    second each with a short pause, softly (a stand-in for a recorded interview)."""
    frames = bytearray()
    step = WAV_RATE // 4
    for n in range(seconds * WAV_RATE):
        tone = tones[(n // step) % len(tones)]
        sounding = n % step < step * 4 // 5
        value = round(6000 * math.sin(2 * math.pi * tone * n / WAV_RATE)) if sounding else 0
        frames += struct.pack("<h", value)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(WAV_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


# --- which cases carry which files -------------------------------------------------------


@dataclass(frozen=True)
class DemoFile:
    """One evidence file of a demo case."""

    kind: str  # records.models.EvidenceKind
    title: str
    original_name: str
    make: Callable[[], bytes]
    device_id: str = ""
    duration_seconds: int | None = None


#: The evidence of each demo case (``demo_plan.CasePlan.key``), collected on the day of
#: its investigation.
FILES: dict[str, list[DemoFile]] = {
    "seizure": [
        DemoFile(
            "photo",
            "现场照片：货架上待查扣的水果礼盒",
            "IMG_20240301_0931.png",
            lambda: photo("shelf"),
        ),
        DemoFile(
            "document",
            "查封扣押现场笔录（扫描件）",
            "查封扣押现场笔录.pdf",
            lambda: pdf(
                "查封扣押现场笔录",
                [
                    "当事人：嘉兴市秀洲区鲜果园水果店",
                    "检查地点：当事人经营场所",
                    "执法人员：张伟、李娜，已出示执法证件",
                    "现场情况：货架上存放水果礼盒若干，无法提供进货查验记录",
                    "采取措施：经负责人批准，对上述物品实施扣押，期限三十日",
                    "当事人签名：（演示）",
                ],
            ),
        ),
    ],
    "archived": [
        DemoFile(
            "photo", "现场照片：经营场所门头", "IMG_20240115_1002.png", lambda: photo("storefront")
        ),
        DemoFile(
            "document",
            "现场检查笔录（扫描件）",
            "现场检查笔录.pdf",
            lambda: pdf(
                "现场检查笔录",
                [
                    "当事人：嘉兴市华联副食品有限公司",
                    "检查地点：当事人经营场所",
                    "执法人员：张伟、李娜，已出示执法证件",
                    "现场情况：当事人未能出示有效的食品经营许可证",
                    "当事人签名：（演示）",
                ],
            ),
        ),
        DemoFile(
            "audio",
            "询问录音",
            "询问录音.wav",
            lambda: wav(4, [440, 523, 392]),
            device_id="DSJ-330400-017",
            duration_seconds=4,
        ),
    ],
    "hearing-held": [
        DemoFile(
            "audio",
            "调查询问录音",
            "调查询问录音.wav",
            lambda: wav(5, [330, 392]),
            device_id="DSJ-330400-021",
            duration_seconds=5,
        ),
    ],
}


def attach(
    case: Any, key: str, on: dt.date, actor: User, collectors: Sequence[User], location: str
) -> list[Evidence]:
    """Attach the demo files of case ``key`` (none for most cases) through the upload
    service, collected at 10:00 on ``on`` (or now, if that is later than now)."""
    at = dt.datetime.combine(on, dt.time(10, 0), tzinfo=timezone.get_default_timezone())
    at = min(at, timezone.now())
    return [
        add_evidence(
            actor=actor,
            upload=io.BytesIO(item.make()),
            original_name=item.original_name,
            kind=item.kind,
            title=item.title,
            collected_by=list(collectors),
            collected_at=at,
            location=location,
            device_id=item.device_id,
            duration_seconds=item.duration_seconds,
            obj=case,
        )
        for item in FILES.get(key, [])
    ]

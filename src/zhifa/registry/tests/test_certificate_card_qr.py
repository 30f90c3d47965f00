"""The printable card's QR code is whole: every module segno computes for the
verification address is drawn where it belongs and lies, with its quiet zone, inside
the box the card's style sheet gives the code (issue #10: a 148 px SVG without a
viewBox in a 32 mm box lost part of its finder patterns)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import segno

from zhifa.core.testing import client_for

SVG_NS = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "zhifa" / "zhifa.css"
QUIET_ZONE = 4  # modules of light margin a QR code needs (ISO/IEC 18004)
PX_PER_MM = 96 / 25.4


def card_box_px() -> tuple[float, float]:
    """The CSS width and height of the card's QR box, in CSS pixels."""
    rule = re.search(r"\.card-qr svg\s*\{([^}]*)\}", CSS.read_text())
    assert rule, "no .card-qr svg rule in zhifa.css"
    sizes = dict(re.findall(r"(width|height)\s*:\s*([\d.]+)mm", rule.group(1)))
    return float(sizes["width"]) * PX_PER_MM, float(sizes["height"]) * PX_PER_MM


def drawn_modules(path: ElementTree.Element) -> tuple[set[tuple[int, int]], float]:
    """The dark modules a segno path draws (horizontal strokes of width 1 at y + 0.5)
    and the scale its transform applies. Only the commands segno writes are read."""
    transform = path.get("transform", "")
    scale = 1.0
    if transform:
        match = re.fullmatch(r"scale\(([\d.]+)\)", transform)
        assert match, f"unexpected transform {transform!r}"
        scale = float(match.group(1))
    assert path.get("stroke-width") in (None, "1")
    tokens = re.findall(r"[MmHh]|-?[\d.]+", path.get("d", ""))
    modules: set[tuple[int, int]] = set()
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command in "Hh":
            end = float(tokens[i + 1]) if command == "H" else x + float(tokens[i + 1])
            row = int(y - 0.5)
            assert y - 0.5 == row, "stroke not centred on a module row"
            modules.update((col, row) for col in range(int(x), int(end)))
            x = end
            i += 2
        else:  # pragma: no cover - the regex yields only the commands above
            raise AssertionError(f"unexpected path command {command!r}")
    return modules, scale


def user_to_box(svg: ElementTree.Element, box: tuple[float, float]):
    """A function mapping the SVG's user coordinates to CSS pixels in the box, as a
    browser draws an SVG whose size the style sheet sets: without a viewBox one user
    unit is one pixel; with one, the viewBox is fitted in (preserveAspectRatio
    xMidYMid meet, the default)."""
    width, height = box
    view_box = svg.get("viewBox")
    if view_box is None:
        return lambda x, y: (x, y)
    assert svg.get("preserveAspectRatio") in (None, "xMidYMid meet", "xMidYMid")
    vx, vy, vw, vh = (float(v) for v in view_box.replace(",", " ").split())
    k = min(width / vw, height / vh)
    ox, oy = (width - vw * k) / 2, (height - vh * k) / 2
    return lambda x, y: (ox + (x - vx) * k, oy + (y - vy) * k)


@pytest.mark.django_db
def test_card_qr_is_whole_inside_its_box(person_a, supervisor_city, settings):
    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.gov.cn"
    url = "https://zhifa.example.gov.cn/verify/A-0001"
    certificate = person_a.certificates.get()
    html = (
        client_for(supervisor_city)
        .get(f"/registry/certificates/{certificate.pk}/card/")
        .content.decode()
    )
    block = re.search(r'<div class="card-qr">(<svg.*?</svg>)', html, re.S)
    assert block, "no SVG in the card's QR box"
    svg = ElementTree.fromstring(block.group(1))
    paths = svg.findall(f".//{SVG_NS}path")
    assert len(paths) == 1
    drawn, scale = drawn_modules(paths[0])

    # The code drawn is the verification address, module by module.
    matrix = segno.make(url, error="m").matrix
    size = len(matrix)
    dark = {(c, r) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}
    offset_x = min(c for c, _ in drawn) - min(c for c, _ in dark)
    offset_y = min(r for _, r in drawn) - min(r for _, r in dark)
    assert offset_x == offset_y >= QUIET_ZONE
    assert drawn == {(c + offset_x, r + offset_y) for c, r in dark}

    # Every module of the symbol, the three finder patterns included, and the quiet
    # zone around it lie inside the visible box, and modules are not squashed.
    box = card_box_px()
    to_box = user_to_box(svg, box)
    left, top = to_box((offset_x - QUIET_ZONE) * scale, (offset_y - QUIET_ZONE) * scale)
    right, bottom = to_box(
        (offset_x + size + QUIET_ZONE) * scale, (offset_y + size + QUIET_ZONE) * scale
    )
    tolerance = 1e-6
    assert left >= -tolerance and top >= -tolerance, (left, top)
    assert right <= box[0] + tolerance and bottom <= box[1] + tolerance, (right, bottom, box)
    for corner in [(0, 0), (size - 7, 0), (0, size - 7)]:  # the finder patterns
        x0, y0 = to_box((offset_x + corner[0]) * scale, (offset_y + corner[1]) * scale)
        x1, y1 = to_box((offset_x + corner[0] + 7) * scale, (offset_y + corner[1] + 7) * scale)
        assert 0 <= x0 < x1 <= box[0] + tolerance and 0 <= y0 < y1 <= box[1] + tolerance
    module_px = (right - left) / (size + 2 * QUIET_ZONE)
    assert module_px >= 2.5  # about 0.7 mm a module at 32 mm: readable by a phone

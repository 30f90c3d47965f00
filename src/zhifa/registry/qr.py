"""QR codes for certificate cards (segno): they encode the public verification URL."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def verify_url(request: HttpRequest | None, number: str) -> str:
    """The absolute public URL of a certificate's verification page. With
    ZHIFA_PUBLIC_BASE_URL set (e.g. https://zhifa.example.gov.cn) printed cards do not
    depend on the host name the page was requested under."""
    path = reverse("verify", args=[number])
    base = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


def qr_svg(data: str, scale: int = 4) -> str:
    """The QR code of ``data`` as SVG, with its four-module quiet zone. It has a
    viewBox, so that it scales to the box a page gives it (the card prints it at
    32 mm), and a width and height of ``scale`` pixels a module for where it is shown
    at its own size (the ``qr.svg`` view)."""
    qr = segno.make(data, error="m")
    buffer = io.BytesIO()
    # omitsize: segno writes viewBox="0 0 N N" in modules instead of a fixed size.
    qr.save(buffer, kind="svg", omitsize=True, xmldecl=False, svgns=True, title=data)
    svg = buffer.getvalue().decode()
    width, height = qr.symbol_size(scale=scale)
    return svg.replace("<svg ", f'<svg width="{width}" height="{height}" ', 1)

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
    qr = segno.make(data, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title=data)
    return buffer.getvalue().decode()

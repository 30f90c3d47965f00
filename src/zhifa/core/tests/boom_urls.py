"""A test-only URLconf: the site's URLs plus views that fail on purpose."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhifa.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: secret detail of the failure")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("suspicious detail")


urlpatterns = [
    path("test-only/boom/", boom),
    path("test-only/suspicious/", suspicious),
    *urlpatterns,
]

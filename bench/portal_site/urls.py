"""The product's URLs, plus ``/bench/bare/<pk>``: the baseline of the portal benchmark,
a Django view that reads one publication by its primary key and answers a few bytes.
It goes through the same middleware as the product's pages; it is not part of the
product."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from zhifa.urls import urlpatterns as product_patterns


def bare(request: HttpRequest, pk: int) -> HttpResponse:
    from zhifa.disclosure.models import Publication

    row = Publication.objects.filter(pk=pk).values_list("pk", "status").first()
    if row is None:
        raise Http404
    return HttpResponse(f"{row[0]} {row[1]}\n", content_type="text/plain; charset=utf-8")


urlpatterns: list[URLPattern | URLResolver] = [
    *product_patterns,
    path("bench/bare/<int:pk>", bare, name="bench_bare"),
]

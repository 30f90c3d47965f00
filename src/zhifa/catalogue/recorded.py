"""The catalogue's recorded objects: how ``records verify`` reads a law, an article, a
power item, a discretion benchmark and a review-catalogue entry in the form their
entries recorded them (:class:`zhifa.records.domain.RecordedObject`, registered in
``CatalogueConfig.ready``).

Laws and articles are shared: a change is recorded in the chain of the justice side that
made it (``services.law_record_organ``), so each chain compares them only while no other
chain recorded a later change. An article's text is compared as the SM3 of its current
version (``text_sm3`` of ``article.add`` / ``article.new_version``); the end date of an
earlier version and an article repealed with its whole law (``law.repeal`` names the
articles by number) are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from zhifa.records.canonical import sm3_hex
from zhifa.records.domain import ManyField, RecordedObject, changes_of, snapshot_of

from .services import BAND_FIELDS, BENCHMARK_FIELDS, LAW_FIELDS, POWER_ITEM_FIELDS, REVIEW_FIELDS

Values = Iterator[tuple[str, dict[str, Any]]]


def _repealed(object_id: str, body: Mapping[str, Any]) -> Values:
    yield object_id, {"repealed_on": body.get("repealed_on")}


def _article_text(object_id: str, body: Mapping[str, Any]) -> Values:
    yield object_id, {"text_sm3": body.get("text_sm3")}


def _current_text(objects: QuerySet[Any]) -> Iterator[tuple[Any, Any]]:
    from .models import ArticleVersion

    rows = (
        ArticleVersion.objects.filter(article__in=objects.values("pk"))
        .order_by("article_id", "valid_from")
        .values_list("article_id", "text")
    )
    for pk, text in rows.iterator():
        yield pk, sm3_hex(text.encode())


def _last(items: list[Any]) -> Any:
    return items[-1] if items else None


def _basis(objects: QuerySet[Any]) -> Iterator[tuple[Any, Any]]:
    for pk, article in objects.order_by().values_list("pk", "basis").iterator():
        if article is not None:
            yield pk, article


def _power_item_codes(objects: QuerySet[Any]) -> Iterator[tuple[Any, Any]]:
    for pk, code in objects.order_by().values_list("pk", "power_items__code").iterator():
        if code is not None:
            yield pk, code


def _bands(objects: QuerySet[Any]) -> Iterator[tuple[Any, Any]]:
    from .models import BenchmarkBand

    rows = (
        BenchmarkBand.objects.filter(benchmark__in=objects.values("pk"))
        .order_by("benchmark_id", "circumstance")
        .values_list("benchmark_id", *BAND_FIELDS)
    )
    for pk, *values in rows.iterator():
        yield pk, dict(zip(BAND_FIELDS, values, strict=True))


def recorded_objects() -> list[RecordedObject]:
    return [
        RecordedObject(
            object_type="catalogue.law",
            model="catalogue.Law",
            noun="law",
            creates={"law.create": snapshot_of},
            updates={"law.update": changes_of, "law.repeal": _repealed},
            fields={n: n for n in (*LAW_FIELDS, "repealed_on")},
            shared=True,
        ),
        RecordedObject(
            object_type="catalogue.article",
            model="catalogue.Article",
            noun="article",
            creates={"article.add": snapshot_of},
            updates={"article.new_version": _article_text, "article.repeal": _repealed},
            fields={n: n for n in ("law", "number", "ordinal", "repealed_on")},
            many={"text_sm3": ManyField(_current_text, _last)},
            title="number",
            shared=True,
        ),
        RecordedObject(
            object_type="catalogue.poweritem",
            model="catalogue.PowerItem",
            noun="power item",
            creates={"power_item.create": snapshot_of},
            updates={"power_item.update": changes_of},
            fields={n: n for n in POWER_ITEM_FIELDS},
            many={"basis": ManyField(_basis, sorted)},
            title="code",
        ),
        RecordedObject(
            object_type="catalogue.discretionbenchmark",
            model="catalogue.DiscretionBenchmark",
            noun="discretion benchmark",
            creates={"benchmark.create": snapshot_of},
            updates={"benchmark.update": changes_of},
            fields={n: n for n in ("power_item", *BENCHMARK_FIELDS)},
            many={"bands": ManyField(_bands)},
            title="violation",
        ),
        RecordedObject(
            object_type="catalogue.reviewcatalogueitem",
            model="catalogue.ReviewCatalogueItem",
            noun="review-catalogue entry",
            creates={"review_entry.create": snapshot_of},
            updates={"review_entry.update": changes_of},
            fields={n: n for n in REVIEW_FIELDS},
            many={"power_items": ManyField(_power_item_codes, sorted)},
            title="title",
        ),
    ]

"""The names of the catalogue's record actions and the titles of the objects it
records, shown on the record pages. ``CatalogueConfig.ready`` registers them with the
records app (``records.presentation``), which imports no domain app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: Every record action of the catalogue (services.py).
ACTION_LABELS: dict[str, Any] = {
    "law.create": _("Law entered"),
    "law.update": _("Law changed"),
    "law.repeal": _("Law repealed"),
    "article.add": _("Article entered"),
    "article.new_version": _("New text of an article entered"),
    "article.repeal": _("Article repealed"),
    "power_item.create": _("Power item entered"),
    "power_item.update": _("Power item changed"),
    "power_item.review": _("Power item reviewed after a change of its basis"),
    "power_item.basis_changed": _("Legal basis of the power items changed (law text)"),
    "benchmark.create": _("Discretion benchmark entered"),
    "benchmark.update": _("Discretion benchmark changed"),
    "review_entry.create": _("Review catalogue entry entered"),
    "review_entry.update": _("Review catalogue entry changed"),
}


def object_titles() -> dict[str, Any]:
    from zhifa.records.presentation import model_titles

    from .models import Article, DiscretionBenchmark, Law, PowerItem, ReviewCatalogueItem

    return {
        "catalogue.law": model_titles(Law, str),
        "catalogue.article": model_titles(Article, str, "law"),
        "catalogue.poweritem": model_titles(PowerItem, lambda p: f"{p.code} {p.name}"),
        "catalogue.discretionbenchmark": model_titles(DiscretionBenchmark, lambda b: b.violation),
        "catalogue.reviewcatalogueitem": model_titles(ReviewCatalogueItem, lambda r: r.title),
    }

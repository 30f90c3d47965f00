"""Published annual statistics (行政执法统计年报, GB118-annual-report): one frozen
snapshot per organ, year and version. Rows are written only by ``services.publish``,
never changed: a correction is a new version with its reason, and the old one stays
readable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.registry.models import EnforcementSubject


class Publication(models.Model):
    """The statistics of one organ for one year as published (a snapshot): the figures
    the read model gave (``queries.figures``) and, for each figure, the IDs of the case
    steps it counts (``lists``), so that every published figure links to exactly the
    decisions it counts, whatever happens to the cases later."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="statistics_publications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(
        _("version"), help_text=_("1 for the first publication; each correction adds one.")
    )
    figures = models.JSONField(_("figures"))
    lists = models.JSONField(
        _("counted steps"), help_text=_("For each figure, the IDs of the case steps it counts.")
    )
    digest = models.CharField(
        _("SM3 digest"),
        max_length=64,
        help_text=_("SM3 of the figures and lists (canonical JSON), as recorded."),
    )
    reason = models.TextField(
        _("reason for the correction"), blank=True, help_text=_("Empty for the first version.")
    )
    published_on = models.DateField(pgettext_lazy("statistics publication", "published on"))
    published_at = models.DateTimeField(pgettext_lazy("statistics publication", "published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published statistics")
        verbose_name_plural = _("published statistics")
        ordering = ["organ", "year", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "version"], name="statistics_publication_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.year} v{self.version}"

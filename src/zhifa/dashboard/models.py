"""The dashboard's stored figures: the warnings of each organ's cases per day, counted
by the job ``tasks.snapshot_warnings`` (every few minutes, for the organs whose cases
were audited since their last count): today's row is the count the dashboard shows, and
the rows of past days are the trend. The case figures of a year per organ, computed
nightly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningSnapshot(models.Model):
    """The red and yellow warnings of one organ's cases on one day (SUP-warning, the
    stored findings and deadlines: ``supervision.warnings.case_warnings``)."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    red = models.PositiveIntegerField(_("red"), default=0)
    yellow = models.PositiveIntegerField(_("yellow"), default=0)
    counted_at = models.DateTimeField(
        _("counted at"),
        null=True,
        blank=True,
        help_text=_("When the count began (empty: a count kept only for the trend)."),
    )

    class Meta:
        verbose_name = _("warning snapshot")
        verbose_name_plural = _("warning snapshots")
        constraints = [
            models.UniqueConstraint(fields=["organ", "day"], name="dashboard_snapshot_organ_day")
        ]
        indexes = [models.Index(fields=["day"], name="dashboard_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.day}: {self.red}/{self.yellow}"


class OrganFigures(models.Model):
    """The case figures of one organ for one year, computed by the nightly job
    (``tasks.refresh_figures``, ``figures.refresh``) with the dashboard's own grouped
    queries, so the page reads a row per organ instead of aggregating every case of a
    province on each request: the cases by status and by procedure (as of
    ``computed_at``), the cases decided in the year with a legal review and with a
    hearing, the fines decided and the payments recorded in the year. The page uses them
    only when every organ it shows has its row of the day, and says when they were
    computed; warnings and complaints are always read live."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("organ figures")
        verbose_name_plural = _("organ figures")
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="dashboard_figures_organ_year")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.year} ({self.computed_at:%Y-%m-%d %H:%M})"

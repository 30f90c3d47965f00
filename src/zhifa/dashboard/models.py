"""The dashboard's stored history: the warnings of each organ's cases per day, kept by
the nightly job (``tasks.snapshot_warnings``) so the dashboard can show their trend.
Only the trend reads these rows; today's counts are read live, as the warnings page
reads them."""

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

    class Meta:
        verbose_name = _("warning snapshot")
        verbose_name_plural = _("warning snapshots")
        constraints = [
            models.UniqueConstraint(fields=["organ", "day"], name="dashboard_snapshot_organ_day")
        ]
        indexes = [models.Index(fields=["day"], name="dashboard_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.day}: {self.red}/{self.yellow}"

"""Holiday schedules loaded as data (a year published later than chinese-calendar)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .engine.workdays import YearSchedule


class CalendarYear(models.Model):
    """One year's official State Council holiday schedule (国务院节假日安排).

    A year stored here overrides the chinese-calendar package for that year."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    holidays = models.JSONField(
        _("statutory holidays"),
        default=list,
        help_text=_("Dates off work, as a JSON list of YYYY-MM-DD."),
    )
    workdays = models.JSONField(
        _("make-up working days"),
        default=list,
        blank=True,
        help_text=_("Weekend days that are working days, as a JSON list of YYYY-MM-DD."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The notice that published the schedule."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def to_schedule(self) -> YearSchedule:
        return YearSchedule(
            year=self.year,
            holidays=frozenset(dt.date.fromisoformat(d) for d in self.holidays),
            workdays=frozenset(dt.date.fromisoformat(d) for d in self.workdays),
            source=self.source,
        )

    def clean(self) -> None:
        try:
            schedule = YearSchedule.from_dict(
                {
                    "year": self.year,
                    "holidays": self.holidays,
                    "workdays": self.workdays,
                    "source": self.source,
                }
            )
        except ValueError as exc:
            field = str(exc).split(":", 1)[0].split("[", 1)[0]
            key = field if field in ("year", "holidays", "workdays", "source") else "holidays"
            raise ValidationError({key: str(exc)}) from exc
        self.holidays = sorted(d.isoformat() for d in schedule.holidays)
        self.workdays = sorted(d.isoformat() for d in schedule.workdays)

"""Holiday schedules loaded as data (a year published later than chinese-calendar)."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class AuditRequest(models.Model):
    """A large case file uploaded on the audit page, audited in the background
    (``rules.tasks.run_audit``, run by ``zhifa worker``): only its user sees it. The
    uploaded bytes are dropped once the audit ran; the rendered findings are kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", pgettext_lazy("audit request status", "failed")

    #: The statuses of a request whose findings are still to come.
    WAITING = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_requests"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    as_of = models.DateField(_("audit date"), null=True, blank=True)
    lang = models.CharField(_("language"), max_length=2, default="zh")
    content = models.BinaryField(_("case file"), blank=True)
    result = models.JSONField(_("findings document"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background audit")
        verbose_name_plural = _("background audits")

    def __str__(self) -> str:
        return f"{self.pk} ({self.status})"

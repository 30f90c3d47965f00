"""Interference records (干预、插手案件办理记录, NA-interference: NA 33; JL 七).

An officer of a case records an attempt by anyone to intervene in it. A record is never
changed: a correction is a new record that ``corrects`` the earlier one, and the head's
and the supervisor's acknowledgements are rows of their own. Confidential: only the
recording officer, the organ's head and the supervisors of the organ's region see a
record (``policy``), never the person named as interfering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.cases.models import Case
from zhifa.registry.models import EnforcementSubject


class Source(models.TextChoices):
    """Where the interfering person comes from (the first two: the internal personnel
    NA 33 names)."""

    INTERNAL_LEADER = "internal_leader", _("Leader of the organ")
    INTERNAL_STAFF = "internal_staff", _("Staff of the organ")
    OTHER_ORGAN = "other_organ", _("Another organ or authority")
    OUTSIDER = "outsider", _("Outsider")


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    LETTER = "letter", _("Letter or note")
    OTHER = "other", pgettext_lazy("interference method", "Other")


class Interference(models.Model):
    """One record of an attempt to intervene in a case."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="interferences"
    )
    recorded_in = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("recorded in the chain of"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The organ whose record chain holds the entry: the justice bureau of the "
            "organ's region (or the organ itself when its region has none)."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        help_text=_("The earlier record this one corrects (records are never edited)."),
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    source = models.CharField(_("who (kind)"), max_length=16, choices=Source.choices)
    person_name = models.CharField(_("name of the person"), max_length=64)
    person_unit = models.CharField(_("unit"), max_length=128, blank=True)
    person_position = models.CharField(_("position"), max_length=64, blank=True)
    person_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person's account on the platform, if any: they never see the record."),
    )
    method = models.CharField(_("manner of interference"), max_length=16, choices=Method.choices)
    request = models.TextField(_("what was asked"))
    response = models.TextField(_("what the officer did"))
    attachment_name = models.CharField(_("attachment file name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("attachment content type"), max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("attachment size"), null=True, blank=True)
    attachment_sm3 = models.CharField(_("attachment SM3 digest"), max_length=64, blank=True)
    attachment_storage = models.CharField(_("attachment storage name"), max_length=255, blank=True)
    digest = models.CharField(
        _("content digest"),
        max_length=64,
        help_text=_("SM3 of the record's content (canonical JSON), as its entry recorded it."),
    )

    class Meta:
        verbose_name = _("interference record")
        verbose_name_plural = _("interference records")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organ", "occurred_at"], name="interference_organ_day")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The record as people name it (it has no number of its own): its case's
        number and when the attempt happened, local time."""
        return f"{self.case.number} · {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"


class AcknowledgerRole(models.TextChoices):
    ORGAN_HEAD = "organ_head", _("Organ head")
    SUPERVISOR = "supervisor", _("Supervisor")


class Acknowledgement(models.Model):
    """The organ head's or a supervisor's acknowledgement of a record, with a note."""

    interference = models.ForeignKey(
        Interference,
        verbose_name=_("interference record"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("as"), max_length=16, choices=AcknowledgerRole.choices)
    note = models.TextField(_("note"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("acknowledgement of an interference record")
        verbose_name_plural = _("acknowledgements of interference records")
        ordering = ["interference", "acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interference", "actor"], name="interference_ack_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interference_id} · {self.role}"

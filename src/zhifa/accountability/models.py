"""Accountability matters (责任追究, NA-interference; NA 33, JL 七, CQ 六(三)): a case found
wrong opens one; the supervisor traces it back to the responsible stages and persons,
records the finding and the measures, and concludes it; a concluded matter is published.

Written only by ``services``; every change has its entry in the whole-process record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.cases.models import Case, CaseStep
from zhifa.complaints.models import Complaint
from zhifa.registry.models import EnforcementSubject


class Ground(models.TextChoices):
    REMEDY = "remedy", _("Decision revoked or confirmed unlawful on reconsideration or litigation")
    COMPLAINT = "complaint", _("Complaint about the case upheld")
    EVALUATION = "evaluation", _("Case file scored 0 in an evaluation")


class MatterStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("accountability", "Open")
    CONCLUDED = "concluded", pgettext_lazy("accountability", "Concluded")


class Matter(models.Model):
    """One accountability matter: one per case and ground."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ concerned"),
        on_delete=models.PROTECT,
        related_name="accountability_matters",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="accountability"
    )
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    recorded_in = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("recorded in the chain of"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The justice bureau of the organ's region (or the organ itself when its region "
            "has none): the organ's other users do not read the matter in its chain."
        ),
    )
    remedy_step = models.ForeignKey(
        CaseStep,
        verbose_name=_("reconsideration or litigation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Never shown to the organ concerned (COMPLAINT-confidential)."),
    )
    evaluation_ref = models.CharField(
        _("evaluation reference"),
        max_length=64,
        blank=True,
        help_text=_("The evaluation (评查) that scored the file 0, as the evaluation names it."),
    )
    reasons = models.TextField(_("reasons for opening"), blank=True)
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: opened by the platform's periodic task."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    substantiated = models.BooleanField(_("wrong enforcement substantiated"), null=True)
    stages = models.JSONField(_("responsible stages"), default=list, blank=True)
    persons = models.JSONField(
        _("responsible persons"),
        default=list,
        blank=True,
        help_text=_("The officers held responsible: [{officer, name, stage}]."),
    )
    finding = models.TextField(_("finding"), blank=True)
    measures = models.JSONField(_("measures"), default=list, blank=True)
    measure_note = models.TextField(_("measures taken (details)"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("accountability matter")
        verbose_name_plural = _("accountability matters")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "ground"], name="accountability_one_per_ground")
        ]
        indexes = [models.Index(fields=["status", "concluded_on"])]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.ground}"

    @property
    def is_concluded(self) -> bool:
        return self.status == MatterStatus.CONCLUDED

"""Publication of decisions by the platform (公示, issue #15 items 3 and 4).

A ``Publication`` is one penalty decision's life on the public portal: scheduled when
the decision is issued (DISC-scope), published by the worker with the redacted summary
(DISC-redaction) — or failed, visibly, naming the field —, approved first where the
organ wants it, withdrawn (APL-48-withdraw) or taken down (DISC-period, credit repair),
and never deleted: what was published and why it left stays. Rows are written only by
``disclosure.services``, each change with its record entry.

``DisclosureScope`` (DISC-scope) and ``DisclosureSettings`` (the organ's choices) are
configurable data; the law that reads them is the engine's
(``zhifa.rules.engine.publication``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.cases.models import Case, CaseStep
from zhifa.registry.models import EnforcementSubject, Region


class DisclosureScope(models.Model):
    """A DISC-scope entry added by a region or sector (the catalogue's default is
    engine data: rules/data/disclosure.toml)."""

    sector = models.SlugField(
        _("sector"), max_length=64, blank=True, help_text=_("Empty: every sector.")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: everywhere. A region applies to the regions under it too."),
    )
    procedures = models.JSONField(
        _("procedures"), default=list, help_text=_('e.g. ["general"] or ["general", "summary"].')
    )
    penalty_types = models.JSONField(
        _("penalty types"), default=list, blank=True, help_text=_("Empty: every penalty type.")
    )
    exclude_warning_only = models.BooleanField(_("leave out warning-only decisions"), default=False)
    full_text = models.BooleanField(_("publish the redacted decision document"), default=False)
    working_days = models.CharField(
        _("working days parameter"), max_length=64, default="disclosure_working_days"
    )
    reference = models.CharField(pgettext_lazy("legal source", "source"), max_length=255)

    class Meta:
        verbose_name = _("disclosure scope")
        verbose_name_plural = _("disclosure scopes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sector or '*'} / {self.region.code if self.region else '*'}"


class PeriodClass(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    SERIOUS = "serious", _("Serious")


class DisclosureSettings(models.Model):
    """An organ's choices: its sector (for DISC-scope), whether a human approves each
    publication before release, and the publication periods it chose within the
    catalogue's ranges (DISC-period; none chosen: nothing is taken down by itself)."""

    record_organ_field = "organ"

    organ = models.OneToOneField(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="disclosure_settings",
    )
    sector = models.SlugField(_("sector"), max_length=64, blank=True)
    require_approval = models.BooleanField(
        _("approve each publication before release"), default=False
    )
    ordinary_months = models.PositiveSmallIntegerField(
        _("publication period, ordinary (months)"), null=True, blank=True
    )
    serious_months = models.PositiveSmallIntegerField(
        _("publication period, serious (months)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("disclosure settings")
        verbose_name_plural = _("disclosure settings")

    def __str__(self) -> str:
        return str(self.organ)

    def months(self, period_class: str) -> int | None:
        value: int | None = (
            self.serious_months if period_class == PeriodClass.SERIOUS else self.ordinary_months
        )
        return value


class PublicationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    PUBLISHED = "published", pgettext_lazy("decision disclosure", "Published")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Release refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TAKEN_DOWN = "taken_down", _("Taken down")


#: The statuses in which the public sees the publication (its summary, or that it left
#: and why).
PUBLIC_STATUSES = (
    PublicationStatus.PUBLISHED,
    PublicationStatus.WITHDRAWN,
    PublicationStatus.TAKEN_DOWN,
)


class EndKind(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn: the decision was changed, revoked or void")
    PERIOD_ENDED = "period_ended", _("Taken down: the publication period ended")
    CREDIT_REPAIR = "credit_repair", _("Taken down after credit repair")


class Publication(models.Model):
    """One penalty decision on the public portal."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="publications"
    )
    decision = models.OneToOneField(
        CaseStep,
        verbose_name=_("decision step"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=PublicationStatus.choices, db_index=True
    )
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("to be published by"))
    due_unscheduled_years = models.JSONField(
        _("years counted without a holiday schedule"),
        default=list,
        blank=True,
        help_text=_("The period runs through these years, whose schedule is not loaded."),
    )
    full_text = models.BooleanField(_("with the redacted decision document"), default=False)
    scope_reference = models.CharField(_("scope source"), max_length=255, blank=True)
    period_class = models.CharField(
        _("period class"), max_length=16, choices=PeriodClass.choices, default=PeriodClass.ORDINARY
    )
    facts_brief = models.TextField(
        _("facts in brief (public text)"),
        blank=True,
        help_text=_("Written by the organ for publication; empty: the decision's facts."),
    )
    # What the public sees, fixed when published (never rebuilt afterwards).
    summary = models.JSONField(_("published summary"), default=dict, blank=True)
    summary_sm3 = models.CharField(_("summary SM3"), max_length=64, blank=True)
    document_pdf = models.BinaryField(_("redacted decision document"), null=True, blank=True)
    document_sm3 = models.CharField(_("document SM3"), max_length=64, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    published_on = models.DateField(
        pgettext_lazy("decision disclosure", "published on"), null=True, blank=True, db_index=True
    )
    published_at = models.DateTimeField(
        pgettext_lazy("decision disclosure", "published at"), null=True, blank=True
    )
    # A failure: the fields and kinds found (never the values), for the organ.
    failures = models.JSONField(_("failures"), default=list, blank=True)
    failed_on = models.DateField(_("failed on"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason release was refused"), blank=True)
    # The decision changed, revoked or void: the withdrawal it calls for (APL-48).
    withdrawal_requested_on = models.DateField(_("withdrawal requested on"), null=True, blank=True)
    withdraw_due_on = models.DateField(_("to be withdrawn by"), null=True, blank=True)
    takedown_on = models.DateField(_("period ends on"), null=True, blank=True)
    ended_on = models.DateField(_("withdrawn or taken down on"), null=True, blank=True)
    end_kind = models.CharField(_("ended"), max_length=16, choices=EndKind.choices, blank=True)
    end_reason = models.TextField(_("published reason"), blank=True)
    # 双公示 (DISC-double-publicity): when the decision was first and last delivered to
    # the credit platform (exported in its layout).
    first_exported_on = models.DateField(
        _("first delivered to the credit platform on"), null=True, blank=True, db_index=True
    )
    last_exported_on = models.DateField(
        _("last delivered to the credit platform on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["organ", "status"], name="publication_organ_status")]

    def __str__(self) -> str:
        return f"{self.summary.get('number') or self.decision.document_number} ({self.status})"

    @property
    def public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def public_view(self) -> dict[str, Any]:
        """What the public page shows: the summary as published (empty once withdrawn
        or taken down: the page then says so and why), and the state."""
        shown = self.status == PublicationStatus.PUBLISHED
        return {
            "id": self.pk,
            "summary": dict(self.summary) if shown else {},
            "number": str(self.summary.get("number", "")),
            "organ": str(self.summary.get("organ", "")),
            "status": self.status,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "document_sm3": self.document_sm3 if shown else "",
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "end_kind": self.end_kind,
            "end_reason": self.end_reason,
        }

    def leaf_bytes(self) -> bytes:
        """The canonical leaf of the publication for a transparency log
        (``zhifa.transparency``): the canonical JSON (records/canonical.py) of what the
        public page shows and of its publication or withdrawal state. A leaf is logged
        per state (``services._logged``): the published summary, then its withdrawal or
        take-down."""
        from zhifa.records.canonical import canonical_json, sm3_hex

        # The document's digest is taken from the stored document itself, not from the
        # column beside it: a document replaced in the database no longer matches the
        # logged leaf (``records verify-publication``).
        pdf = self.document_pdf
        body = {
            "format": "zhifa-publication/1",
            "publication": self.pk,
            "organ": self.organ_id,
            "summary": dict(self.summary),
            "summary_sm3": self.summary_sm3,
            "document_sm3": sm3_hex(bytes(pdf)) if pdf else "",
            "status": self.status,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "end_kind": self.end_kind,
            # A withdrawal's reason is set when it is requested and published when it
            # is done: it belongs to the leaf of the withdrawn state only.
            "end_reason": self.end_reason if self.status != PublicationStatus.PUBLISHED else "",
        }
        return canonical_json(body).encode()

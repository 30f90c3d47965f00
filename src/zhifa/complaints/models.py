"""Complaints and reports (投诉举报, docs/complaints.md).

A filing from the public: a **complaint** about an organ's or officer's conduct (to the
justice bureau of the region, 执法监督) or a **report** of a suspected violation (to the
competent organ). It gets a readable number and a secret access code on receipt; with
both, the filer follows it without an account. The receiving unit's head assigns the
staff who handle it (``ComplaintAssignment``, 承办人员). The filer's identity and contact
are confidential (COMPLAINT-confidential): only the assigned staff and the supervisor of
the region see them (``policy.can_see_filer``); the unit's other staff see the filing,
its clocks and its handling, never its filer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.cases.models import Case
from zhifa.registry.models import EnforcementSubject, Officer, Region

USER_MODEL = settings.AUTH_USER_MODEL


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", pgettext_lazy("complaint kind", "Complaint about enforcement")
    REPORT = "report", pgettext_lazy("complaint kind", "Report of a violation")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "Received, awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("complaint status", "Accepted, being handled")
    REJECTED = "rejected", pgettext_lazy("complaint status", "Not accepted")
    CLOSED = "closed", pgettext_lazy("complaint status", "Closed with a result")
    DISPUTED = "disputed", pgettext_lazy("complaint status", "Not resolved: under second look")
    CONFIRMED = "confirmed", pgettext_lazy("complaint status", "Closed, confirmed on second look")
    MERGED = "merged", pgettext_lazy("complaint status", "Handled together with another filing")


#: Statuses in which the receiving unit owes the filer the acknowledgement.
AWAITING_ACK = (ComplaintStatus.RECEIVED,)
#: Statuses in which nothing more is done.
ENDED = (ComplaintStatus.REJECTED, ComplaintStatus.CONFIRMED, ComplaintStatus.MERGED)


class NoteKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    ACCEPTED = "accepted", pgettext_lazy("complaint note", "Accepted")
    REJECTED = "rejected", pgettext_lazy("complaint note", "Not accepted")
    RESULT = "result", _("Result of handling")
    DISPUTE = "dispute", _("Not resolved (filer)")
    REOPENED = "reopened", _("Reopened by the supervisor")
    CONFIRMED = "confirmed", _("Confirmed by the supervisor")
    CASE = "case", _("Entered as a case source")
    MERGED = "merged", _("Handled together with another filing")
    DISPUTE_JOINED = "dispute_joined", _("Not resolved (filer of a filing handled together)")


class ComplaintSequence(models.Model):
    """The last number issued per region and year (numbers are issued under a row lock)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="complaint_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class Complaint(models.Model):
    """One complaint or report (投诉举报)."""

    record_organ_field = "organ"

    number = models.CharField(_("number"), max_length=32, unique=True)
    access_code_hash = models.CharField(_("access code (hashed)"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=ComplaintKind.choices)
    category = models.SlugField(_("category"), max_length=32)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="complaints"
    )
    address = models.CharField(_("address"), max_length=255)
    description = models.TextField(_("what happened"))
    subject_organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    subject_officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    # Confidential (COMPLAINT-confidential): shown only to whom ``policy.can_see_filer``
    # allows (the assigned staff and the supervisor of the region).
    filer_name = models.CharField(_("filer's name"), max_length=64, blank=True)
    filer_contact = models.CharField(_("filer's contact"), max_length=128, blank=True)
    # The ID of the digest key (core.services.digest_key_id) the filing entry's
    # ``filer_hmac`` was keyed with; "" for filings from before the key had an ID.
    filer_key = models.CharField(
        _("key of the filer's digest"), max_length=16, blank=True, default="", editable=False
    )
    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="complaints_received",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    ack_due_on = models.DateField(_("acceptance to be told by"))
    ack_working_days = models.PositiveSmallIntegerField(_("working days to acknowledge"))
    ack_rules = models.JSONField(_("rules of the acknowledgement deadline"), default=list)
    ack_unscheduled_years = models.JSONField(
        _("years counted without a holiday schedule"), default=list, blank=True
    )
    acknowledged_on = models.DateField(_("acceptance told on"), null=True, blank=True)
    rejection_reasons = models.TextField(_("reasons for not accepting"), blank=True)
    result = models.TextField(_("result told to the filer"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    disputed_on = models.DateField(_("disputed on"), null=True, blank=True)
    dispute_reason = models.TextField(_("why it is not resolved"), blank=True)
    reviewed_on = models.DateField(_("second look on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("handled together with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_source",
    )

    class Meta:
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organ", "status", "ack_due_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_anonymous(self) -> bool:
        return not (self.filer_name or self.filer_contact)

    @property
    def reopened(self) -> bool:
        """Handled again after the supervisor's second look reopened it (the status is
        ``accepted`` again, told apart by the day of the second look)."""
        return self.status == ComplaintStatus.ACCEPTED and self.reviewed_on is not None

    @property
    def status_label(self) -> str:
        """The status as the pages show it: a reopened filing is not shown as if it
        were handled for the first time."""
        if self.reopened:
            return str(
                pgettext_lazy("complaint status", "Reopened: handled again after the second look")
            )
        return str(self.get_status_display())


class ComplaintNote(models.Model):
    """What the filer is told: acceptance or rejection, progress, the result, the
    dispute and the supervisor's second look; in order."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    on = models.DateField(_("date"))
    text = models.TextField(_("note text"))
    author = models.ForeignKey(
        USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.on}"


class ComplaintAssignment(models.Model):
    """One of the receiving unit's staff assigned to handle a filing (承办人员): set by
    the unit's head (for a justice bureau, also the supervisors of the region) through
    ``services.assign``, recorded with the filing. The assigned staff see the filer's
    identity and contact; the officer complained about is never assigned."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        USER_MODEL,
        verbose_name=_("assigned staff"),
        on_delete=models.PROTECT,
        related_name="complaint_assignments",
    )
    assigned_by = models.ForeignKey(
        USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("assignment of a filing")
        verbose_name_plural = _("assignments of filings")
        ordering = ["complaint", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "user"], name="complaint_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.user_id}"


class ComplaintAttachment(models.Model):
    """A photo or document the filer sent: type judged from the content, stored under
    its SM3 digest in the evidence storage (``records.evidence_files``)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveBigIntegerField(_("file size"))
    sm3 = models.CharField(_("SM3"), max_length=64)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

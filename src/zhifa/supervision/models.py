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
from zhifa.registry.models import EnforcementSubject, Region


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


# --- supervision notices (SUP-notice) -------------------------------------------------------


class NoticeKind(models.TextChoices):
    """The two documents of the catalogue's rule (执法监督通知书 / 建议书)."""

    NOTICE = "notice", _("Enforcement supervision notice")
    SUGGESTION = "suggestion", _("Enforcement supervision recommendation")


class NoticeStatus(models.TextChoices):
    AWAITING_REPLY = "awaiting_reply", _("Awaiting the organ's reply")
    REPLIED = "replied", _("Reply awaiting the supervisor")
    RETURNED = "returned", _("Reply returned: awaiting a new reply")
    CLOSED = "closed", _("Reply accepted: closed")


#: The states in which the organ owes a reply (SUP-notice's clock runs).
OPEN_NOTICE_STATUSES = (NoticeStatus.AWAITING_REPLY, NoticeStatus.RETURNED)


class NoticeSequence(models.Model):
    """The last number issued per region, kind and year (numbers are issued under a row
    lock, as complaints' numbers are)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year"], name="notice_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.kind}/{self.year}: {self.last}"


class RenderedFile(models.Model):
    """The fields of a rendered document (the PDF stored under its SM3 digest)."""

    template = models.CharField(_("template"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=255)

    class Meta:
        abstract = True


class Notice(RenderedFile):
    """A supervision notice (执法监督通知书) or recommendation (执法监督建议书) a
    supervisor issues to an organ of their region, in the name of the region's justice
    bureau: the problems found, the rectification asked for and the deadline by which
    the organ's written reply is due (SUP-notice)."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The supervisor's region: notices are numbered per region and year."),
    )
    issuer = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("issued in the name of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issuer's name as printed"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    number = models.CharField(_("document number"), max_length=120, unique=True)
    cases = models.ManyToManyField(
        Case, verbose_name=_("cases concerned"), blank=True, related_name="supervision_notices"
    )
    pattern = models.TextField(_("pattern of problems"), blank=True)
    findings = models.TextField(_("problems found"))
    rectification = models.TextField(_("rectification requested"))
    deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NoticeStatus.choices,
        default=NoticeStatus.AWAITING_REPLY,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_on = models.DateField(_("issued on"))
    digest = models.CharField(
        _("content digest"),
        max_length=64,
        help_text=_("SM3 of the notice's content (canonical JSON), as its entry recorded it."),
    )

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["organ", "status"], name="notice_organ_status")]

    def __str__(self) -> str:
        return self.number


class ReplyDecision(models.TextChoices):
    PENDING = "", _("Awaiting the supervisor")
    ACCEPTED = "accepted", _("Accepted by the supervisor")
    RETURNED = "returned", _("Returned with reasons")


class NoticeReply(RenderedFile):
    """The organ's written reply to a notice (整改情况书面回复), numbered after the
    notice; the supervisor accepts it (the notice is closed) or returns it with reasons
    (the organ replies again: a new reply, the earlier one stays)."""

    notice = models.ForeignKey(
        Notice,
        verbose_name=_("supervision notice"),
        on_delete=models.PROTECT,
        related_name="replies",
    )
    attempt = models.PositiveSmallIntegerField(_("reply no."))
    number = models.CharField(_("document number"), max_length=140, unique=True)
    text = models.TextField(_("rectification done"))
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Each file's name, content type, size, SM3 digest and storage name."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))
    late = models.BooleanField(
        _("late"), default=False, help_text=_("Submitted after the rectification deadline.")
    )
    digest = models.CharField(_("content digest"), max_length=64)
    decision = models.CharField(
        _("supervisor's decision"),
        max_length=16,
        choices=ReplyDecision.choices,
        default=ReplyDecision.PENDING,
        blank=True,
    )
    reasons = models.TextField(_("reasons for returning"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reply to a supervision notice")
        verbose_name_plural = _("replies to supervision notices")
        ordering = ["notice", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "attempt"], name="notice_reply_once")
        ]

    def __str__(self) -> str:
        return self.number


class FilingKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", _("Document catalogue of a major decision")
    QUARTERLY = "quarterly", _("Quarterly case catalogue")


class Filing(models.Model):
    """A catalogue the organ filed with the justice bureau (执法目录备案, NA-major-filing:
    NA 30): the document catalogue of a major decision (its case's issued documents), or
    the catalogue of the cases the organ concluded in a quarter. Written only by
    ``filings.file_major_decision`` and ``filings.file_quarter`` with their record
    entry; never changed."""

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FilingKind.choices)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    catalogue = models.JSONField(
        _("catalogue"),
        default=list,
        help_text=_("The documents (or cases) the catalogue lists, as filed."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("filing with the justice bureau")
        verbose_name_plural = _("filings with the justice bureau")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="major_decision"),
                name="filing_one_per_major_decision",
            ),
            models.UniqueConstraint(
                fields=["organ", "year", "quarter"],
                condition=models.Q(kind="quarterly"),
                name="filing_one_per_organ_quarter",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == FilingKind.QUARTERLY:
            return f"{self.organ_id} {self.year}Q{self.quarter}"
        return f"{self.organ_id} case {self.case_id}"


class BulkAuditStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", pgettext_lazy("bulk audit status", "failed")


class BulkAudit(models.Model):
    """A zip (or a set of JSON files) of case files from another system, audited by the
    rules engine in the background (issue #17 item 7; ``bulk_audit``, the task
    ``supervision.tasks.run_bulk_audit``). The upload is kept in the default storage;
    each member's result is a ``BulkAuditFile`` row written as it is produced, and the
    counts and the per-rule tally are updated in the same transaction, so a run resumed
    after an interruption neither repeats nor loses a file. Seen by its uploader and by
    the supervisors and administrators whose region contains its ``region``."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The uploader's region: who else may see the audit."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BulkAuditStatus.choices, default=BulkAuditStatus.QUEUED
    )
    name = models.CharField(_("upload"), max_length=255)
    upload = models.FileField(_("uploaded archive"), upload_to="bulk-audits/%Y/%m/")
    as_of = models.DateField(
        _("audit date"),
        null=True,
        blank=True,
        help_text=_("Given on upload; else each file's own audit date, else the upload day."),
    )
    upload_day = models.DateField(_("upload day"))
    lang = models.CharField(_("language"), max_length=2, default="zh")
    files_total = models.PositiveIntegerField(_("case files"), default=0)
    files_audited = models.PositiveIntegerField(_("files audited"), default=0)
    files_failed = models.PositiveIntegerField(_("files with an error"), default=0)
    files_with_block = models.PositiveIntegerField(_("files with block findings"), default=0)
    findings_total = models.PositiveIntegerField(_("findings"), default=0)
    rules = models.JSONField(
        _("findings per rule"),
        default=dict,
        help_text=_("Per rule ID: severity, citation, findings and files."),
    )
    skipped = models.JSONField(
        _("skipped members"),
        default=list,
        help_text=_("Members not audited (not .json, unsafe path…), with the reason."),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk audit")
        verbose_name_plural = _("bulk audits")

    def __str__(self) -> str:
        return f"{self.pk} {self.name} ({self.status})"

    @property
    def files_done(self) -> int:
        return self.files_audited + self.files_failed


class BulkAuditFile(models.Model):
    """One member of a bulk audit and what the engine found in it (or why it could not
    be audited). ``index`` is the member's place in the archive: unique per audit, so a
    resumed run never writes a file twice."""

    bulk = models.ForeignKey(
        BulkAudit, verbose_name=_("bulk audit"), on_delete=models.CASCADE, related_name="files"
    )
    index = models.PositiveIntegerField(_("index"))
    name = models.CharField(_("file"), max_length=512)
    case_id = models.CharField(_("case ID"), max_length=255, blank=True)
    as_of = models.DateField(_("audit date"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list)
    deadlines = models.JSONField(_("deadlines"), default=list)
    late_fee = models.JSONField(_("late fee"), null=True, blank=True)
    block_findings = models.PositiveIntegerField(_("block findings"), default=0)
    errors = models.JSONField(
        _("errors"),
        default=list,
        help_text=_("Why the file could not be audited: path, message (English), zh."),
    )

    class Meta:
        ordering = ["bulk", "index"]
        verbose_name = _("bulk audit file")
        verbose_name_plural = _("bulk audit files")
        constraints = [
            models.UniqueConstraint(fields=["bulk", "index"], name="bulk_audit_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.bulk_id}#{self.index} {self.name}"

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class RemedyRates(models.Model):
    """The counts of one organ's reconsiderations and litigations in one year as the
    rules engine counts them (``rules.engine.remedy_rates.year_rates``: proceedings
    filed, decided by result, withdrawn, pending; litigation heard and the head's
    appearances), kept by the nightly job (``tasks.keep_remedy_rates``,
    ``remedies.keep_rates``) for the current year and the one before it, so the warning
    model ``court_appearance`` reads a row per organ instead of every remedy of a
    province on each request. Used only when computed on the day it is read, and only
    for an organ with no remedy recorded since (those are counted live); the threshold
    is judged when read."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    computed_at = models.DateTimeField(_("computed at"))
    counts = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("remedy counts")
        verbose_name_plural = _("remedy counts")
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="remedy_rates_organ_year")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.year} ({self.computed_at:%Y-%m-%d %H:%M})"

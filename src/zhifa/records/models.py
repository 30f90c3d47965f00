"""The whole-process record (全过程记录): append-only entries in one SM3 hash chain
per organ, signed checkpoints of the chain heads, and evidence files with digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Chain(models.Model):
    """The head of one organ's chain. Appends lock this row (PostgreSQL) or hold the
    database write lock (SQLite, IMMEDIATE transactions), so appends to one chain are
    serialised while different organs append in parallel."""

    organ = models.OneToOneField(
        settings.ZHIFA_ORGAN_MODEL,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="record_chain",
    )
    length = models.PositiveBigIntegerField(_("length"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64)

    class Meta:
        verbose_name = _("chain")
        verbose_name_plural = _("chains")

    def __str__(self) -> str:
        return f"{self.organ_id}#{self.length}"


class Entry(models.Model):
    """One recorded action. Rows are never updated or deleted (database triggers refuse
    it); ``content_digest`` and ``entry_hash`` are defined in ``canonical.py``."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="record_entries",
    )
    seq = models.PositiveBigIntegerField(_("sequence number"))
    recorded_at = models.DateTimeField(_("recorded at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_entries",
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=150,
        help_text=_("The user's username, or system:<task> for a scheduled task."),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object ID"), max_length=64)
    payload = models.TextField(_("payload"), help_text=_("Canonical JSON of what changed."))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    content_digest = models.CharField(_("content digest"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        ordering = ["organ_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "seq"], name="records_entry_unique_seq")
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="records_entry_object"),
            models.Index(fields=["recorded_at"], name="records_entry_time"),
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}#{self.seq} {self.action}"


class Checkpoint(models.Model):
    """A signed statement "organ's chain had ``seq`` entries ending in ``head_hash``",
    so that a cut tail or a rewritten chain is detected. Append-only like entries."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="record_checkpoints",
    )
    seq = models.PositiveBigIntegerField(_("sequence number"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    algorithm = models.CharField(_("algorithm"), max_length=16, default="ed25519")
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("Raw, hex."))
    signature = models.CharField(_("signature"), max_length=128, help_text=_("Hex."))

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["organ_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "seq"], name="records_checkpoint_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}@{self.seq}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    AUDIO = "audio", _("Audio recording")
    VIDEO = "video", _("Video recording")


#: The longest recording an evidence item may declare: 24 hours. A body-worn recorder
#: records one shift, well under a day (the 4 GiB video limit holds an hour or two of
#: 1080p); a longer duration is a typing error, and the bound keeps the value inside
#: the column on every database (PostgreSQL ``integer`` ends at 2**31 - 1).
MAX_DURATION_SECONDS = 24 * 60 * 60


class Evidence(models.Model):
    """An evidence file (证据) with its digests. The file is stored under its SM3
    digest and never overwritten; its record entry carries the digests."""

    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=16)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64, db_index=True)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=255)
    collected_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collected by"),
        related_name="collected_evidence",
    )
    collected_at = models.DateTimeField(_("collected at"))
    location = models.CharField(_("location"), max_length=255)
    device_id = models.CharField(
        _("device ID"), max_length=100, blank=True, help_text=_("For body-worn recorders etc.")
    )
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"), null=True, blank=True, help_text=_("For audio and video.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="uploaded_evidence",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="records_evidence_obj")]

    def __str__(self) -> str:
        return self.title

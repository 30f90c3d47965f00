"""The publication log: an append-only RFC 6962 Merkle tree over the leaves that
sources (published decisions, …) append, and its signed checkpoints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LogHead(models.Model):
    """The log's size. One row (id 1); appends lock it (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: IMMEDIATE transactions hold the write lock), so no two appends
    get the same index."""

    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("log head")
        verbose_name_plural = _("log heads")

    def __str__(self) -> str:
        return str(self.size)


class LogEntry(models.Model):
    """One leaf: the canonical bytes a source gave for one of its objects, at ``index``.
    An object appended again (changed, withdrawn) has several entries; its latest one
    must equal what the source recomputes from the database."""

    index = models.PositiveBigIntegerField(_("index"), unique=True)
    source = models.CharField(_("source"), max_length=64)
    object_id = models.CharField(_("object ID"), max_length=64)
    leaf = models.BinaryField(_("leaf"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64, help_text=_("SHA-256, hex."))
    appended_at = models.DateTimeField(_("appended at"))

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["index"]
        indexes = [
            models.Index(fields=["source", "object_id", "index"], name="transparency_entry_object")
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.source}:{self.object_id}"


class TreeNode(models.Model):
    """The hash of a perfect subtree: leaves ``[index * 2**level, (index + 1) *
    2**level)`` (merkle.py)."""

    level = models.PositiveSmallIntegerField(_("level"))
    index = models.PositiveBigIntegerField(_("index"))
    hash = models.CharField(_("hash"), max_length=64, help_text=_("SHA-256, hex."))

    class Meta:
        verbose_name = _("tree node")
        verbose_name_plural = _("tree nodes")
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="transparency_node_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level}/{self.index}"


class SignedCheckpoint(models.Model):
    """A C2SP tlog-checkpoint signed note over the tree of ``size`` leaves; each one is
    consistent with the one before (checked when it is made)."""

    size = models.PositiveBigIntegerField(_("tree size"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64, help_text=_("Hex."))
    note = models.TextField(_("signed note"))
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("Raw, hex."))
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signed checkpoint")
        verbose_name_plural = _("signed checkpoints")
        ordering = ["size"]

    def __str__(self) -> str:
        return f"@{self.size}"

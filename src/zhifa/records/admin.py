"""The record in the admin: read-only. Entries and checkpoints are never added,
changed or deleted through the admin (the database refuses it anyway)."""

from __future__ import annotations

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import Checkpoint, Entry, Evidence


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = (
        "organ",
        "seq",
        "recorded_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("action",)
    search_fields = ("actor_label", "object_type", "object_id", "entry_hash")
    list_select_related = ("organ",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("organ", "seq", "head_hash", "signed_at", "public_key")
    list_select_related = ("organ",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("title", "organ", "kind", "size", "sm3", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("title", "sm3", "sha256", "original_name")
    list_select_related = ("organ",)

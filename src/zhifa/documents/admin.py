from __future__ import annotations

from django.contrib import admin

from .models import IssuedNumber, NumberPattern


@admin.register(NumberPattern)
class NumberPatternAdmin(admin.ModelAdmin):
    list_display = ("organ", "document_type", "pattern")
    list_filter = ("document_type",)
    autocomplete_fields = ("organ",)


@admin.register(IssuedNumber)
class IssuedNumberAdmin(admin.ModelAdmin):
    """Issued numbers are evidence of what was issued: read-only."""

    list_display = ("text", "organ", "document_type", "year", "number", "issued_at")
    list_filter = ("document_type", "year")
    search_fields = ("text",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

from __future__ import annotations

from django.contrib import admin

from .models import IssuedDocument, IssuedNumber, NumberPattern, WordingOverride


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


@admin.register(WordingOverride)
class WordingOverrideAdmin(admin.ModelAdmin):
    """A region's wording of a template: data, versioned, in force from a date."""

    list_display = ("region_code", "kind", "version", "valid_from", "note")
    list_filter = ("kind",)
    search_fields = ("region_code", "note")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Issued documents are evidence of what was issued: read-only."""

    list_display = ("number", "kind", "organ", "issued_on", "display_code", "sm3")
    list_filter = ("kind",)
    search_fields = ("number", "code", "sm3")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

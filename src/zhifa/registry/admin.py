from __future__ import annotations

from django.contrib import admin

from .models import EnforcementSubject, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)


@admin.register(EnforcementSubject)
class EnforcementSubjectAdmin(admin.ModelAdmin):
    list_display = ("name", "subject_type", "region", "parent", "is_justice_bureau", "active")
    list_filter = ("subject_type", "is_justice_bureau", "active")
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")

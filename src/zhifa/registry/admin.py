"""The registry in the administration site. What the record covers is changed through
the services, so every change writes its entry in the same transaction (issue #13):

- subjects (organs): added through ``create_subject`` (``subject.create``), changed
  through ``amend_subject`` (``subject.update``; name, region, justice bureau …);
  never deleted (an organ has a chain and cases);
- regions: read-only. They are the official divisions (GB/T 2260), loaded with
  ``zhifa regions load``; a region's parent decides which supervisors see
  the organs under it, so it is not edited by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.core.admin import ReadOnlyAdmin

from . import services
from .models import EnforcementSubject, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Regions are loaded from the official divisions (``zhifa regions load``)."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(EnforcementSubject)
class EnforcementSubjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "subject_type", "region", "parent", "is_justice_bureau", "active")
    list_filter = ("subject_type", "is_justice_bureau", "active")
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")
    fields = services.SUBJECT_RECORDED_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Through the services, so the record has the change (the admin's view runs
        in one transaction: the row and its entry commit together)."""
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        if change:
            saved = services.amend_subject(obj, actor=request.user, **data)
        else:
            saved = services.create_subject(actor=request.user, **data)
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        form.instance = EnforcementSubject.objects.get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)

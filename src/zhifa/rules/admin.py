from django.contrib import admin

from .models import CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Load or correct a year's holiday schedule (also: ``zhifa calendar import FILE``)."""

    list_display = ("year", "source", "updated_at")
    search_fields = ("year", "source")
    ordering = ("-year",)

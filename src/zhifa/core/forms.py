"""Form pieces shared by every app.

Browsers read the value of ``<input type="date">`` (and ``datetime-local``) only in ISO
form (``2026-12-02``, ``2026-12-02T09:30``). Django's date widgets otherwise render the
first of the active locale's ``DATE_INPUT_FORMATS`` — ``2026/12/02`` under zh-hans —
which Chromium drops: the field shows empty and blocks the submit. Every date input of
the site uses these widgets.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """``<input type="date">`` with an ISO value under every locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with an ISO value (minutes) under every locale."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or ISO_DATETIME)

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
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .validation import validate_text, validate_visible

#: Django writes a form label's suffix as ``_(":")``, which its own zh_Hans catalogue
#: leaves as the ASCII colon (新状态:); core's catalogue translates it to "：" for every
#: form of the site. Templates end a label with ``LABEL_SEPARATOR`` the same way.
LABEL_SUFFIX = _(":")
LABEL_SEPARATOR = pgettext_lazy("label separator", ": ")

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


class TextCheckedMixin:
    """Every text field of the form (``forms.CharField`` and its kinds) refuses what
    ``zhifa.core.validation.text_problem`` refuses: control characters other than tab
    and newline, NUL, lone surrogates, with the field's error saying what and where
    (the one text validation of forms, API schemas and imports). It replaces Django's
    own NUL check, which says less."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and validate_text not in field.validators:
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ] + [validate_text]
                if field.required:
                    # A required text that shows nothing (zero-width characters only:
                    # the field strips white space, not those) is not given.
                    field.validators.append(validate_visible)


class Form(TextCheckedMixin, forms.Form):
    """The site's plain form: text fields checked (``TextCheckedMixin``)."""


class ModelForm(TextCheckedMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The site's model form: text fields checked (``TextCheckedMixin``)."""

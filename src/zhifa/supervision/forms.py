"""The forms of the interference pages. They only read the input; the service checks it
(the page and the API refuse the same input with the same messages)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import Form

from . import services
from .models import Method, Source


class InterferenceForm(Form):
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    # No preset answer: the officer picks who interfered and how (an empty "—" first).
    source = forms.ChoiceField(label=_("Who (kind)"), choices=[("", "—"), *Source.choices])
    person_name = forms.CharField(label=_("Name of the person"), max_length=64)
    person_unit = forms.CharField(label=_("Unit"), max_length=128, required=False)
    person_position = forms.CharField(label=_("Position"), max_length=64, required=False)
    person_username = forms.CharField(
        label=_("Their platform user name (optional)"),
        max_length=150,
        required=False,
        help_text=_(
            "If the person has an account on the platform: they will never see this record."
        ),
    )
    method = forms.ChoiceField(label=_("How"), choices=[("", "—"), *Method.choices])
    request = forms.CharField(
        label=_("What was asked"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MAX_TEXT,
    )
    response = forms.CharField(
        label=_("What you did"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_TEXT,
    )
    file = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A document, a photo or a screenshot (PDF, image, Office or text file)."),
    )


class AcknowledgeForm(Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_TEXT,
        help_text=_("What you did or will do about it."),
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message at its field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        if key in form.fields:
            for message in messages:
                form.add_error(key, message)
        else:
            form.add_error(None, list(messages))

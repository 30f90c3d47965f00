from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.accounts.models import User

from .models import EvidenceKind


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    collected_by = forms.ModelMultipleChoiceField(
        label=_("Collected by"), queryset=User.objects.none()
    )
    collected_at = forms.DateTimeField(
        label=_("Collected at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    location = forms.CharField(label=_("Location"), max_length=255)
    device_id = forms.CharField(label=_("Device ID"), max_length=100, required=False)
    duration_seconds = forms.IntegerField(
        label=_("Duration (seconds)"), min_value=1, required=False
    )
    object_type = forms.RegexField(
        label=_("Object type"),
        regex=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
        required=False,
        widget=forms.HiddenInput,
    )
    object_id = forms.CharField(
        label=_("Object ID"), max_length=64, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collected_by"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(organ_id=user.organ_id, is_active=True).order_by(
            "username"
        )

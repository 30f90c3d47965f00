"""The complaint forms: the public filing and follow-up, and the receiving unit's actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.registry.models import EnforcementSubject, Region

from . import policy, routing
from .services import MAX_ATTACHMENTS, MAX_DESCRIPTION, MAX_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _region_choices() -> list[tuple[str, str]]:
    return [("", str(_("Choose a region…")))] + [
        (r.code, f"{r.name}（{r.code}）") for r in Region.objects.order_by("code")
    ]


class FileForm(forms.Form):
    category = forms.ChoiceField(label=_("what it is about"))
    region = forms.ChoiceField(label=_("region"))
    address = forms.CharField(label=_("place (address)"), max_length=255)
    description = forms.CharField(
        label=_("what happened"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    subject_organ = forms.ModelChoiceField(
        label=_("organ complained about (complaints about enforcement only)"),
        queryset=EnforcementSubject.objects.none(),
        required=False,
    )
    subject_certificate = forms.CharField(
        label=_("certificate number of the officer complained about (optional)"),
        max_length=32,
        required=False,
    )
    filer_name = forms.CharField(label=_("your name (optional)"), max_length=64, required=False)
    filer_contact = forms.CharField(
        label=_("your telephone or e-mail (optional)"), max_length=128, required=False
    )
    attachments = MultipleFileField(
        label=_("photos or documents (JPEG, PNG or PDF; at most %(count)d, 10 MB each)")
        % {"count": MAX_ATTACHMENTS},
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Choose what it is about…")),
            *routing.category_choices(),
        ]  # type: ignore[attr-defined]
        self.fields["region"].choices = _region_choices()  # type: ignore[attr-defined]
        self.fields["subject_organ"].queryset = EnforcementSubject.objects.filter(  # type: ignore[attr-defined]
            active=True
        ).order_by("region__code", "name")
        self.fields["subject_organ"].empty_label = _("Choose the organ (optional)…")  # type: ignore[attr-defined]


class FollowForm(forms.Form):
    number = forms.CharField(label=_("number of the filing"), max_length=32)
    code = forms.CharField(label=_("access code"), max_length=32)


class DisputeForm(FollowForm):
    reason = forms.CharField(
        label=_("why it is not resolved"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("message to the filer (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("reasons for not accepting"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("progress (the filer sees it)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    result = forms.CharField(
        label=_("result (the filer sees it)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("second look"),
        choices=[
            ("reopen", _("Reopen: the unit handles it again")),
            ("confirm", _("Confirm the closure")),
        ],
    )
    note = forms.CharField(
        label=_("reasons (the filer sees them)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReassignForm(forms.Form):
    organ = forms.ModelChoiceField(
        label=_("to the unit"), queryset=EnforcementSubject.objects.none()
    )
    reason = forms.CharField(
        label=_("why"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, region: Any = None, complaint: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organs = EnforcementSubject.objects.filter(active=True)
        if region is not None:
            organs = organs.filter(region__path__startswith=region.path)
        else:
            organs = organs.none()
        if complaint is not None:
            # Never the unit that has it, nor the organ complained about (the service
            # refuses both by name when asked anyway).
            organs = organs.exclude(pk=complaint.organ_id)
            if complaint.subject_organ_id is not None:
                organs = organs.exclude(pk=complaint.subject_organ_id)
        field = self.fields["organ"]
        field.queryset = organs.order_by("region__code", "name")  # type: ignore[attr-defined]
        field.empty_label = _("Choose a unit…")  # type: ignore[attr-defined]


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()}（{obj.get_role_display()}）"


class AssignForm(forms.Form):
    """The unit's head chooses the staff who handle a filing (``policy.assignable``)."""

    assignees = StaffChoiceField(
        label=_("staff who handle it"),
        queryset=EnforcementSubject.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("note (optional)"), max_length=MAX_TEXT, required=False)

    def __init__(self, *args: Any, complaint: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = policy.assignable(complaint)  # type: ignore[attr-defined]

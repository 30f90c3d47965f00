"""The forms of the supervision notice pages (SUP-notice). They read the input; the
service (``notices``) checks it, so the page and the API refuse the same input with the
same messages at the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case
from zhifa.core.forms import DateInput, Form
from zhifa.core.validation import parse_id

from . import notices
from .models import NoticeKind

#: The organ's cases a notice form offers (the most recent first).
CASE_CHOICES = 200


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CaseChoices(forms.ModelMultipleChoiceField):
    """The organ's cases as checkboxes; a value that is not a database ID (not digits,
    or beyond the largest ID) is refused at the field before any query."""

    def _check_values(self, value: Any) -> Any:
        for item in value:
            if parse_id(str(item), canonical=True) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj: Any) -> str:
        number = obj.number or _("(no number)")
        return f"{number}　{obj.party_name}　{obj.get_status_display()}"


class NoticeForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    cases = CaseChoices(
        label=_("Cases concerned (optional)"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organ's most recent cases. Name cases, describe a pattern, or both."),
    )
    pattern = forms.CharField(
        label=_("Pattern of problems (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=notices.MAX_TEXT,
        help_text=_("A problem seen across cases, e.g. inspections recorded without two officers."),
    )
    findings = forms.CharField(
        label=_("Problems found"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=notices.MAX_TEXT,
    )
    rectification = forms.CharField(
        label=_("Rectification requested"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=notices.MAX_TEXT,
    )
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        widget=DateInput(),
        help_text=_(
            "A date after today, set by you: the organ's written reply is due by then "
            "(SUP-notice). The sources set no period."
        ),
    )

    def __init__(self, *args: Any, organ: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, CaseChoices)
        recent = (
            Case.objects.filter(organ=organ)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:CASE_CHOICES]
        )
        field.queryset = Case.objects.filter(pk__in=list(recent)).order_by("-created_at", "-pk")


class ReplyForm(Form):
    text = forms.CharField(
        label=_("Rectification done"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=notices.MAX_TEXT,
        help_text=_("What the organ found, corrected and changed, case by case."),
    )
    files = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "At most %(n)s files: photos (JPEG or PNG) or PDF files, named for what they are."
        )
        % {"n": notices.MAX_FILES},
    )


class ReturnForm(Form):
    reasons = forms.CharField(
        label=_("Reasons for returning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=notices.MAX_TEXT,
        help_text=_("What the reply lacks: the organ replies again."),
    )

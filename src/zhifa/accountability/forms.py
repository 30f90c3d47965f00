"""The forms of the accountability pages. They only read the input; the service checks
it (errors naming the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.core.forms import Form
from zhifa.rules.engine.accountability import MEASURES

from . import services
from .models import Ground
from .trace import STAGE_CODES, STAGE_LABELS, Person


class OpenForm(Form):
    case = forms.CharField(
        label=_("Case number"),
        max_length=64,
        help_text=_("The case's registration number (立案号) or its source number."),
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=[("", "—"), *Ground.choices])
    complaint = forms.CharField(
        label=_("Complaint number"),
        max_length=32,
        required=False,
        help_text=_("For a complaint upheld: the complaint's number."),
    )
    evaluation_ref = forms.CharField(
        label=_("Evaluation reference"),
        max_length=services.MAX_REF,
        required=False,
        help_text=_("For a file scored 0: the evaluation that scored it."),
    )
    reasons = forms.CharField(
        label=_("Reasons for opening"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_TEXT,
    )


class ConcludeForm(Form):
    substantiated = forms.TypedChoiceField(
        label=_("Wrong enforcement substantiated"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    stages = forms.MultipleChoiceField(
        label=_("Responsible stage(s)"),
        choices=[(c, STAGE_LABELS[c]) for c in STAGE_CODES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    persons = forms.MultipleChoiceField(
        label=_("Responsible persons"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    finding = forms.CharField(
        label=pgettext_lazy("accountability", "Finding"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MAX_TEXT,
        help_text=_("What was wrong, at which stage, whose fault; heard the persons' statements."),
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    measure_note = forms.CharField(
        label=_("Measures taken (details)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_TEXT,
        required=False,
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_TEXT,
        help_text=_(
            "Published on the portal with the organ, the case number, the stages and the "
            "measures: no names of the party or of persons, no ID numbers."
        ),
    )

    def __init__(self, *args: Any, persons: dict[str, Person], lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["persons"]
        measure_field = self.fields["measures"]
        assert isinstance(person_field, forms.ChoiceField)
        assert isinstance(measure_field, forms.ChoiceField)
        person_field.choices = [(p.ref, p.name) for p in persons.values()]
        measure_field.choices = [(m.code, f"{m.text.get(lang)}（{m.citation}）") for m in MEASURES]

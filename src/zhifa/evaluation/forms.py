from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import DateInput

from .models import Grade, ScoringSheet


class SampleMode:
    SIZE = "size"
    RATE = "rate"


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    sheet = forms.ModelChoiceField(
        label=_("Scoring sheet"), queryset=ScoringSheet.objects.none(), empty_label=None
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Period to"),
        widget=DateInput(),
        help_text=_("The case files closed in the period are the rosters' files."),
    )
    organs = forms.ModelMultipleChoiceField(
        label=_("Organs evaluated"),
        queryset=ScoringSheet.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Sample of each organ"),
        choices=[(SampleMode.SIZE, _("A number of files")), (SampleMode.RATE, _("A rate (%)"))],
        initial=SampleMode.SIZE,
    )
    amount = forms.IntegerField(
        label=_("Number or rate"),
        min_value=1,
        max_value=10_000,
        help_text=_("Files per organ, or whole percent of each roster (rounded up)."),
    )

    def __init__(self, *args: Any, organs: Any, sheets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organs"].queryset = organs  # type: ignore[attr-defined]
        self.fields["sheet"].queryset = sheets  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == SampleMode.RATE and (data.get("amount") or 0) > 100:
            self.add_error("amount", _("A rate is a whole percent from 1 to 100."))
        return data


class DrawForm(forms.Form):
    beacon_value = forms.CharField(
        label=_("Public random value"),
        max_length=500,
        help_text=_(
            "A value nobody controls that became known after the rosters were published "
            "(e.g. a lottery draw's numbers or a randomness beacon's output), exactly as "
            "published by its source."
        ),
    )
    beacon_reference = forms.CharField(
        label=_("Source of the value"),
        max_length=500,
        help_text=_("Where anyone can read it: the lottery's draw and its number, or the URL."),
    )
    beacon_on = forms.DateField(label=_("Value known on"), widget=DateInput())


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=ScoringSheet.objects.none())

    def __init__(self, *args: Any, evaluators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators  # type: ignore[attr-defined]


class RectificationForm(forms.Form):
    organ = forms.ModelChoiceField(label=_("Organ"), queryset=ScoringSheet.objects.none())
    findings = forms.CharField(label=_("Problems found"), widget=forms.Textarea(attrs={"rows": 4}))
    rectification = forms.CharField(
        label=_("Rectification requested"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DateInput())

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs  # type: ignore[attr-defined]


class GradeForm(forms.Form):
    """The grader's grade of an organ or officer for a year (JL-evaluation)."""

    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices])
    assessment = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    rectification = forms.CharField(
        label=_("Rectification required"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
        help_text=_("An organ graded 不合格 is ordered to rectify within a deadline."),
    )
    deadline = forms.DateField(
        label=_("Rectification deadline"), widget=DateInput(), required=False
    )

    def __init__(self, *args: Any, subject: str = "organ", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subject != "organ":
            del self.fields["rectification"]
            del self.fields["deadline"]

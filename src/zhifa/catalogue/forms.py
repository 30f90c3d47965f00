"""Forms of the catalogue pages; the views hand cleaned data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import DateInput, Form, ModelForm
from zhifa.registry.models import EnforcementSubject

from .models import (
    Article,
    Circumstance,
    DiscretionBenchmark,
    Law,
    PowerItem,
    ReviewCatalogueItem,
)

DATE = DateInput()


class LawForm(ModelForm):
    class Meta:
        model = Law
        fields = [
            "name",
            "level",
            "issuing_body",
            "document_number",
            "promulgated_on",
            "valid_from",
        ]
        widgets = {"promulgated_on": DATE, "valid_from": DATE}


class ArticleForm(Form):
    number = forms.CharField(label=_("article"), max_length=64, help_text=_("e.g. 第一百二十四条"))
    ordinal = forms.IntegerField(label=_("order"), min_value=0, initial=0)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = forms.DateField(label=_("valid from"), widget=DATE, required=False)


class ArticleVersionForm(Form):
    text = forms.CharField(label=_("new text"), widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)


class RepealForm(Form):
    on = forms.DateField(label=_("repealed on"), widget=DATE)


class PowerItemForm(ModelForm):
    basis = forms.ModelMultipleChoiceField(
        label=_("legal basis"),
        queryset=Article.objects.select_related("law"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = PowerItem
        fields = [
            "subject",
            "code",
            "name",
            "category",
            "basis",
            "responsibilities",
            "valid_from",
            "valid_to",
            "published",
            "published_on",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "published_on": DATE,
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["subject"].queryset = organs  # type: ignore[attr-defined]


class ReviewForm(Form):
    note = forms.CharField(label=_("review note"), widget=forms.Textarea(attrs={"rows": 3}))


class BenchmarkForm(ModelForm):
    class Meta:
        model = DiscretionBenchmark
        fields = [
            "power_item",
            "violation",
            "penalty_article",
            "statutory_range",
            "statutory_min",
            "statutory_max",
            "description",
            "valid_from",
            "valid_to",
            "published",
            "published_on",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "published_on": DATE,
            "statutory_range": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["power_item"].queryset = PowerItem.objects.filter(  # type: ignore[attr-defined]
                subject__in=organs
            )
        self.fields["penalty_article"].queryset = Article.objects.select_related("law")  # type: ignore[attr-defined]


class BandForm(Form):
    """One band; left empty when the benchmark has no band for the circumstance."""

    conditions = forms.CharField(
        label=_("conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    penalty = forms.CharField(label=_("penalty"), required=False)
    fine_min = forms.DecimalField(label=_("minimum fine (yuan)"), required=False, min_value=0)
    fine_max = forms.DecimalField(label=_("maximum fine (yuan)"), required=False, min_value=0)


def band_forms(data: Any = None, benchmark: DiscretionBenchmark | None = None) -> list[Any]:
    existing = {b.circumstance: b for b in benchmark.bands.all()} if benchmark else {}
    forms_ = []
    for value, label in Circumstance.choices:
        band = existing.get(value)
        initial = (
            {
                "conditions": band.conditions,
                "penalty": band.penalty,
                "fine_min": band.fine_min,
                "fine_max": band.fine_max,
            }
            if band
            else None
        )
        form = BandForm(data, prefix=value, initial=initial)
        form.circumstance = value  # type: ignore[attr-defined]
        form.label = label  # type: ignore[attr-defined]
        forms_.append(form)
    return forms_


class BandLookupForm(Form):
    on = forms.DateField(label=_("date of the act"), widget=DATE)
    circumstance = forms.ChoiceField(label=_("circumstance"), choices=Circumstance.choices)


class ReviewEntryForm(ModelForm):
    class Meta:
        model = ReviewCatalogueItem
        fields = [
            "organ",
            "title",
            "criteria",
            "category",
            "power_items",
            "basis",
            "valid_from",
            "valid_to",
            "published",
            "published_on",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "published_on": DATE,
            "criteria": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["organ"].queryset = organs  # type: ignore[attr-defined]
            self.fields["power_items"].queryset = PowerItem.objects.filter(  # type: ignore[attr-defined]
                subject__in=organs
            )


class ImportForm(Form):
    kind = forms.ChoiceField(
        label=_("what"),
        choices=[
            ("power_items", _("Power items")),
            ("benchmarks", _("Discretion benchmarks")),
            ("officers", _("Officers")),
        ],
    )
    organ = forms.ModelChoiceField(label=_("organ"), queryset=EnforcementSubject.objects.none())
    file = forms.FileField(label=_("file"), help_text=_("Excel (.xlsx) or CSV (UTF-8)."))

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["organ"].queryset = organs  # type: ignore[attr-defined]

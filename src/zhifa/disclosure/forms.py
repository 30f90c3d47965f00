from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import DateInput


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    party = forms.CharField(label=_("Party"), max_length=100, required=False)
    violation = forms.CharField(label=_("Violation"), max_length=100, required=False)
    organ = forms.IntegerField(label=_("Organ"), min_value=1, max_value=2**31 - 1, required=False)
    date_from = forms.DateField(label=_("Decided from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Decided until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organs: Iterable[Any] = (), **kwargs: Any) -> None:
        """``organs``: the organs the visitor may choose among (those with public
        decisions), offered by name — the public does not know an organ's id."""
        super().__init__(*args, **kwargs)
        self.fields["organ"].widget = forms.Select(
            choices=[("", "—"), *((organ.pk, organ.name) for organ in organs)]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range is before its start."))
        for name in ("q", "party", "violation"):
            if "\x00" in str(data.get(name) or ""):
                self.add_error(name, _("This text holds a character that cannot be searched."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectForm(forms.Form):
    facts_brief = forms.CharField(
        label=_("facts in brief (public text)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "No ID numbers, phone numbers, bank accounts, e-mail addresses, addresses or "
            "names of individuals: the text is checked again before it is published."
        ),
    )


class SettingsForm(forms.Form):
    sector = forms.SlugField(label=_("sector"), max_length=64, required=False)
    require_approval = forms.BooleanField(
        label=_("an organ head approves each publication before release"), required=False
    )
    ordinary_months = forms.IntegerField(
        label=_("publication period, ordinary (months)"),
        min_value=1,
        max_value=120,
        required=False,
    )
    serious_months = forms.IntegerField(
        label=_("publication period, serious (months)"),
        min_value=1,
        max_value=120,
        required=False,
    )


class ExportForm(forms.Form):
    """The 双公示 export: decided in a range, for the user's organ, or (a supervisor)
    a region of their scope or one organ of it."""

    date_from = forms.DateField(label=_("Decided from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Decided until"), required=False, widget=DateInput())
    region = forms.CharField(
        label=_("Region code"),
        max_length=9,
        required=False,
        help_text=_("Supervisors: a region of your scope (empty: all of it)."),
    )
    organ = forms.IntegerField(label=_("Organ"), min_value=1, max_value=2**31 - 1, required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        required=False,
        initial="csv",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range is before its start."))
        region = str(data.get("region") or "")
        if region and not region.isdigit():
            self.add_error("region", _("A region code is digits only."))
        return data

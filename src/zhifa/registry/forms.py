"""Forms of the registry pages. They validate input; the views hand the cleaned data
to the service functions, which write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.accounts.models import User
from zhifa.core.forms import DateInput, Form, ModelForm

from .models import (
    CertificateStatus,
    EnforcementSubject,
    Entrustment,
    Officer,
    OfficerFlagMeasure,
)

DATE = DateInput()


class SubjectDetailsForm(ModelForm):
    class Meta:
        model = EnforcementSubject
        fields = [
            "short_name",
            "level",
            "legal_basis",
            "authorising_law",
            "uscc",
            "contact_phone",
            "contact_address",
            "active",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}


class SubjectCreateForm(ModelForm):
    class Meta:
        model = EnforcementSubject
        fields = [
            "name",
            "subject_type",
            "region",
            "parent",
            "short_name",
            "level",
            "legal_basis",
            "authorising_law",
            "uscc",
            "contact_phone",
            "contact_address",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organs: Any = None, regions: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["parent"].queryset = organs  # type: ignore[attr-defined]
        if regions is not None:
            self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class OfficerForm(ModelForm):
    class Meta:
        model = Officer
        fields = [
            "organ",
            "name",
            "kind",
            "post",
            "enforcement_fields",
            "id_number",
            "legal_qualification",
            "legal_qualification_number",
            "user",
            "active",
        ]

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["organ"].queryset = organs  # type: ignore[attr-defined]
            self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                organ__in=organs, is_active=True
            )
        self.fields["user"].help_text = _(
            "The officer's login, so that the platform can check the certificate of whoever acts."
        )

    def clean_id_number(self) -> str:
        from .validators import normalise_id_number

        return normalise_id_number(self.cleaned_data["id_number"])


class CertificateForm(Form):
    number = forms.CharField(label=_("certificate number"), max_length=32)
    issuing_authority = forms.CharField(label=_("issuing authority"), max_length=128)
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("valid to"), widget=DATE)


class CertificateStatusForm(Form):
    status = forms.ChoiceField(
        label=_("new status"),
        choices=[
            (CertificateStatus.SUSPENDED, CertificateStatus.SUSPENDED.label),
            (CertificateStatus.REVOKED, CertificateStatus.REVOKED.label),
            (CertificateStatus.VALID, _("Reinstate (valid)")),
        ],
    )
    reason = forms.CharField(label=_("reason"), max_length=255)
    effective_on = forms.DateField(label=_("effective on"), widget=DATE)


class FlagForm(Form):
    """Carry out a flag of the annual evaluation (JL-evaluation)."""

    measure = forms.ChoiceField(label=_("measure"), choices=OfficerFlagMeasure.choices)
    effective_on = forms.DateField(label=_("effective on"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=2000, required=False)


class TrainingForm(Form):
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    hours = forms.DecimalField(label=_("training hours"), min_value=0, max_digits=6)
    topic = forms.CharField(label=_("topic"), max_length=255, required=False)


class ExamForm(Form):
    taken_on = forms.DateField(label=_("date"), widget=DATE)
    name = forms.CharField(label=_("exam"), max_length=255)
    score = forms.DecimalField(label=_("score"), required=False, max_digits=5)
    passed = forms.BooleanField(label=_("passed"), required=False)


class _Download:
    """A stored file as ClearableFileInput shows it: its name, linked to ``url``."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class DownloadFileInput(forms.ClearableFileInput):
    """A file input whose "currently" link is a scoped download view: uploaded files
    are not served under MEDIA_URL."""

    download_url = ""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget.get("is_initial") and self.download_url:
            widget["value"] = _Download(str(value.name).rsplit("/", 1)[-1], self.download_url)
        elif widget.get("is_initial"):
            widget["is_initial"] = False  # no link to a URL that answers 404
        return context


class EntrustmentForm(ModelForm):
    class Meta:
        model = Entrustment
        fields = [
            "entrusting_organ",
            "entrusted",
            "power_items",
            "matters",
            "valid_from",
            "valid_to",
            "instrument",
            "instrument_number",
            "published",
            "published_on",
            "filed_on",
            "filing_number",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "published_on": DATE,
            "filed_on": DATE,
            "matters": forms.Textarea(attrs={"rows": 3}),
            "instrument": DownloadFileInput,
        }

    def __init__(self, *args: Any, organs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["instrument"].widget
        assert isinstance(widget, DownloadFileInput)
        if self.instance.pk is not None and self.instance.instrument:
            widget.download_url = reverse(
                "registry:entrustment_instrument", args=[self.instance.pk]
            )
        if organs is not None:
            self.fields["entrusting_organ"].queryset = organs  # type: ignore[attr-defined]
            # The catalogue's power items (the field's model; the registry imports no
            # catalogue module, docs/adr/0010-app-layers.md).
            power_items = self.fields["power_items"]
            power_items.queryset = power_items.queryset.filter(  # type: ignore[attr-defined]
                subject__in=organs
            ).select_related("subject")
        entrusted = EnforcementSubject.objects.filter(subject_type="entrusted")
        if organs is not None:
            # Only organisations in the user's scope or registered under one of its organs.
            entrusted = entrusted.filter(Q(pk__in=organs) | Q(parent__in=organs))
        self.fields["entrusted"].queryset = entrusted  # type: ignore[attr-defined]

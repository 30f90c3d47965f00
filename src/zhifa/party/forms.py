from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX, SCORE_LABELS, STATEMENT_MAX


class SignInForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=64,
        help_text=_("The case number (立案号) printed on the documents served to you."),
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=32,
        help_text=_("The access code printed on the same document (12 letters and digits)."),
    )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement and defence"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ConsentForm(forms.Form):
    signed_name = forms.CharField(
        label=_("Your name, as your signature"),
        max_length=200,
        help_text=_("The party's name, or its legal representative's for an organisation."),
    )
    address = forms.CharField(
        label=_("Electronic address for service"),
        max_length=200,
        help_text=_("The e-mail address or mobile number where documents may be served."),
    )
    agree = forms.BooleanField(
        label=_("I agree that documents of this case are served to me electronically."),
    )


class HearingForm(forms.Form):
    """The hearing request's confirmation: the server requires the box (no script)."""

    confirm = forms.BooleanField(
        label=_(
            "I ask the organ to hold a hearing on this case. I understand that the request "
            "is recorded in the case as a step and cannot be undone on this platform."
        ),
        error_messages={"required": _("Tick the box to confirm that you ask for a hearing.")},
    )


class WithdrawConsentForm(forms.Form):
    signed_name = forms.CharField(
        label=_("Your name, as your signature"),
        max_length=200,
        help_text=_("The party's name, or its legal representative's for an organisation."),
    )
    confirm = forms.BooleanField(
        label=_("I withdraw my consent to electronic service in this case."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating of how the case was conducted"),
        choices=[(n, label) for n, label in SCORE_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

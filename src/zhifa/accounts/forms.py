from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import Form


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Both fields are case-sensitive."
        ),
        "inactive": _("This account is disabled. Ask your administrator."),
    }

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        error_messages={"required": _("Enter your username.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_("What the token is for, e.g. “case system export”."),
        error_messages={"required": _("Give the token a name (what it is for).")},
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year")), ("", _("No expiry"))],
        coerce=int,
        empty_value=None,
        required=False,
        initial=90,
    )

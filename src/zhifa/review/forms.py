"""Forms of the review pages. The checklist's rules live in ``services``: the review
form builds the checklist and lets ``services.validate_checklist`` judge it, so the
page and the API refuse the same input with the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.core.forms import Form

from . import services
from .models import CHECKLIST, ReviewStatus

OK, PROBLEM = "ok", "problem"


class SubmitForm(Form):
    note = forms.CharField(
        label=_("Matters for review and proposed handling"),
        help_text=_(
            "What the reviewer should examine, and the proposed decision (拟处理意见): "
            "penalty, amount and legal basis."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.MAX_TEXT,
    )


class ReviewForm(Form):
    """The checklist (each item OK or a problem with its comment), the written opinion
    and the result."""

    opinion = forms.CharField(
        label=_("Review opinion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.MAX_TEXT,
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (ReviewStatus.PASSED, pgettext_lazy("legal review result", "Passed")),
            (ReviewStatus.FAILED, pgettext_lazy("legal review result", "Failed")),
            (ReviewStatus.RETURNED, _("Returned for further investigation")),
        ],
        widget=forms.RadioSelect,
    )
    #: The number of the case's steps the reviewer saw (the optimistic-concurrency
    #: check of ``services.complete_review``).
    expected_steps = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items: dict[str, forms.Field] = {}
        for item in CHECKLIST:
            items[f"{item.code}_ok"] = forms.ChoiceField(
                label=item.label,
                help_text=item.question,
                choices=[(OK, _("OK")), (PROBLEM, _("Problem"))],
                widget=forms.RadioSelect,
            )
            items[f"{item.code}_comment"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=services.MAX_COMMENT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # The checklist first, then the opinion and the result.
        self.fields = {**items, **self.fields}

    def checklist_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"{i.code}_ok"], self[f"{i.code}_comment"]) for i in CHECKLIST]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checklist = {
            item.code: {
                "ok": data.get(f"{item.code}_ok") == OK,
                "comment": data.get(f"{item.code}_comment", ""),
            }
            for item in CHECKLIST
            if data.get(f"{item.code}_ok") in (OK, PROBLEM)
        }
        if len(checklist) == len(CHECKLIST):
            try:
                data["checklist"] = services.validate_checklist(checklist)
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data


def form_field(key: str) -> str | None:
    """The form field a service error key names: ``checklist.<code>.comment`` →
    ``<code>_comment``; ``opinion`` and ``result`` as they are; others → None."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "checklist":
        return f"{parts[1]}_{parts[2]}"
    return key if key in ("opinion", "result", "note") else None


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message at its field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        target = form_field(key)
        if target is not None and target in form.fields:
            for message in messages:
                if target not in form.errors or message not in form.errors[target]:
                    form.add_error(target, message)
        else:
            form.add_error(None, [f"{key}: {m}" for m in messages])

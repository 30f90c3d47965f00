from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.core.forms import DateTimeInput, Form
from zhifa.core.organisation import User

from .models import MAX_DURATION_SECONDS, EvidenceKind
from .services import EVIDENCE_ROLES
from .targets import evidence_target


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class CollectorsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Users named as their officers are: 张伟（科员）, or with their role when the
    officer has no post (张伟（执法人员）); never by login name."""

    def label_from_instance(self, obj: Any) -> str:
        officer = getattr(obj, "officer", None)
        name = getattr(officer, "name", "") or obj.get_full_name()
        post = getattr(officer, "post", "") or obj.get_role_display()
        return f"{name}（{post}）"


class EvidenceForm(Form):
    """An evidence file and the case it belongs to: ``case`` offers the cases of the
    user's organ (anything else is refused on the field); with ``fixed_case`` (the
    upload reached from the case page) the case is shown, not chosen: the field is
    disabled, so a posted ``case`` is ignored and the evidence goes to the case the
    page named."""

    case = CaseChoiceField(
        label=_("Case"),
        queryset=None,
        error_messages={
            "required": _("Choose the case the evidence belongs to."),
            "invalid_choice": _("Choose one of your organ's cases."),
        },
    )
    file = forms.FileField(label=_("File"), allow_empty_file=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    collected_by = CollectorsField(
        label=_("Collected by"), queryset=get_user_model().objects.none()
    )
    collected_at = forms.DateTimeField(
        label=_("Collected at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    location = forms.CharField(label=_("Location"), max_length=255)
    device_id = forms.CharField(label=_("Device ID"), max_length=100, required=False)
    duration_seconds = forms.IntegerField(
        label=_("Duration (seconds)"),
        min_value=1,
        max_value=MAX_DURATION_SECONDS,
        required=False,
        error_messages={
            "max_value": _("A recording lasts at most 24 hours (%(limit_value)s seconds)."),
        },
    )

    def __init__(self, *args: Any, user: User, fixed_case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        assert isinstance(case, forms.ModelChoiceField)
        case.queryset = evidence_target().choices(user)
        self.fixed_case = fixed_case
        if fixed_case is not None:
            case.initial = fixed_case.pk
            case.widget = forms.HiddenInput()
            case.disabled = True
        # The collectors: the organ's active users who may collect evidence (officers and
        # the organ head; not the legal reviewer), by name and post; the user first chosen
        # and the collection time now, to the minute.
        field = self.fields["collected_by"]
        assert isinstance(field, CollectorsField)
        field.queryset = (
            get_user_model()
            .objects.filter(organ_id=user.organ_id, is_active=True, role__in=sorted(EVIDENCE_ROLES))
            .select_related("officer")  # the registry's officer linked to the user
            .order_by("full_name", "username")
        )
        if not self.is_bound:
            if field.queryset.filter(pk=user.pk).exists():
                self.initial.setdefault("collected_by", [user.pk])
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("collected_at", now)
